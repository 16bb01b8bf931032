/**
 * Whether a program path written into a client config, for the client to
 * start later, can be made to lead elsewhere by another user: the rule
 * `exec_path_on_path.ts` picks a `PATH` entry by (`redirectable_part.ts`),
 * for any path, so that the path written when no entry is safe (the running
 * binary's own, perhaps in a folder anyone may write to) or a `--thoth-path`
 * is judged the same way. `self` is who runs thoth: the parts may be that
 * user's or root's (root alone when root runs it, or when who runs it cannot
 * be known). Windows has no POSIX owners, and a path that is not absolute
 * and `/`-separated cannot be judged: for both, nothing is found. Thoth run
 * from source is judged by its entry script and deno's config too
 * ({@linkcode writtenCommandRisks}). Pure: what `lstat` and `readLink` find
 * is passed in.
 *
 * @example
 * ```ts
 * const parts: Record<string, { uid: number; mode: number; isSymlink: boolean; isDirectory: boolean }> = {
 *   "/": { uid: 0, mode: 0o40755, isSymlink: false, isDirectory: true },
 *   "/shared": { uid: 0, mode: 0o40777, isSymlink: false, isDirectory: true },
 *   "/shared/deno": { uid: 0, mode: 0o100755, isSymlink: false, isDirectory: false },
 * };
 * writtenPathRisk("/shared/deno", {
 *   os: "linux",
 *   lstat: (path) => parts[path],
 *   readLink: () => undefined,
 *   self: 1000,
 * }); // { path: "/shared", uid: 0, why: "writable" }
 * ```
 */
import { type PathPartInfo, type RedirectablePart, redirectablePart } from "./redirectable_part.ts";

/** What {@linkcode writtenPathRisk} looks at. */
export interface WrittenPathLook {
  /** A `Deno.build.os` value: on Windows nothing is judged. */
  readonly os: string;
  /** What is at `path` itself, links not followed; undefined when nothing can be found there. */
  readonly lstat: (path: string) => PathPartInfo | undefined;
  /** What the link at `path` holds, as written; undefined when it cannot be read. */
  readonly readLink: (path: string) => string | undefined;
  /** The user running thoth (root: 0), or null where it cannot be known. */
  readonly self: number | null;
}

/** The users a part of a written path may belong to: `self` and root; root alone for root or unknown. */
export function trustedUsers(self: number | null): ReadonlySet<number> {
  return new Set(self === null || self === 0 ? [0] : [0, self]);
}

/**
 * The first part of `path`, or of where its links lead, that a user other
 * than `look.self` and root can change; undefined when there is none, on
 * Windows, or for a path that is not absolute.
 */
export function writtenPathRisk(path: string, look: WrittenPathLook): RedirectablePart | undefined {
  if (look.os === "windows" || !path.startsWith("/")) return undefined;
  return redirectablePart(path, {
    lstat: look.lstat,
    readLink: look.readLink,
    trusted: trustedUsers(look.self),
  });
}

/** What a path in thoth's written command is: what starts, thoth's entry script, deno's config. */
export type WrittenPathRole = "program" | "script" | "config";

/** A path of thoth's written command that another user can change, and the part they can. */
export interface WrittenCommandRisk {
  readonly path: string;
  readonly role: WrittenPathRole;
  readonly part: RedirectablePart;
}

/**
 * The paths of `command`, thoth's command as written into a client config,
 * that another user can change (`partOf` judges one, as
 * {@linkcode writtenPathRisk} does): the program that starts, and, for thoth
 * run from source (deno, then its launch words, then the entry script), the
 * entry script and the `--config=` file (deno.json, whose import map and
 * permission set deno reads), each with every folder above it, so a
 * checkout another user may write to is found as a binary in one is. One
 * risk a part already named leads through is not said again.
 *
 * @example
 * ```ts
 * writtenCommandRisks(["/usr/bin/deno", "run", "--config=/src/thoth/deno.json", "/src/thoth/src/cli/thoth.ts"],
 *   (path) => path.startsWith("/src/") ? { path: "/src", uid: 1001, why: "owner" } : undefined);
 * // [{ path: "/src/thoth/src/cli/thoth.ts", role: "script", part: { path: "/src", … } }]
 * ```
 */
export function writtenCommandRisks(
  command: readonly string[],
  partOf: (path: string) => RedirectablePart | undefined,
): WrittenCommandRisk[] {
  const [program, ...words] = command;
  if (program === undefined) return [];
  const paths: { path: string; role: WrittenPathRole }[] = [{ path: program, role: "program" }];
  const script = words.at(-1);
  if (script !== undefined) {
    paths.push({ path: script, role: "script" });
    const config = words.find((word) => word.startsWith("--config="));
    if (config !== undefined) {
      paths.push({ path: config.slice("--config=".length), role: "config" });
    }
  }
  const risks: WrittenCommandRisk[] = [];
  for (const { path, role } of paths) {
    const part = partOf(path);
    if (part === undefined || risks.some((risk) => risk.part.path === part.path)) continue;
    risks.push({ path, role, part });
  }
  return risks;
}
