/**
 * Finds the MCP client configs of this machine and reports their servers,
 * governed or not: the shell half of `thoth doctor`'s and `thoth health`'s
 * client checks. Missing files are skipped; unreadable or broken ones are
 * reported with no servers and the error text.
 *
 * Where it looks (see {@linkcode discoverClientPlaces}, which also says so):
 * - each client's user config ({@linkcode clientConfigPlaces}): Claude
 *   Desktop, VS Code's `mcp.json` and its `settings.json` (`mcp.servers`),
 *   Cursor, Windsurf, Claude Code's `~/.claude.json` (user and local scopes);
 * - the same two files of VS Code Insiders and VSCodium, and of every profile
 *   of the three (`User/profiles/<id>/`, see {@linkcode findConfigPlaces});
 * - the project folders `~/.claude.json` lists (`projects`): their
 *   `.mcp.json` (Claude Code), `.cursor/mcp.json` and `.vscode/mcp.json`.
 *
 * Every folder listed is looked at: Claude Code adds one as it is first
 * opened, so the last listed may be the ones in use. `~/.claude.json` keeps
 * every project's history and grows to tens of MiB: it is read once, and its
 * tree (parsed after status's planning lets go of its own, so one at a time)
 * serves its servers' launches and its project folders; a listed folder that
 * is gone, as most are on a machine used for a while, costs one `stat` (see
 * {@linkcode goneFolders}). Project folders it has no list of are not looked
 * at, and the result says so. Without a home folder (`HOME` unset, see
 * {@linkcode missingHomeVariable}) no client's config is looked for, and the
 * result says that too. A `settings.json` without MCP servers is no MCP
 * config: it is left out (an unreadable one is reported only when its text
 * mentions `mcp`).
 *
 * @example
 * ```ts
 * const reports = await discoverClientConfigs({ env: Deno.env.toObject(), os: Deno.build.os });
 * const { places, notChecked } = await discoverClientPlaces({ env: Deno.env.toObject(), os: Deno.build.os });
 * ```
 */
import { CLIENT_IDS, type ClientId } from "./client_id.ts";
import { clientConfigPlaces } from "./default_config_path.ts";
import { findConfigPlaces } from "./find_config_places.ts";
import { isVscodeSettings } from "./vscode_user_places.ts";
import { mayNameMcpServers } from "./resolve_config_path.ts";
import { planStatus } from "./plan_status.ts";
import type { ServerStatus } from "./status_report.ts";
import type { RunReaders } from "./run_refusals.ts";
import { readConfigFile } from "./read_config_file.ts";
import { parseConfig } from "./parse_config.ts";
import { serverEntries, type ServerEntry } from "./server_entries.ts";
import { classifyEntry } from "./classify_entry.ts";
import { readThothInvocation } from "./thoth_invocation.ts";
import { invocationContext } from "./wrap_entry.ts";
import { projectConfigPlacesOf } from "./project_config_places.ts";
import { goneFolders } from "./gone_folders.ts";
import type { Node } from "jsonc-parser";
import { isFile } from "../platform/is_file.ts";
import { isAppError } from "../errors.ts";

/** One config file found, with its servers. */
export interface DiscoveredConfig {
  client: ClientId;
  path: string;
  /** `user`: the client's own config; `project`: a project folder's. */
  scope: "user" | "project";
  servers: ServerStatus[];
  /**
   * For each row of `servers`, by index: how a governed entry starts thoth
   * (its command and the arguments before `run`); null for other rows, and
   * when the entry could not be matched to its row.
   */
  thothLaunches: (string[] | null)[];
  /**
   * For each row of `servers`, by index: the entry's `env` variables named
   * `PATH` in any case, as `[name, value]` in file order (only these: `env`
   * can hold secrets); empty when none, or when the entry could not be matched.
   */
  envPaths: [string, string][][];
  /**
   * Why the file could not be read or parsed (a FIFO or a folder in its
   * place, broken JSON, a key given twice), or null. The client cannot use
   * such a file as thoth reads it: `doctor` and `health` report it.
   */
  error: string | null;
  /** What to do about `error`, when the error says; else null. */
  hint: string | null;
}

/** One place looked at. */
export interface DiscoveredPlace {
  client: ClientId;
  path: string;
  scope: "user" | "project";
  /** Whether something is at `path` (a file, or something reported in its place). */
  found: boolean;
}

