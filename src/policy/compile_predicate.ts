/**
 * Compiles one argument predicate into a test over the values its path
 * selects. Semantics:
 * - The predicate holds when some selected value satisfies every value check
 *   (`equals`, `glob`, `notGlob`, …) and the `exists` check, if any, holds.
 *   With `items[*]`, one offending element is enough to match.
 * - A missing value satisfies only `exists: false`.
 * - `glob` and `prefix` apply to strings only; a path with a `..` segment
 *   never matches them, so `/data/../etc/passwd` is outside `/data/**`. The
 *   negative checks (`notGlob`, `notRegex`, `notEquals`, `notOneOf`) hold for
 *   any value the positive check would not match, including non-strings.
 * - `regex` is anchored (`^(?:…)$`); `min` and `max` apply to numbers only.
 *
 * @example
 * ```ts
 * const outside = compilePredicate("path", { notGlob: "/data/**" });
 * outside.test(["/etc/passwd"]); // true
 * outside.test(["/data/a.txt"]); // false
 * ```
 */
import type { z } from "zod";
import { AppError } from "../errors.ts";
import { compileArgPath } from "./compile_arg_path.ts";
import type { CompiledPredicate } from "./compiled_policy.ts";
import { globToRegExp } from "./glob_to_regexp.ts";
import { adminRegExp } from "./admin_regexp.ts";
import type { policySchema } from "./policy_schema.ts";

type Predicate = NonNullable<
  NonNullable<z.infer<typeof policySchema>["rules"]>[number]["match"]["args"]
>[string];
type Check = (value: unknown) => boolean;

const DOT_DOT = /(?:^|[/\\])\.\.(?:[/\\]|$)/;

function list<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? v : [v as T];
}

function globCheck(globs: string | readonly string[]): Check {
  const res = list(globs).map((glob) => globToRegExp(glob));
  return (v) => typeof v === "string" && !DOT_DOT.test(v) && res.some((re) => re.test(v));
}

/** Compiles `predicate` for the argument at `path`. */
export function compilePredicate(path: string, predicate: Predicate): CompiledPredicate {
  const steps = compileArgPath(path);
  if (steps === undefined) {
    throw new AppError("policy.invalid", `argument path "${path}" is malformed`, {
      hints: ['write paths like "path", "options.path" or "items[*]"'],
    });
  }
  const checks: Check[] = [];
  const p = predicate;
  if (p.equals !== undefined) {
    const want = p.equals;
    checks.push((v) => v === want);
  }
  if (p.notEquals !== undefined) {
    const want = p.notEquals;
    checks.push((v) => v !== want);
  }
  if (p.glob !== undefined) checks.push(globCheck(p.glob));
  if (p.notGlob !== undefined) {
    const inside = globCheck(p.notGlob);
    checks.push((v) => !inside(v));
  }
  if (p.regex !== undefined) {
    const re = adminRegExp(`^(?:${p.regex})$`);
    checks.push((v) => typeof v === "string" && re.test(v));
  }
  if (p.notRegex !== undefined) {
    const re = adminRegExp(`^(?:${p.notRegex})$`);
    checks.push((v) => !(typeof v === "string" && re.test(v)));
  }
  if (p.prefix !== undefined) {
    const prefixes = list(p.prefix);
    checks.push((v) =>
      typeof v === "string" && !DOT_DOT.test(v) && prefixes.some((x) => v.startsWith(x))
    );
  }
  if (p.oneOf !== undefined) {
    const set = new Set<unknown>(p.oneOf);
    checks.push((v) => set.has(v));
  }
  if (p.notOneOf !== undefined) {
    const set = new Set<unknown>(p.notOneOf);
    checks.push((v) => !set.has(v));
  }
  if (p.min !== undefined) {
    const min = p.min;
    checks.push((v) => typeof v === "number" && Number.isFinite(v) && v >= min);
  }
  if (p.max !== undefined) {
    const max = p.max;
    checks.push((v) => typeof v === "number" && Number.isFinite(v) && v <= max);
  }
  const exists = p.exists;
  const test = (values: readonly unknown[]): boolean => {
    const present = values.length > 0;
    if (exists !== undefined && exists !== present) return false;
    if (checks.length === 0) return exists !== undefined;
    for (const v of values) {
      let all = true;
      for (const check of checks) {
        if (!check(v)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  };
  return { path: steps, source: path, test };
}
