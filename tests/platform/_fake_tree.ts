/**
 * A fake file system for the pure path judges (`redirectable_part.ts`,
 * `exec_path_on_path.ts`): folders, files and links with owners and modes.
 *
 * @example
 * ```ts
 * const { lstat, readLink, realPath } = tree({ "/srv/ww": { kind: "dir", mode: 0o777 } });
 * ```
 */
import type { PathPartInfo } from "../../src/platform/redirectable_part.ts";

/** One part of a fake file system: a folder, a file, or a link to `to`; root's 0755 unless given. */
export interface Part {
  kind: "dir" | "file" | "link";
  uid?: number;
  mode?: number;
  to?: string;
}

/**
 * A fake file system of `parts`, every folder above a listed part a folder
 * of root's (0755) unless listed itself: its `lstat`, `readLink`, and
 * `realPath` (links followed, relative ones from their folder).
 */
export function tree(parts: Record<string, Part>) {
  const all: Record<string, Part> = { "/": { kind: "dir" } };
  for (const path of Object.keys(parts)) {
    for (let at = path.replace(/\/[^/]*$/, ""); at !== ""; at = at.replace(/\/[^/]*$/, "")) {
      all[at] ??= { kind: "dir" };
    }
  }
  Object.assign(all, parts);
  const lstat = (path: string): PathPartInfo | undefined => {
    const part = all[path];
    if (part === undefined) return undefined;
    const type = part.kind === "dir" ? 0o40000 : part.kind === "file" ? 0o100000 : 0o120000;
    return {
      uid: part.uid ?? 0,
      mode: type | (part.mode ?? (part.kind === "link" ? 0o777 : 0o755)),
      isSymlink: part.kind === "link",
      isDirectory: part.kind === "dir",
    };
  };
  const readLink = (path: string) => all[path]?.to;
  const realPath = (path: string): string | undefined => {
    let at = "";
    const rest = path.split("/").filter((p) => p !== "");
    for (let hops = 0; rest.length > 0;) {
      const name = rest.shift()!;
      at = name === ".." ? at.replace(/\/[^/]*$/, "") : `${at}/${name}`;
      const part = all[at || "/"];
      if (part === undefined) return undefined;
      if (part.kind !== "link") continue;
      if (++hops > 40) return undefined;
      rest.unshift(...part.to!.split("/").filter((p) => p !== ""));
      at = part.to!.startsWith("/") ? "" : at.replace(/\/[^/]*$/, "");
    }
    return at || "/";
  };
  return { lstat, readLink, realPath };
}
