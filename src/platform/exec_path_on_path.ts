/**
 * The path to write for a program that must be started again later (in a
 * client config): the first `PATH` entry that leads to the very file running
 * now, else the file itself. The running file's path is where links end (a
 * compiled thoth installed as `/usr/local/bin/thoth` →
 * `../Cellar/thoth/1.2.3/bin/thoth` runs as the versioned file); written
 * down, it stops working when an upgrade removes that folder, while the
 * link on `PATH` is moved to the new version. Pure: the link resolution is
 * passed in.
 *
 * Only absolute `PATH` folders are looked in (a relative one depends on the
 * folder the client starts in), in order, each for each of `names`; an entry
 * counts when `realPath` leads it to the file `execPath` leads to.
 *
 * @example
 * ```ts
 * const links: Record<string, string> = {
 *   "/usr/local/bin/thoth": "/usr/local/Cellar/thoth/1.2.3/bin/thoth",
 * };
 * execPathOnPath({
 *   execPath: "/usr/local/Cellar/thoth/1.2.3/bin/thoth",
 *   names: ["thoth"],
 *   pathValue: "/usr/bin:/usr/local/bin",
 *   os: "darwin",
 *   realPath: (path) => links[path] ?? (path.includes("Cellar") ? path : undefined),
 * }); // "/usr/local/bin/thoth"
 * ```
 */

/** What {@linkcode execPathOnPath} looks at. */
export interface ExecPathLookup {
  /** The running executable, as `Deno.execPath()` gives it. */
  readonly execPath: string;
  /** The file names to try in each `PATH` folder (`thoth`, `deno`, `thoth.exe`). */
  readonly names: readonly string[];
  /** The value of `PATH` (see `path_variable.ts`). */
  readonly pathValue: string;
  /** A `Deno.build.os` value: `;` separates `PATH` on Windows, `:` elsewhere. */
  readonly os: string;
  /** Where `path` leads with every link followed, or undefined when nothing is there. */
  readonly realPath: (path: string) => string | undefined;
}

/** The first `PATH` entry that is `execPath` or a link to it, else `execPath`. */
export function execPathOnPath(lookup: ExecPathLookup): string {
  const { execPath, names, pathValue, os, realPath } = lookup;
  const target = realPath(execPath) ?? execPath;
  const windows = os === "windows";
  for (const dir of pathValue.split(windows ? ";" : ":")) {
    if (!isAbsoluteFolder(dir, windows)) continue;
    for (const name of names) {
      if (name === "" || /[\\/]/.test(name)) continue;
      const candidate = /[\\/]$/.test(dir)
        ? `${dir}${name}`
        : `${dir}${windows ? "\\" : "/"}${name}`;
      if (realPath(candidate) === target) return candidate;
    }
  }
  return execPath;
}

function isAbsoluteFolder(dir: string, windows: boolean): boolean {
  return windows ? /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith("\\\\") : dir.startsWith("/");
}
