/**
 * Which of the project folders `~/.claude.json` lists are gone: nothing at
 * the path (or a link to nothing). A machine used for a while lists many, as
 * Claude Code adds a folder when it is first opened and never drops one;
 * each gone folder is one `stat` instead of one failed read per client
 * config in it. A few at a time, so that thousands take well under a second.
 * The I/O half of the project lookup.
 *
 * @example
 * ```ts
 * const gone = await goneFolders(["/home/ana/web", "/tmp/deleted"]);
 * gone.has("/tmp/deleted"); // true
 * ```
 */

/** How many folders are looked at at once. */
const AT_ONCE = 16;

/**
 * The folders of `folders` with nothing at their path. One that cannot be
 * told (no permission, a folder thoth may not read in) is not gone: its
 * configs are looked at, and what is wrong is reported there.
 */
export async function goneFolders(folders: readonly string[]): Promise<Set<string>> {
  const gone = new Set<string>();
  const unique = [...new Set(folders)];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const folder = unique[next++]!;
      try {
        await Deno.stat(folder);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) gone.add(folder);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, unique.length) }, worker));
  return gone;
}
