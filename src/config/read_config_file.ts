/**
 * Reads a client config for planning: its text (a UTF-8 byte order mark is
 * set aside and restored on write), the exact bytes and mtime to detect a
 * change on disk before writing, and its mode to keep. The I/O half of
 * `config/`.
 *
 * @example
 * ```ts
 * const file = await readConfigFile("/Users/ana/.cursor/mcp.json");
 * file.text; // '{ "mcpServers": … }'
 * ```
 */
import { AppError } from "../errors.ts";
import { fileMode } from "../platform/file_mode.ts";
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";
import { type ConfigCommand, configFileHints } from "./config_command.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";
import { configReadFix } from "./config_read_fix.ts";

/**
 * The most bytes of a config file read. Claude Code's `~/.claude.json` keeps
 * every project's history and state beside its servers and grows to tens of
 * MiB in real use, so the limit is well above that; it exists so that a file
 * that is no config (a disk image, a log, a sparse file of gigabytes) is
 * refused as too large instead of being read into memory whole.
 */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024 * 1024;

/** A config file as read. */
export interface ConfigFile {
  /** The path as given. */
  path: string;
  /** The text without a byte order mark. */
  text: string;
  /** Whether the file began with a UTF-8 byte order mark. */
  bom: boolean;
  /** The bytes as read. */
  bytes: Uint8Array;
  /** Modification time in ms, or null where unknown. */
  mtime: number | null;
  /** Permission bits, or undefined on Windows. */
  mode: number | undefined;
}

/**
 * Reads `path`, or throws `config.not_found` / `config.unreadable` (also
 * for a file over {@linkcode MAX_CONFIG_FILE_BYTES}, never read whole) /
 * `config.invalid`; a `config.unreadable` whose reason decides the fix
 * (permission denied, a special file) carries it as its hint (see
 * `config_read_fix.ts`). `command` says how the command at hand takes the file,
 * for the hints of a missing one (the default: INPUT, as `wrap-config` and
 * `unwrap-config` take it).
 */
export async function readConfigFile(
  path: string,
  command: ConfigCommand = { name: "wrap-config", takes: "INPUT" },
): Promise<ConfigFile> {
  let bytes: Uint8Array;
  let mtime: number | null;
  try {
    // Only a regular file (or a link to one): a FIFO would hold every command for ever.
    bytes = await readRegularFile(path, { limit: MAX_CONFIG_FILE_BYTES });
    mtime = (await Deno.stat(path)).mtime?.getTime() ?? null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      // A link that leads nowhere is named with where it leads: "no such file" beside an
      // `ls` that lists it would send the user looking in the wrong place.
      const target = await danglingTarget(path);
      if (target !== undefined) {
        throw new AppError(
          "config.not_found",
          `cannot read config "${path}": it is a symbolic link that leads to "${target}", ` +
            "which does not exist",
          {
            cause: error,
            hints: [
              `put the config back at "${target}", or replace the link "${path}" with the ` +
              "config itself",
              ...configFileHints(command),
            ],
          },
        );
      }
      throw new AppError("config.not_found", `cannot read config "${path}": no such file`, {
        cause: error,
        hints: configFileHints(command),
      });
    }
    if (error instanceof FileOverLimitError) {
      throw new AppError("config.unreadable", `cannot read config "${path}": ${error.message}`, {
        cause: error,
        hints: [
          "a client config this large is almost certainly not one: move it aside and put the " +
          "client's config back, or trim it",
        ],
      });
    }
    const why = error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : error instanceof Deno.errors.NotCapable
      // Deno opens a device or a process's own file (/dev/stdin) only with every permission.
      ? "it is a special file thoth does not read (a device, or a process's own file such as " +
        "/dev/stdin), not a config file"
      : error instanceof Error
      ? error.message
      : String(error);
    const fix = configReadFix(error, path);
    throw new AppError("config.unreadable", `cannot read config "${path}": ${why}`, {
      cause: error,
      hints: fix === null ? [] : [fix],
    });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new AppError("config.invalid", `cannot read config "${path}": it is not UTF-8 text`, {
      cause: error,
    });
  }
  const bom = text.startsWith("\uFEFF");
  return {
    path,
    text: bom ? text.slice(1) : text,
    bom,
    bytes,
    mtime,
    mode: await fileMode(path),
  };
}

/** Links followed at most, as a system does before it gives up (ELOOP). */
const MAX_LINKS = 40;

/**
 * Where the symbolic link at `path` leads in the end (each link's target
 * taken from the folder of the link), when that place does not exist; else
 * undefined (no link there, or a loop, or a link that cannot be read).
 */
async function danglingTarget(path: string): Promise<string | undefined> {
  let at = path;
  for (let hop = 0; hop < MAX_LINKS; hop++) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(at);
    } catch (error) {
      return hop > 0 && error instanceof Deno.errors.NotFound ? at : undefined;
    }
    if (!info.isSymlink) return undefined;
    let target: string;
    try {
      target = await Deno.readLink(at);
    } catch {
      return undefined;
    }
    at = besideLink(at, target);
  }
  return undefined;
}

/** `target` read from the link at `link`, as a path: a relative one is taken from the link's folder. */
function besideLink(link: string, target: string): string {
  if (isAbsolutePath(target)) return target;
  const cut = Math.max(link.lastIndexOf("/"), link.lastIndexOf("\\"));
  return cut < 0 ? target : `${link.slice(0, cut + 1)}${target}`;
}
