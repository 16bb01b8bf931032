/**
 * The MCP clients' project configs: `.mcp.json` (Claude Code),
 * `.cursor/mcp.json` (Cursor), `.vscode/mcp.json` (VS Code) and
 * `.claude/settings.json`, `.claude/settings.local.json` (Claude Code's
 * project settings, whose hooks run commands), in whatever folder they are,
 * and the `.cursor`, `.vscode` and `.claude` folders themselves (moved away,
 * changed and moved back, a config would pass). A governed server that writes
 * one could add servers that run without thoth, or commands the client runs,
 * the next time a person opens that folder in the client; one that reads one
 * may see credentials. A call whose arguments reach one is blocked under
 * `thoth.client_config`, in every mode, like the clients' own config files
 * (see `own_files.ts`).
 *
 * "Reach" is the policy's own path reading of a whole string (relative to
 * the server's folders, `~`, percent escapes, `file:` URLs, `..`, case and
 * `\` on macOS and Windows, the dots and streams Windows drops): a file
 * tool's argument. A text that merely mentions `.mcp.json`, and a shell
 * command that writes one (`echo … > .mcp.json`), are not read as such a
 * path: `thoth doctor` reports servers in the project configs of the folders
 * `~/.claude.json` lists that run without thoth. The other files of those
 * folders (`.vscode/launch.json`, `.vscode/settings.json`) stay reachable.
 *
 * @example
 * ```ts
 * const configs = compileProjectConfigs({ os: "linux", home: "/home/ana", bases: ["/srv/app"] });
 * configs.reaches({ path: ".mcp.json" }); // true: /srv/app/.mcp.json
 * configs.reaches({ path: "/home/ana/src/app/.vscode/mcp.json" }); // true
 * configs.reaches({ content: "add the server to .mcp.json" }); // false
 * ```
 */
import { compilePredicate, type PathOptions } from "./compile_predicate.ts";
import { firstReached, foldedValue, type OwnFiles, REACHES, READ_JSON } from "./own_files.ts";
import { holdsPercentEscape } from "./percent_escape.ts";

/** The project configs, relative to the folder that holds them. */
export const PROJECT_CONFIG_FILES: readonly string[] = [
  ".mcp.json",
  ".cursor/mcp.json",
  ".vscode/mcp.json",
  ".claude/settings.json",
  ".claude/settings.local.json",
];

/** The folders of the project configs, protected themselves (not what else is in them). */
export const PROJECT_CONFIG_FOLDERS: readonly string[] = [".cursor", ".vscode", ".claude"];

/**
 * What a string must hold (its case folded where files are) for a path
 * reading of it to be one of them, unless it holds a percent escape: every
 * file's name ends in `json`, one search for all of them.
 */
const NAMES = ["json", ...PROJECT_CONFIG_FOLDERS];

/**
 * Compiles the protection, reading paths as `options` reads them (the
 * policy's own options object, so that the folders a session learns apply
 * here too).
 */
export function compileProjectConfigs(options: PathOptions): OwnFiles {
  const fold = options.os === "darwin" || options.os === "windows";
  const globs = [...PROJECT_CONFIG_FILES, ...PROJECT_CONFIG_FOLDERS].map((f) => `**/${f}`);
  const landing = compilePredicate("value", { glob: globs }, "some", options);
  // A server folder in one of those folders: `.`, `..` and "" may name it, and every
  // relative path is read.
  const inFolder = compilePredicate(
    "value",
    { glob: PROJECT_CONFIG_FOLDERS.map((f) => `**/${f}/**`) },
    "some",
    options,
  );
  let basesRead: readonly string[] | undefined;
  let basesSeen = -1;
  let baseInFolder = false;
  const readBases = (): void => {
    const bases = options.bases;
    if (bases === basesRead && (bases?.length ?? 0) === basesSeen) return;
    basesRead = bases;
    basesSeen = bases?.length ?? 0;
    baseInFolder = bases !== undefined && bases.some((base) => inFolder.test([base]));
  };
  const check = (value: string, json: boolean): number => {
    readBases();
    const text = foldedValue(value, false, fold);
    let named = false;
    for (let i = 0; i < NAMES.length && !named; i++) named = text.indexOf(NAMES[i]!) !== -1;
    const escaped = holdsPercentEscape(value);
    // JSON a server may parse out of a string: its strings count too.
    const readJson = json && (named || escaped || value.indexOf("\\") !== -1) ? READ_JSON : 0;
    if (!named && !escaped && !baseInFolder) return readJson;
    return landing.test([value]) ? REACHES : readJson;
  };
  const configs: OwnFiles = {
    kind: "project_config",
    folder: PROJECT_CONFIG_FILES[0]!,
    reaches: (args: unknown): boolean => firstReached([configs], args) !== undefined,
    check,
    checkKey: check,
  };
  return configs;
}
