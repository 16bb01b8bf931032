/**
 * The policy format's rules (see `policy_schema.ts`) as plain checks that
 * answer yes or no, for `thoth run`, which reads the policy on every start
 * and should not load the schema library to do it. A policy this accepts is
 * one the schema accepts, unchanged (a test holds the two together); when it
 * says no, the caller runs the schema, which names every problem.
 *
 * @example
 * ```ts
 * isValidPolicy({ version: 1, default: "block" }); // true
 * isValidPolicy({ version: 1, defualt: "block" }); // false: the schema will say why
 * ```
 */
import { anchoredAdminRegExp } from "./admin_regexp.ts";
import { compileArgPath } from "./compile_arg_path.ts";
import { globToRegExp } from "./glob_to_regexp.ts";
import { parseDuration } from "./parse_duration.ts";
import type { Policy } from "./policy_schema.ts";
import { utf8FileText } from "./utf8_file_text.ts";

/** The largest policy text thoth reads, in characters. */
export const MAX_POLICY_CHARS = 4 * 1024 * 1024;

/**
 * The most bytes of a policy file thoth reads (`thoth run`, `doctor`,
 * `health`): a UTF-8 character is at most 3 bytes per UTF-16 unit, so no
 * file over it fits in {@linkcode MAX_POLICY_CHARS} characters, and every
 * file that might is still read and judged by its text.
 */
export const MAX_POLICY_FILE_BYTES = MAX_POLICY_CHARS * 3;

/**
 * A policy's text without the byte-order mark some Windows editors (and
 * PowerShell 5) put first: every reader (`thoth run`, `policy check`,
 * `status`, `doctor`) parses the same text, while the policy's hash stays
 * over the file as it is.
 *
 * @example
 * ```ts
 * policyBody("\uFEFF{}"); // "{}"
 * ```
 */
export function policyBody(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text of a policy file's `bytes`, as every reader decodes it: strictly
 * UTF-8, a byte-order mark kept with `keepBom` (for the policy's hash) and
 * dropped otherwise; throws `policy.invalid`, naming `path` and the line and
 * column of the first byte that is not UTF-8, or saying the file is UTF-16
 * (see `utf8FileText`).
 *
 * @example
 * ```ts
 * policyFileText(new TextEncoder().encode("{}"), "policy.jsonc"); // "{}"
 * ```
 */
export function policyFileText(bytes: Uint8Array, path: string, keepBom = false): string {
  return utf8FileText(bytes, { code: "policy.invalid", name: `policy "${path}"` }, keepBom);
}

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === "string";
const isBoolean: Check = (v) => typeof v === "boolean";
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

function stringOf(min: number, max = Infinity): Check {
  return (v) => typeof v === "string" && v.length >= min && v.length <= max;
}

function intIn(min: number, max: number): Check {
  return (v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

function oneOf(...choices: string[]): Check {
  return (v) => typeof v === "string" && choices.includes(v);
}

function listOf(item: Check, min: number, max = Infinity): Check {
  return (v) => Array.isArray(v) && v.length >= min && v.length <= max && v.every((x) => item(x));
}

function matches(pattern: RegExp): Check {
  return (v) => typeof v === "string" && pattern.test(v);
}

function compiles(compile: (text: string) => unknown): Check {
  return (v) => {
    try {
      compile(v as string);
      return true;
    } catch {
      return false;
    }
  };
}

/** A strict object: only the given keys, each present one passing its check. */
function shape(fields: Readonly<Record<string, Check>>, required: readonly string[] = []): Check {
  return (v) => {
    if (!isObject(v)) return false;
    for (const key of required) if (!Object.hasOwn(v, key)) return false;
    for (const key of Object.keys(v)) {
      const check = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (check === undefined || !check(v[key])) return false;
    }
    return true;
  };
}

/** A record whose keys pass `key` and values pass `item`. */
function recordOf(key: Check, item: Check): Check {
  return (v) =>
    isObject(v) && Object.entries(v).every(([k, x]) => k !== "__proto__" && key(k) && item(x));
}

const decision = oneOf("allow", "step_up", "block");
const glob: Check = (v) => stringOf(1)(v) && compiles((text) => globToRegExp(text))(v);
const globs: Check = (v) => glob(v) || listOf(glob, 1)(v);
const regex: Check = (v) => stringOf(1)(v) && compiles((text) => anchoredAdminRegExp(text))(v);
const primitive: Check = (v) => v === null || isString(v) || isNumber(v) || isBoolean(v);

const predicateFields = {
  equals: primitive,
  notEquals: primitive,
  glob: globs,
  notGlob: globs,
  regex,
  notRegex: regex,
  prefix: (v: unknown) => stringOf(1)(v) || listOf(stringOf(1), 1)(v),
  oneOf: listOf(primitive, 1),
  notOneOf: listOf(primitive, 1),
  exists: isBoolean,
  min: isNumber,
  max: isNumber,
};
const predicate: Check = (v) => shape(predicateFields)(v) && Object.keys(v as object).length > 0;

const match = shape({
  server: globs,
  tool: globs,
  listed: isBoolean,
  annotations: shape({
    readOnlyHint: isBoolean,
    destructiveHint: isBoolean,
    idempotentHint: isBoolean,
    openWorldHint: isBoolean,
  }),
  args: recordOf((key) => compileArgPath(key as string) !== undefined, predicate),
});

const rule = shape({
  id: matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  match,
  decision,
  reason: stringOf(1, 200),
  enabled: isBoolean,
}, ["id", "match", "decision"]);

const intent = shape({
  tools: listOf(glob, 1),
  onViolation: oneOf("step_up", "block"),
  description: stringOf(0, 200),
}, ["tools"]);

const detectorLevel = oneOf("off", "allow", "step_up", "block");

const topLevel = shape({
  $schema: isString,
  version: (v) => v === 1,
  default: decision,
  intents: recordOf(matches(/^[A-Za-z0-9_.-]{1,64}$/), intent),
  rules: listOf(rule, 0, 10_000),
  detectors: shape({
    phi: detectorLevel,
    pii: detectorLevel,
    secrets: detectorLevel,
    risk: shape({ stepUpAt: intIn(1, 100), blockAt: intIn(1, 100) }),
  }),
  progressive: shape({
    window: (v) => isString(v) && parseDuration(v as string) !== undefined,
    stepUpAfter: intIn(0, 1000),
    blockAfter: intIn(0, 1000),
  }, ["window", "stepUpAfter", "blockAfter"]),
  audit: shape({ safeToLog: listOf(stringOf(1), 0) }),
}, ["version", "default"]);

/** Whether `value` is a policy the schema accepts as it is. */
export function isValidPolicy(value: unknown): value is Policy {
  if (!topLevel(value)) return false;
  const policy = value as Policy;
  const ids = new Set<string>();
  for (const r of policy.rules ?? []) {
    if (ids.has(r.id)) return false;
    ids.add(r.id);
  }
  const p = policy.progressive;
  if (p !== undefined && p.blockAfter < p.stepUpAfter) return false;
  const risk = policy.detectors?.risk;
  return !(risk?.stepUpAt !== undefined && risk.blockAt !== undefined &&
    risk.blockAt < risk.stepUpAt);
}
