/**
 * The servers a plan left as they are, named on stderr, so that a partial
 * rewrite fails the command.
 *
 * @example
 * ```ts
 * reportLeftServers(io, [{ name: "fs", reason: "its command names thoth" }], "not wrapped", "fix it by hand");
 * // thoth: error: "fs" not wrapped: its command names thoth
 * ```
 */
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import type { CliIo } from "./cli_io.ts";
import { shownLine } from "./shown_line.ts";

/** A server a plan left as it is, and why. */
export interface LeftServer {
  readonly name: string;
  readonly project?: string;
  readonly reason: string;
}

/**
 * Names each server a plan left as it is on stderr (`"name" <state>: <reason>`),
 * then `hint`, and makes the command exit 1: a script must not take a partial
 * rewrite for a whole one.
 */
export function reportLeftServers(
  io: CliIo,
  servers: readonly LeftServer[],
  state: string,
  hint: string,
): void {
  if (servers.length === 0) return;
  for (const server of servers) {
    const where = server.project === undefined ? "" : ` (project ${server.project})`;
    // A key pasted as a server's name is not repeated in clear (format_plan_report.ts does the same).
    io.err(
      `${
        shownLine(
          `thoth: error: "${shownUnlessKey(server.name)}"${where} ${state}: ${server.reason}`,
        )
      }\n`,
    );
  }
  io.err(`${shownLine(`thoth: hint: ${hint}; the other servers were handled`)}\n`);
  io.exitCode = 1;
}