/** What {@linkcode discoverClientPlaces} found and where it looked. */
export interface ClientPlaces {
  configs: DiscoveredConfig[];
  /** Every place looked at, in order. */
  places: DiscoveredPlace[];
  /** Places a client may read that were not looked at, in words. */
  notChecked: string[];
}

/** What the discovery needs. */
export interface DiscoveryFacts {
  env: Readonly<Record<string, string | undefined>>;
  os: string;
  thothCommand?: readonly string[];
  /** `thoth run`'s own readers, so that each row lists what it would refuse. */
  run?: RunReaders;
}

/** The configs at every place looked at. */
export async function discoverClientConfigs(facts: DiscoveryFacts): Promise<DiscoveredConfig[]> {
  return (await discoverClientPlaces(facts)).configs;
}

/** Looks at every client's user config and the project folders Claude Code lists. */
export async function discoverClientPlaces(facts: DiscoveryFacts): Promise<ClientPlaces> {
  const result: ClientPlaces = { configs: [], places: [], notChecked: [] };
  const seen = new Set<string>();
  // ~/.claude.json as parsed once, for the project folders it lists.
  let claudeJson: Node | undefined;
  const missing = missingHomeVariable(facts.env, facts.os);
  if (missing !== null) result.notChecked.push(noHomeText(missing));
  // Where VS Code may read servers beyond the files looked at.
  const vscodeNotChecked: string[] = [];
  for (const client of missing === null ? CLIENT_IDS : []) {
    let paths: string[];
    try {
      paths = clientConfigPlaces(client, { os: facts.os, env: facts.env });
      if (client === "vscode") {
        // Insiders', VSCodium's and every profile's files too, as the config commands find them.
        const found = await findConfigPlaces({ client, cwd: "/", os: facts.os, env: facts.env });
        paths = found.places.map((place) => place.path);
        vscodeNotChecked.push(
          ...found.notChecked,
          ...found.unjudged.map((place) => `${place.what} ("${place.path}")`),
        );
      }
    } catch (error) {
      result.notChecked.push(
        `${client}'s config: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    for (const path of paths) {
      const settings = client === "vscode" && isVscodeSettings(path);
      const root = await lookAt(result, seen, facts, { client, path, scope: "user" }, settings);
      if (client === "claude-code" && root !== undefined) claudeJson = root;
    }
  }
  const projects = projectConfigPlacesOf(claudeJson, facts.os).places;
  claudeJson = undefined;
  // A folder that is gone holds no file: one stat instead of one failed read per client.
  const gone = await goneFolders(projects.map((place) => place.folder));
  for (const { client, folder, path } of projects) {
    const place = { client, path, scope: "project" as const };
    if (gone.has(folder)) {
      if (!seen.has(path)) result.places.push({ ...place, found: false });
      seen.add(path);
    } else {
      await lookAt(result, seen, facts, place, false);
    }
  }
  result.notChecked.push(
    "project configs (.mcp.json, .cursor/mcp.json, .vscode/mcp.json) in folders " +
      "~/.claude.json does not list: check one with thoth status --config FILE",
    ...(vscodeNotChecked.length > 0
      ? vscodeNotChecked
      : ["configs an administrator installs system-wide"]),
  );
  return result;
}

/**
 * The variable that names the home folder the clients keep their configs in
 * (`HOME`; `USERPROFILE` on Windows, where `HOME` also does), when it is not
 * set; null when the home folder is known. An empty value counts as unset.
 * Config discovery, like `thoth status` and `wrap-config`, finds the clients'
 * configs from it alone: without it, none is looked for.
 *
 * @example
 * ```ts
 * missingHomeVariable({}, "linux"); // "HOME"
 * missingHomeVariable({ HOME: "/home/ana" }, "linux"); // null
 * missingHomeVariable({}, "windows"); // "USERPROFILE"
 * ```
 */
export function missingHomeVariable(
  env: Readonly<Record<string, string | undefined>>,
  os: string,
): "HOME" | "USERPROFILE" | null {
  const set = (name: string) => (env[name] ?? "") !== "";
  if (set("HOME") || (os === "windows" && set("USERPROFILE"))) return null;
  return os === "windows" ? "USERPROFILE" : "HOME";
}

/** What was not looked at when `variable` (see {@linkcode missingHomeVariable}) is not set. */
function noHomeText(variable: string): string {
  return `every client's user config (${CLIENT_IDS.join(", ")}): ${variable} is not set, ` +
    "so the home folder they are in is not known";
}

/** Reads one place into `result`; returns its syntax tree when it was read and parsed. */
async function lookAt(
  result: ClientPlaces,
  seen: Set<string>,
  facts: DiscoveryFacts,
  place: { client: ClientId; path: string; scope: "user" | "project" },
  settings: boolean,
): Promise<Node | undefined> {
  if (seen.has(place.path)) return undefined;
  seen.add(place.path);
  const { client, path, scope } = place;
  const record = { ...place, found: true };
  const broken = (error: unknown) => {
    result.configs.push({
      client,
      path,
      scope,
      servers: [],
      thothLaunches: [],
      envPaths: [],
      ...problemOf(error),
    });
  };
  let text: string;
  try {
    text = (await readConfigFile(path)).text;
  } catch (error) {
    if (isAppError(error, "config.not_found")) {
      result.places.push({ ...record, found: false });
      return undefined;
    }
    result.places.push(record);
    broken(error);
    return undefined;
  }
  result.places.push(record);
  let root: Node | undefined;
  try {
    // The path is the label: broken JSON and ambiguous VS Code servers are refused naming the file.
    const report = planStatus(text, {
      client,
      label: path,
      isFile,
      ...(facts.thothCommand ? { thothCommand: facts.thothCommand } : {}),
      ...(facts.run ? { run: facts.run } : {}),
    });
    // Parsed once more, after status's own tree is let go (one tree at a time of a large file).
    root = parseConfig(text, path, true);
    // VS Code's settings.json is an MCP config only where it holds servers.
    if (settings && report.servers.length === 0) return root;
    const entries = serverEntries(root, client, path);
    result.configs.push({
      client,
      path,
      scope,
      servers: report.servers,
      thothLaunches: thothLaunches(entries, report.servers, facts.thothCommand ?? []),
      envPaths: envPaths(entries, report.servers),
      error: null,
      hint: null,
    });
  } catch (error) {
    // Anything may be wrong with a settings file; it is an MCP config's problem only if it has one.
    if (!settings || mayNameMcpServers(text)) broken(error);
    // The project folders of a ~/.claude.json whose servers cannot be judged are looked at still.
    if (root === undefined && client === "claude-code") root = parsedOrUndefined(text, path);
  }
  return root;
}

/** `text` parsed, or undefined when it cannot be. */
function parsedOrUndefined(text: string, path: string): Node | undefined {
  try {
    return parseConfig(text, path, true);
  } catch {
    return undefined;
  }
}

/** How each governed row's entry starts thoth, matched to the rows by index and name. */
export function thothLaunches(
  entries: readonly ServerEntry[],
  rows: readonly ServerStatus[],
  self: readonly string[],
): (string[] | null)[] {
  return rows.map((row, index) => {
    const entry = entries[index];
    if (!row.governed || entry === undefined || entry.name !== row.name) return null;
    const kind = classifyEntry(entry.node);
    if (kind.kind !== "stdio") return null;
    const args = (kind.args?.children ?? []).map((node) => node.value as string);
    const found = readThothInvocation(
      kind.command.value as string,
      args,
      self,
      invocationContext(kind.env),
    );
    return found?.kind === "wrapped" ? [...found.thothCommand] : null;
  });
}

/** Each row's `env` variables named PATH in any case, matched to the rows by index and name. */
export function envPaths(
  entries: readonly ServerEntry[],
  rows: readonly ServerStatus[],
): [string, string][][] {
  return rows.map((row, index) => {
    const entry = entries[index];
    if (entry === undefined || entry.name !== row.name) return [];
    const kind = classifyEntry(entry.node);
    if (kind.kind !== "stdio" || kind.env === undefined) return [];
    return (kind.env.children ?? []).flatMap((property) => {
      const name = property.children?.[0]?.value;
      const value = property.children?.[1]?.value;
      return typeof name === "string" && typeof value === "string" &&
          name.toUpperCase() === "PATH"
        ? [[name, value] as [string, string]]
        : [];
    });
  });
}

function problemOf(error: unknown): { error: string; hint: string | null } {
  return {
    error: error instanceof Error ? error.message : String(error),
    hint: isAppError(error) ? error.hints[0] ?? null : null,
  };
}
