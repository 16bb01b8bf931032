/**
 * Turns one named permission set from `deno.json` into the `deno compile`
 * flags that bake exactly that set into a binary. Pure; nothing broader than
 * the set is ever produced, and values Deno would read differently on the
 * command line (commas, relative paths) are refused instead of guessed at.
 *
 * @example
 * ```ts
 * permissionFlags({ read: true, sys: ["hostname", "uid"], net: false });
 * // ["--allow-read", "--allow-sys=hostname,uid"]
 * ```
 */
import { AppError } from "../errors.ts";

/** The permission kinds a set may name, in the order their flags are emitted. */
export const PERMISSION_KINDS = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "run",
  "ffi",
  "import",
] as const;

/** One permission kind. */
export type PermissionKind = typeof PERMISSION_KINDS[number];

/** `true` (everything), `false` (nothing) or a list of allowed values. */
export type PermissionValue = boolean | readonly string[];

/** The long form a set entry may take: separate allow, deny and ignore lists. */
export interface PermissionRule {
  allow?: PermissionValue;
  deny?: PermissionValue;
  ignore?: PermissionValue;
}

/** A permission set as written in `deno.json`'s `permissions` map. */
export type PermissionSet = {
  all?: boolean;
} & { [K in PermissionKind]?: PermissionValue | PermissionRule };

const PATH_KINDS: ReadonlySet<string> = new Set(["read", "write", "ffi"]);
const IGNORABLE_KINDS: ReadonlySet<string> = new Set(["read", "env"]);

function invalid(message: string): AppError {
  return new AppError("build.permission_invalid", message, {
    hints: ['fix the set in deno.json "permissions"; run "deno task check-permissions"'],
  });
}

function isAbsolutePath(value: string): boolean {
  return value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith("\\\\");
}

function flagFor(
  mode: "allow" | "deny" | "ignore",
  kind: PermissionKind,
  value: unknown,
  where: string,
): string[] {
  if (value === undefined || value === false) return [];
  if (value === true) return [`--${mode}-${kind}`];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw invalid(`permission "${where}" must be true, false or a list of strings`);
  }
  if (value.length === 0) return [];
  for (const item of value as string[]) {
    if (item === "" || item.includes(",")) {
      throw invalid(`permission "${where}" has a value a flag cannot carry: "${item}"`);
    }
    if (PATH_KINDS.has(kind) && !isAbsolutePath(item)) {
      throw invalid(
        `permission "${where}" has a relative path "${item}", which a compiled binary would resolve against its working directory`,
      );
    }
  }
  return [`--${mode}-${kind}=${(value as string[]).join(",")}`];
}

/**
 * The `--allow-*`, `--deny-*` and `--ignore-*` flags for a permission set.
 * `all: true` becomes `--allow-all`, which `check_permissions` reports and
 * the build refuses.
 */
export function permissionFlags(set: unknown): string[] {
  if (typeof set !== "object" || set === null || Array.isArray(set)) {
    throw invalid("a permission set must be an object");
  }
  const record = set as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== "all" && !(PERMISSION_KINDS as readonly string[]).includes(key)) {
      throw invalid(`unknown permission "${key}"`);
    }
  }
  const flags: string[] = [];
  if (record["all"] === true) flags.push("--allow-all");
  else if (record["all"] !== undefined && record["all"] !== false) {
    throw invalid('permission "all" must be true or false');
  }
  for (const kind of PERMISSION_KINDS) {
    const value = record[kind];
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const rule = value as Record<string, unknown>;
      for (const key of Object.keys(rule)) {
        if (key !== "allow" && key !== "deny" && key !== "ignore") {
          throw invalid(`unknown key "${key}" in permission "${kind}"`);
        }
      }
      if (rule["ignore"] !== undefined && rule["ignore"] !== false && !IGNORABLE_KINDS.has(kind)) {
        throw invalid(`permission "${kind}" cannot have an ignore list`);
      }
      flags.push(...flagFor("allow", kind, rule["allow"], `${kind}.allow`));
      flags.push(...flagFor("deny", kind, rule["deny"], `${kind}.deny`));
      flags.push(...flagFor("ignore", kind, rule["ignore"], `${kind}.ignore`));
    } else {
      flags.push(...flagFor("allow", kind, value, kind));
    }
  }
  return flags;
}
