/**
 * Every entry of a bundle folder that is not a folder (files, links, FIFOs),
 * as paths relative to it with `/`, sorted; links are listed, never followed.
 * `verify --bundle` reports those its manifest does not list.
 *
 * @example
 * ```ts
 * await bundleEntries("/media/usb/q3"); // ["README.md", "checkpoints/…", …]
 * ```
 */
export async function bundleEntries(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (prefix: string): Promise<void> => {
    for await (const entry of Deno.readDir(prefix === "" ? dir : `${dir}/${prefix}`)) {
      const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else out.push(path);
    }
  };
  await walk("");
  return out.sort();
}
