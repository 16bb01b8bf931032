/**
 * Reads the `--intent-map` file of `wrap-config`: read as a config file is
 * (a regular file, UTF-8, size-capped), then parsed by
 * {@linkcode parseIntentMap}. A file that cannot be read is
 * `intent_map.unreadable`, with what to do about it: a path that leads to
 * no file, a link that leads nowhere, a file this user may not read. The
 * I/O half of `config/`.
 *
 * @example
 * ```ts
 * await readIntentMapFile("/home/ana/intent_map.json", "/home/ana");
 * // { gdrive: "calendar_management" }
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { readConfigFile } from "./read_config_file.ts";
import { parseIntentMap } from "./parse_intent_map.ts";

/** What an intent map holds, named in the hints. */
const SHAPE = 'a JSON object of server name → intent, such as {"gdrive": "calendar_management"}';

/**
 * The map in the file at `path` (absolute), or throws `intent_map.unreadable`
 * / `intent_map.invalid`; `cwd` is the folder a relative `--intent-map` was
 * taken from, named in the hint of a missing file.
 */
export async function readIntentMapFile(
  path: string,
  cwd: string,
): Promise<Record<string, string>> {
  let text: string;
  try {
    text = (await readConfigFile(path)).text;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(
      "intent_map.unreadable",
      message.replace(/^cannot read config /, "cannot read intent map "),
      { cause: error, hints: [`${remedy(error, path, cwd)}; nothing was written`] },
    );
  }
  return parseIntentMap(text, path);
}

/** What to do about the intent map at `path` that could not be read (`error`). */
function remedy(error: unknown, path: string, cwd: string): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (isAppError(error, "config.not_found")) {
    // A link that leads nowhere: the reader's own first hint names where it leads.
    const link = /symbolic link/.test(error.message) ? error.hints[0] : undefined;
    if (link !== undefined) return link.replaceAll("the config", "the intent map");
    return `check the --intent-map path (a relative one is taken from the current folder, ` +
      `"${cwd}"); the file is ${SHAPE}; or leave out --intent-map`;
  }
  if (cause instanceof Deno.errors.PermissionDenied) {
    return `let this user read "${path}", or copy the map where this user can read it`;
  }
  return `pass --intent-map the path of a regular file holding ${SHAPE}`;
}
