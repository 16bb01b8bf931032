/**
 * What this process was granted, against the permission set thoth is built
 * and launched with (`deno.json` "permissions" → "thoth", see
 * `thoth_permission_set.ts`): the kinds granted whole, what the set names
 * that is not granted (every `thoth run` session needs it), and the kinds
 * granted beyond the set. Deno can say whether a kind is granted whole, or
 * whether one value is; not which values a scoped grant lists, so a kind the
 * set leaves out is judged whole only. An `import` granted whole is beyond
 * the set only where a remote module can be fetched (`reach`, see
 * `remote_import_reach.ts`): Deno grants it whole under `--cached-only`,
 * which thoth from source is started with. Pure: the permission state is
 * asked through `query`.
 *
 * @example
 * ```ts
 * const judged = judgeGrants({ "allow-read": true, "allow-sys": ["uid"] }, (d) => Deno.permissions.querySync(d).state);
 * judged.missing; // [] under the thoth set; ["read"] without --allow-read
 * ```
 */
import { PERMISSION_KINDS, type PermissionKind } from "../release/permission_flags.ts";
import type { Grant } from "../release/permission_grants.ts";

/** Asks the state of one permission, as `Deno.permissions.querySync` does. */
export type PermissionQuery = (descriptor: Deno.PermissionDescriptor) => Deno.PermissionState;

/**
 * How far an `import` granted whole reaches: `network` (a remote module may
 * be fetched), `cache` (only modules already in Deno's cache: `--cached-only`),
 * `none` (no remote module loads: `--no-remote`).
 */
export type ImportReach = "network" | "cache" | "none";

/** The judgement. */
export interface GrantJudgement {
  /** Kinds granted whole (no scope), in the order Deno's flags name them. */
  readonly granted: readonly string[];
  /** Values of a kind the set scopes that are granted (`sys` → hostname, uid), when the kind is not whole. */
  readonly scoped: Readonly<Record<string, readonly string[]>>;
  /** What the set names that is not granted: a kind (`run`) or one value (`sys:uid`). */
  readonly missing: readonly string[];
  /** Kinds granted whole that the set grants only in part or not at all (`ffi`, `import`). */
  readonly broader: readonly string[];
  /** Every kind granted whole: `-A`, `--allow-all`, or the like. */
  readonly everything: boolean;
  /** How far `import` reaches when it is granted whole and not counted broader; else null. */
  readonly importReach: Exclude<ImportReach, "network"> | null;
}

/** Judges what `query` says is granted against `set` (`grantOfSet` of the manifest's set). */
export function judgeGrants(
  set: Grant,
  query: PermissionQuery,
  reach: ImportReach = "network",
): GrantJudgement {
  const granted: string[] = [];
  const scoped: Record<string, string[]> = {};
  const missing: string[] = [];
  const broader: string[] = [];
  let importReach: GrantJudgement["importReach"] = null;
  for (const kind of PERMISSION_KINDS) {
    const whole = ask(query, { name: kind });
    if (whole) granted.push(kind);
    const want = set["allow-all"] === true ? true : set[`allow-${kind}`];
    if (want === true) {
      if (!whole) missing.push(kind);
      continue;
    }
    if (whole && kind === "import" && reach !== "network") {
      importReach = reach;
      continue;
    }
    if (whole) {
      broader.push(kind);
      continue;
    }
    for (const value of want ?? []) {
      if (ask(query, descriptor(kind, value))) (scoped[kind] ??= []).push(value);
      else missing.push(`${kind}:${value}`);
    }
  }
  return {
    granted,
    scoped,
    missing,
    broader,
    everything: granted.length === PERMISSION_KINDS.length,
    importReach,
  };
}

/**
 * The granted permissions as a list for a message: `read, write, run, sys
 * (hostname, uid)`, or "nothing". An `import` that reaches no further than
 * Deno's cache says so: `import (… --cached-only)`.
 */
export function grantedText(judged: GrantJudgement): string {
  const parts: string[] = [];
  for (const kind of PERMISSION_KINDS) {
    if (kind === "import" && judged.importReach !== null && judged.granted.includes(kind)) {
      parts.push(
        judged.importReach === "none"
          ? "import (no remote module can load: --no-remote)"
          : "import (only modules already in Deno's cache: --cached-only)",
      );
    } else if (judged.granted.includes(kind)) parts.push(kind);
    else if (judged.scoped[kind] !== undefined) {
      parts.push(`${kind} (${judged.scoped[kind].join(", ")})`);
    }
  }
  return parts.length === 0 ? "nothing" : parts.join(", ");
}

function ask(query: PermissionQuery, descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return query(descriptor) === "granted";
  } catch {
    // A value Deno does not know (a sys kind of a newer Deno) is not granted.
    return false;
  }
}

function descriptor(kind: PermissionKind, value: string): Deno.PermissionDescriptor {
  switch (kind) {
    case "read":
    case "write":
    case "ffi":
      return { name: kind, path: value };
    case "net":
      return { name: "net", host: value };
    case "import":
      return { name: "import", host: value };
    case "env":
      return { name: "env", variable: value };
    case "sys":
      return { name: "sys", kind: value as NonNullable<Deno.SysPermissionDescriptor["kind"]> };
    case "run":
      return { name: "run", command: value };
  }
}
