/**
 * The warning `wrap-config` and `unwrap-config` print after an `--api-key`
 * was taken out of an entry's args: the key was saved nowhere, and exactly
 * these files still hold it in plain text. The key itself is never printed.
 *
 * @example
 * ```ts
 * warnKeyLeft(io, ["db"], "c.json", "c.json", { written: "c.json", backupCreated: "c.json.thoth-backup" });
 * // thoth: warning: the API key taken out of the args of "db" was not saved anywhere, and is
 * //   still in plain text in the backup "c.json.thoth-backup" (mode 0600, readable by its owner only)
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import type { WriteResult } from "../config/write_config.ts";
import { joinPath } from "../platform/join_path.ts";
import { displayText } from "../approval/display_text.ts";

/** Where `thoth set-api-key` run in this shell saves a key. */
export function apiKeyFile(io: CliIo): string {
  const named = io.env["THOTH_API_KEY_FILE"];
  return named === undefined || named === "" ? joinPath(io.thothHome, "proxy_api_key.json") : named;
}

/**
 * After `--api-key` was taken out of the args of `servers`: exactly where the
 * key is still in plain text (the backup made now; the backup kept from an
 * earlier run when it holds the key, else the new backup made beside it; the
 * input, when --output wrote elsewhere), and how to save it. All backups
 * holding it are 0600 (the write was asked for a private backup). Prints
 * nothing when no file holds it.
 */
export function warnKeyLeft(
  io: CliIo,
  servers: readonly string[],
  input: string,
  output: string,
  written: WriteResult,
): void {
  const places: string[] = [];
  const owner = "(mode 0600, readable by its owner only)";
  if (written.backupCreated !== undefined) {
    places.push(`the backup "${written.backupCreated}" ${owner}`);
  } else if (written.secretBackupCreated !== undefined) {
    places.push(
      `the new backup "${written.secretBackupCreated}" ${owner}, made because the backup ` +
        `"${written.backupKept}" from an earlier run does not hold it`,
    );
  } else if (written.backupKept !== undefined && output === input) {
    places.push(`the backup "${written.backupKept}" kept from an earlier run ${owner}`);
  }
  if (output !== input) places.push(`the input "${input}"`);
  if (places.length === 0) return;
  const names = servers.map((name) => `"${name}"`).join(", ");
  // Server names and paths come from the config: no control character reaches the terminal.
  const say = (line: string) => io.err(`${displayText(line, Infinity)}\n`);
  say(
    `thoth: warning: the API key taken out of the args of ${names} was not saved anywhere, ` +
      `and is still in plain text in ${places.join(" and ")}`,
  );
  say(
    `thoth: hint: save it with "thoth set-api-key --api-key -" (it goes to "${
      apiKeyFile(io)
    }"), then remove it from ${places.length === 1 ? "that file" : "those files"}`,
  );
}
