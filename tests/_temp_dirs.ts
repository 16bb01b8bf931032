/**
 * Temp folders (and files beside them) that tests leave behind on purpose
 * while they run, removed when the test process unloads: a test that fails
 * halfway still leaves nothing in the system's temp folder.
 *
 * @example
 * ```ts
 * const home = await tempFolder("thoth-audit-");
 * removeOnUnload(`${home}-anchor.note`);
 * ```
 */

const made: string[] = [];
let armed = false;

/** A new temp folder, removed with everything in it when the test process unloads. */
export async function tempFolder(prefix: string): Promise<string> {
  const path = await Deno.makeTempDir({ prefix });
  removeOnUnload(path);
  return path;
}

/** Removes `path` (a file or a folder) when the test process unloads. */
export function removeOnUnload(path: string): void {
  made.push(path);
  if (armed) return;
  armed = true;
  globalThis.addEventListener("unload", () => {
    for (const each of made.splice(0)) {
      try {
        Deno.removeSync(each, { recursive: true });
      } catch {
        // Already gone.
      }
    }
  });
}
