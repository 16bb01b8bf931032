/**
 * Every file a config command (`status`, `wrap-config`, `unwrap-config`)
 * works on, found on disk where that needs a look: INPUT alone when given,
 * else the chosen client's user files ({@linkcode resolveConfigPlaces}). For
 * `--client vscode` that is every file the VS Code family runs user servers
 * from: VS Code's `mcp.json` (the default config, first) and `settings.json`,
 * then VS Code Insiders' and VSCodium's, then each profile's of the three
 * (`User/profiles/<id>/mcp.json` and `settings.json`, see
 * {@linkcode findVscodeProfiles}); all but the first are optional (no error
 * when missing or naming no servers).
 *
 * It also says where the client may read servers that these files do not
 * cover: in words (`notChecked`, status's "Not looked in"), and, for the
 * files of known places that the commands do not rewrite (`unjudged`: GitHub
 * Copilot's own `mcp-config.json`, which VS Code's Copilot agent reads), by
 * path, so that `status --check` can read them and fail on a stdio server
 * that runs without thoth there.
 *
 * @example
 * ```ts
 * const found = await findConfigPlaces({ cwd: "/", os: "linux", env: { HOME: "/home/ana" }, client: "vscode" });
 * found.places.map((place) => place.path);
 * // ["/home/ana/.config/Code/User/mcp.json", "/home/ana/.config/Code/User/settings.json", …,
 * //  "/home/ana/.config/Code/User/profiles/-6f2a9c1/mcp.json", …]
 * ```
 */
import {
  type ConfigPathChoice,
  type ConfigPlace,
  resolveConfigPlaces,
} from "./resolve_config_path.ts";
import { vscodeFilesIn, vscodeUserFolders } from "./vscode_user_places.ts";
import { findVscodeProfiles } from "./find_vscode_profiles.ts";
import { clientConfigPlaces } from "./default_config_path.ts";

/** A file the client reads servers from that the command does not work on. */
export interface UnjudgedPlace {
  path: string;
  /** What it is, in words ("GitHub Copilot's user MCP config, which VS Code's agent reads"). */
  what: string;
}

/** What {@linkcode findConfigPlaces} found. */
export interface FoundConfigPlaces {
  /** The files to work on, the required one first. */
  places: ConfigPlace[];
  /** Places the client may read that were not looked at, in words. */
  notChecked: string[];
  /** Files of known places the client reads that the command does not work on. */
  unjudged: UnjudgedPlace[];
}

/** Finds the files of `choice` (see the module's doc). Throws `config.no_home` like `resolveConfigPath`. */
export async function findConfigPlaces(choice: ConfigPathChoice): Promise<FoundConfigPlaces> {
  const given = resolveConfigPlaces(choice);
  if (choice.input !== undefined || choice.client !== "vscode") {
    return { places: given, notChecked: [], unjudged: [] };
  }
  const editors = vscodeUserFolders(choice);
  const profiles = await findVscodeProfiles(editors);
  const paths = [
    ...editors.flatMap((editor) => vscodeFilesIn(editor.user)),
    ...profiles.folders.flatMap(vscodeFilesIn),
  ];
  // VS Code's own mcp.json stays first, and the only required place.
  const first = given[0]!.path;
  const places: ConfigPlace[] = [
    { path: first, optional: false },
    ...[...new Set(paths)].filter((path) => path !== first).map((path) => ({
      path,
      optional: true,
    })),
  ];
  return {
    places,
    notChecked: [
      ...profiles.notChecked,
      'VS Code workspace files (*.code-workspace, whose "settings" may hold "mcp" servers), ' +
      "found only when opened: check one with thoth status --config FILE",
      "project .mcp.json files, which VS Code's agent reads too: see thoth status --client " +
      "claude-code",
      "MCP servers that extensions register, and configs an administrator installs system-wide",
    ],
    unjudged: [{
      path: copilotConfig(choice),
      what: "GitHub Copilot's user MCP config, which VS Code's Copilot agent reads",
    }],
  };
}

/** `$COPILOT_HOME/mcp-config.json`, else `~/.copilot/mcp-config.json`. */
function copilotConfig(choice: ConfigPathChoice): string {
  const sep = choice.os === "windows" ? "\\" : "/";
  const set = choice.env["COPILOT_HOME"];
  if (set !== undefined && set !== "") return `${set.replace(/[\\/]+$/, "")}${sep}mcp-config.json`;
  // The home folder, as the clients' own places name it (`~/.claude.json`).
  const claude = clientConfigPlaces("claude-code", choice)[0]!;
  return `${claude.slice(0, claude.length - ".claude.json".length)}.copilot${sep}mcp-config.json`;
}
