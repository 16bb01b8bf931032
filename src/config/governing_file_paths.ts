/**
 * The files that govern thoth's sessions but that the protection of the
 * profile folder does not cover by their path: a `--policy` file outside
 * `THOTH_HOME` (by its absolute path and its real path), and the real paths
 * of the policy and intent map a session reads, when a symbolic link leads
 * elsewhere (`policy.jsonc` → `/etc/thoth/managed.jsonc`). A governed server
 * runs as the same user: writing one of them would loosen the rules it runs
 * under, at once for `policy explain` and at its next start for `thoth run`.
 * Resolved on the unsandboxed side (the proxy core may read neither the
 * working folder nor these paths); a path that cannot be resolved (no file
 * there) is given as written. Paths at or under the profile folder (as given
 * or real) are left out: that protection covers them already.
 *
 * @example
 * ```ts
 * await governingFilePaths({ thothHome: "/home/ana/.thoth", policyFile: "../p.jsonc", cwd: "/srv/app" });
 * // ["/srv/p.jsonc"] (with its real path too, when it differs)
 * ```
 */
import { isAbsolutePath } from "./is_absolute_path.ts";
import { joinPath } from "../platform/join_path.ts";
import { normalizePath } from "../policy/normalize_path.ts";

/** What {@linkcode governingFilePaths} resolves from. */
export interface GoverningFileFacts {
  /** The profile folder, as the session uses it. */
  thothHome: string;
  /** Its real path, when known and different. */
  thothHomeReal?: string | undefined;
  /** The policy file the session reads: `--policy` as given (maybe relative), or the profile's. */
  policyFile: string;
  /** The folder a relative `--policy` is read from (thoth's working folder). */
  cwd: string;
}

/** The governing files to protect beside the profile folder, each once. */
export async function governingFilePaths(facts: GoverningFileFacts): Promise<string[]> {
  const absolute = isAbsolutePath(facts.policyFile)
    ? facts.policyFile
    : joinPath(facts.cwd, facts.policyFile);
  const policy = absolute.startsWith("/") ? normalizePath(absolute) : absolute;
  const found = [policy];
  const candidates = [
    policy,
    joinPath(facts.thothHome, "policy.jsonc"),
    joinPath(facts.thothHome, "intent_map.json"),
  ];
  for (const path of candidates) {
    const real = await Deno.realPath(path).catch(() => undefined);
    if (real !== undefined) found.push(real);
  }
  return outsideProfile(found, [facts.thothHome, facts.thothHomeReal]);
}

/** `paths` without those at or under one of `folders`, each once. Pure. */
export function outsideProfile(
  paths: readonly string[],
  folders: readonly (string | undefined)[],
): string[] {
  // A root folder (`/`, never a profile thoth accepts) holds no path apart: none is left out.
  const roots = folders.filter((f): f is string => f !== undefined)
    .map((f) => f.replace(/[\\/]+$/, "")).filter((f) => f !== "");
  const inside = (path: string) =>
    roots.some((root) =>
      path === root || path.startsWith(`${root}/`) || path.startsWith(`${root}\\`)
    );
  return [...new Set(paths)].filter((path) => path !== "" && !inside(path));
}
