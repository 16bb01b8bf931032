/**
 * The most each permission set of `deno.json` may grant, pinned here so that
 * widening a set (a kind it did not grant, a `sys` or `net` value it did not
 * list, a scoped grant made unscoped) fails CI unless this table changes in
 * the same commit, where a reviewer sees it. A set this table does not name
 * is a finding too: a new set is a new way to run the project's code. Pure.
 *
 * @example
 * ```ts
 * checkCeilings({ thothctl: { read: true, run: true } }).map((f) => f.message);
 * // ['grants run beyond its ceiling in src/release/permission_ceiling.ts (…)']
 * ```
 */
import { broaderKinds, describeGrant, grantOfSet } from "./permission_grants.ts";
import type { Finding } from "./permission_finding.ts";

/**
 * Per set, the kinds it may grant: `true` for any value, a list for only
 * those values; a kind left out may not be granted at all. Taken from the
 * manifest as reviewed; narrowing a set needs no change here.
 *
 * @example
 * ```ts
 * PERMISSION_CEILINGS["thothctl"]?.["run"]; // ["/bin/ps", "/usr/bin/ps"]: thothctl runs only ps
 * ```
 */
export const PERMISSION_CEILINGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // The sidecar: starts the MCP server and the approval dialog, reaches the enforcer.
  thoth: {
    read: true,
    write: true,
    env: true,
    run: true,
    net: true,
    sys: ["hostname", "osRelease", "uid", "gid"],
  },
  // The admin CLI: no network; it runs only `ps` by absolute path, to see whether an
  // approval command runs inside a server thoth governs (src/cli/governed_caller_check.ts).
  thothctl: {
    read: true,
    write: true,
    env: true,
    run: ["/bin/ps", "/usr/bin/ps"],
    sys: ["hostname", "osRelease", "uid"],
  },
  // Tests start thoth and MCP servers and talk to them over loopback only.
  test: {
    read: true,
    write: true,
    env: true,
    run: true,
    sys: true,
    net: ["127.0.0.1", "localhost"],
  },
  // The release build writes only under dist/ and runs deno compile and lipo.
  build: { read: true, write: ["./dist"], env: true, run: true },
  // CI's permission gate only reads.
  check_permissions: { read: true },
};

/**
 * The sets that may grant `run` without scope, each with the reason. Deno's
 * documentation calls an unscoped `--allow-run` allow-all-equivalent: a
 * program it starts runs outside the sandbox, so a set granting it is, in
 * effect, `-A`. Every other set must list the programs it runs, and
 * `unscoped_run_check.ts` reports it when it does not; these are reported as
 * notes. Widening this list, like a ceiling, is done where a reviewer sees it.
 *
 * @example
 * ```ts
 * Object.hasOwn(UNSCOPED_RUN_ALLOWED, "thothctl"); // false
 * ```
 */
export const UNSCOPED_RUN_ALLOWED: Readonly<Record<string, string>> = {
  thoth: "it starts whatever MCP server command a client's config names (and the OS " +
    "approval dialog), so run cannot be scoped at build time; the boundary is the Worker the " +
    "proxy core runs in, which may start only the session's upstream command, once " +
    "(src/proxy/sandbox_permissions.ts)",
  test: "the tests start deno, git, a C compiler and MCP servers from npm",
  build: "the build runs deno compile, git, lipo and each binary it built (--version)",
};

/**
 * Every way the manifest's sets exceed {@linkcode PERMISSION_CEILINGS} (or
 * `ceilings`), one finding per set.
 *
 * @example
 * ```ts
 * checkCeilings({ check_permissions: { read: true, write: true } })[0]?.code; // "above_ceiling"
 * ```
 */
export function checkCeilings(
  sets: Readonly<Record<string, unknown>>,
  ceilings: Readonly<Record<string, Readonly<Record<string, unknown>>>> = PERMISSION_CEILINGS,
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, set] of Object.entries(sets)) {
    const where = `permission set "${name}"`;
    const ceiling = Object.hasOwn(ceilings, name) ? ceilings[name] : undefined;
    if (ceiling === undefined) {
      findings.push({
        code: "above_ceiling",
        where,
        message: "has no ceiling in src/release/permission_ceiling.ts, so nothing pins what " +
          "it may grant; add one there in the same commit (a reviewer sees it), or use an " +
          "existing set",
      });
      continue;
    }
    const limit = grantOfSet(ceiling);
    const wider = broaderKinds(grantOfSet(set), limit);
    if (wider.length === 0) continue;
    findings.push({
      code: "above_ceiling",
      where,
      message: `grants ${wider.join(", ")} beyond its ceiling in ` +
        `src/release/permission_ceiling.ts (${describeGrant(limit)}); narrow the set, or ` +
        "raise the ceiling in the same commit so a reviewer sees the widening",
    });
  }
  return findings;
}
