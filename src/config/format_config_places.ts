/**
 * The help text that says where each client keeps its config on this
 * machine: what `wrap-config`, `unwrap-config` and `status` read without an
 * INPUT file, and what the missing-config hint points to (`thoth status
 * --help`). Pure: the OS and environment are passed in.
 *
 * @example
 * ```ts
 * formatConfigPlaces({ os: "linux", env: { HOME: "/home/ana" } });
 * // "Where each client keeps its config on this machine (--client, default claude-desktop):\n
 * //   claude-desktop  /home/ana/.config/Claude/claude_desktop_config.json\n …"
 * ```
 */
import { CLIENT_IDS } from "./client_id.ts";
import { defaultConfigPath, type PlatformFacts } from "./default_config_path.ts";
import { isAppError } from "../errors.ts";

/** The lines, ending in a newline. */
export function formatConfigPlaces(facts: PlatformFacts): string {
  const width = Math.max(...CLIENT_IDS.map((client) => client.length));
  const lines = CLIENT_IDS.map((client) => {
    let place: string;
    try {
      place = defaultConfigPath(client, facts);
    } catch (error) {
      if (!isAppError(error)) throw error;
      place = `(${error.message})`;
    }
    return `  ${client.padEnd(width)}  ${place}`;
  });
  return [
    "Where each client keeps its config on this machine (--client, default claude-desktop):",
    ...lines,
    "Project configs (.mcp.json, .vscode/mcp.json, .cursor/mcp.json) are passed as the file.",
    "",
  ].join("\n");
}
