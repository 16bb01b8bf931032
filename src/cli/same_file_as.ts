/**
 * Whether an `--output` path names the input file itself (through a link),
 * so that the write is made in place.
 */
/**
 * `output` as the path of `input` when both name one file (a link to it, or
 * a path through a linked folder), so that the write is in place: one
 * backup, the input's own checks. A file that does not exist yet is judged
 * by its folder's real path and its name. Else `output` as it is.
 *
 * @example
 * ```ts
 * await sameFileAs("/home/ana/link/config.json", "/home/ana/Claude/config.json");
 * // "/home/ana/Claude/config.json" when /home/ana/link is a link to /home/ana/Claude
 * ```
 */
export async function sameFileAs(output: string, input: string): Promise<string> {
  if (output === input) return input;
  const [out, real] = await Promise.all([realFilePath(output), realFilePath(input)]);
  return out !== undefined && out === real ? input : output;
}

/** The real path of `path`, or of its folder and its name when it is not there; else undefined. */
async function realFilePath(path: string): Promise<string | undefined> {
  try {
    return await Deno.realPath(path);
  } catch {
    // Not there yet (or not reachable): its folder decides.
  }
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (cut < 0) return undefined;
  const name = path.slice(cut + 1);
  if (name === "" || name === "." || name === "..") return undefined;
  try {
    const folder = await Deno.realPath(cut === 0 ? path.slice(0, 1) : path.slice(0, cut));
    return `${folder.replace(/[\\/]+$/, "")}${path[cut]}${name}`;
  } catch {
    return undefined;
  }
}
