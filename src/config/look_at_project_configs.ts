/**
 * Reads one client's project configs: the config file of that client in each
 * project folder Claude Code's `~/.claude.json` lists, found by the same
 * lookup `thoth doctor` uses ({@linkcode projectConfigPlaces}). For
 * `thoth status --client` and `thoth wrap-config --client`, which otherwise
 * read only the client's own files. A place with no file is no error, as
 * for `doctor`; a folder that is gone (or is no folder) is said so; a folder
 * thoth may not read in (a system folder such as `/proc/self`) is not looked
 * in, and said so in plain words; a file that cannot be read is returned
 * with its error (`doctor` fails on it).
 *
 * @example
 * ```ts
 * const look = await lookAtProjectConfigs({ client: "claude-code", os: "linux", env: { HOME: "/home/ana" } });
 * look?.places.filter((place) => place.state === "found").map((place) => place.path);
 * // ["/home/ana/src/web/.mcp.json"]
 * ```
 */
import type { ClientId } from "./client_id.ts";
import { clientConfigPlaces, defaultConfigPath } from "./default_config_path.ts";
import type { ConfigCommand } from "./config_command.ts";
import { type ConfigFile, readConfigFile } from "./read_config_file.ts";
import { missingHomeVariable } from "./discover_client_configs.ts";
import {
  type ProjectConfigPlace,
  projectConfigPlaces,
  readsProjectConfigs,
} from "./project_config_places.ts";
import { goneFolders } from "./gone_folders.ts";
import { isAppError } from "../errors.ts";

/**
 * One project config place and what is there: `found` (read, in `file`),
 * `none` (the folder is there, the file is not), `folder_missing` (the
 * folder `~/.claude.json` lists is gone, or is not a folder),
 * `not_looked_at` (a folder thoth may not read in, such as `/proc/self`),
 * `unreadable` (the file cannot be read: `error` says why). `invalid` (read,
 * but it cannot be parsed or understood) is set by status's planning
 * ({@linkcode ProjectConfigState}).
 */
export interface ProjectConfigLook extends ProjectConfigPlace {
  state: ProjectConfigState;
  /** The file as read, when `state` is `found` (or `invalid`). */
  file: ConfigFile | null;
  /** Why it cannot be used, when `state` is `unreadable` or `invalid` (an `AppError` with hints). */
  error: unknown;
}

/** What is at a project config place (see {@linkcode ProjectConfigLook}). */
export type ProjectConfigState =
  | "found"
  | "none"
  | "folder_missing"
  | "not_looked_at"
  | "unreadable"
  | "invalid";

/** At most this many paths are named in one line of words; `--json` names them all. */
export const MAX_PATHS_NAMED = 5;

/**
 * `paths`, quoted, the first {@linkcode MAX_PATHS_NAMED} of them and
 * "and N more" for the rest.
 *
 * @example
 * ```ts
 * namedPaths(["/a", "/b"]); // '"/a", "/b"'
 * ```
 */
export function namedPaths(paths: readonly string[]): string {
  const named = paths.slice(0, MAX_PATHS_NAMED).map((path) => `"${path}"`).join(", ");
  const more = paths.length - MAX_PATHS_NAMED;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** What {@linkcode lookAtProjectConfigs} looked at, and what not. */
export interface ProjectConfigsLook {
  /** Claude Code's `~/.claude.json`, which lists the project folders. */
  listedIn: string;
  /** Whether `listedIn` could be read (when not, no project folder is known). */
  listRead: boolean;
  /** Each place of this client, in the order of the folders. */
  places: ProjectConfigLook[];
  /** Places this client may read that were not looked at, in words. */
  notChecked: string[];
}

/** What the lookup needs. */
export interface ProjectConfigsFacts {
  client: ClientId;
  os: string;
  env: Readonly<Record<string, string | undefined>>;
  /** How the command at hand takes a file, for the hints of a file that cannot be read. */
  command?: ConfigCommand;
}

/**
 * Looks at `client`'s config in every project folder `~/.claude.json` lists;
 * null when the client reads no project configs (Claude Desktop, Windsurf)
 * or no home folder is known.
 */
export async function lookAtProjectConfigs(
  facts: ProjectConfigsFacts,
): Promise<ProjectConfigsLook | null> {
  if (!readsProjectConfigs(facts.client) || missingHomeVariable(facts.env, facts.os) !== null) {
    return null;
  }
  const listedIn = defaultConfigPath("claude-code", facts);
  const file = projectFileName(facts.client);
  const unlisted = `${file} files in folders ~/.claude.json does not list (check one with ` +
    `"thoth status --config FILE")`;
  let text: string;
  try {
    text = (await readConfigFile(listedIn)).text;
  } catch (error) {
    const why = isAppError(error, "config.not_found")
      ? "it is not there"
      : error instanceof Error
      ? error.message
      : String(error);
    return {
      listedIn,
      listRead: false,
      places: [],
      notChecked: [
        `every project folder's ${file}: "${listedIn}" lists them, and ${why}`,
        unlisted,
      ],
    };
  }
  const found = projectConfigPlaces(text, facts.os, facts.client);
  // A project folder that is the home folder: its file is the client's own, read already.
  const own = new Set(clientConfigPlaces(facts.client, facts));
  // A folder that is gone (most on a machine used for a while) is one stat, not a failed read.
  const gone = await goneFolders(found.places.map((place) => place.folder));
  const places: ProjectConfigLook[] = [];
  for (const place of found.places) {
    if (own.has(place.path)) continue;
    places.push(
      gone.has(place.folder)
        ? { ...place, state: "folder_missing", file: null, error: null }
        : await lookAt(place, facts.command),
    );
  }
  const notChecked: string[] = [];
  const barred = places.filter((place) => place.state === "not_looked_at")
    .map((place) => place.folder);
  if (barred.length > 0) {
    notChecked.push(
      `${file} in ${barred.length} listed folder${barred.length === 1 ? "" : "s"} that ` +
        `thoth does not read in (system folders such as /proc/self): ${namedPaths(barred)}`,
    );
  }
  return { listedIn, listRead: true, places, notChecked: [...notChecked, unlisted] };
}

/** The file name `client` reads in a project folder. */
export function projectFileName(client: ClientId): string {
  return client === "cursor"
    ? ".cursor/mcp.json"
    : client === "vscode"
    ? ".vscode/mcp.json"
    : ".mcp.json";
}

async function lookAt(
  place: ProjectConfigPlace,
  command: ConfigCommand | undefined,
): Promise<ProjectConfigLook> {
  try {
    const file = await readConfigFile(place.path, command);
    return { ...place, state: "found", file, error: null };
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    // Deno keeps some system folders (/proc/self, /proc/1/root…) from any program not
    // granted everything: not a problem of the project, and no reason to grant more.
    if (cause instanceof Deno.errors.NotCapable) {
      return { ...place, state: "not_looked_at", file: null, error: null };
    }
    // A listed "folder" that is a file (or a FIFO), or a ".cursor" that is a file: see below.
    if (!isAppError(error, "config.not_found") && !(cause instanceof Deno.errors.NotADirectory)) {
      return { ...place, state: "unreadable", file: null, error };
    }
  }
  try {
    const folder = await Deno.stat(place.folder);
    // A listed folder that is not a folder holds no project: as good as gone.
    if (!folder.isDirectory) return { ...place, state: "folder_missing", file: null, error: null };
    return { ...place, state: "none", file: null, error: null };
  } catch (error) {
    if (error instanceof Deno.errors.NotADirectory) {
      return { ...place, state: "folder_missing", file: null, error: null };
    }
    if (error instanceof Deno.errors.NotFound) {
      return { ...place, state: "folder_missing", file: null, error: null };
    }
    // The file is not there as far as this user can see: nothing for doctor to fail on either.
    return { ...place, state: "none", file: null, error: null };
  }
}
