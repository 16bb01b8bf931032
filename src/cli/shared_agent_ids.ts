/**
 * `thoth status` over several files of one client (VS Code's mcp.json and
 * settings.json): a governed server whose agent id a server in another file
 * has too is drift, unless it is the same server.
 *
 * @example
 * ```ts
 * markAgentIdsSharedAcross(files, "vscode", io.selfCommand);
 * ```
 */
import type { Node } from "jsonc-parser";
import type { ClientId } from "../config/client_id.ts";
import type { StatusReport } from "../config/status_report.ts";
import { parseConfig } from "../config/parse_config.ts";
import { serverEntries } from "../config/server_entries.ts";
import { classifyEntry } from "../config/classify_entry.ts";
import { readThothInvocation } from "../config/thoth_invocation.ts";
import { invocationContext } from "../config/wrap_entry.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";

/**
 * Adds drift to each governed server whose agent id a server in another file
 * of the same client has too (VS Code's mcp.json and settings.json: the
 * client runs both), unless that is the same server (same name, same
 * command); then recounts each report's drifted servers. Within one file
 * `planStatus` has marked them already.
 */
export function markAgentIdsSharedAcross(
  files: readonly { path: string; text: string; report: StatusReport }[],
  client: ClientId | undefined,
  self: readonly string[],
): void {
  const rows = files.flatMap((file) => {
    const entries = serverEntries(parseConfig(file.text, file.path, true), client, file.path);
    return file.report.servers.flatMap((row, i) => {
      const entry = entries[i];
      if (!row.governed || row.agentId === null || entry?.name !== row.name) return [];
      return [{ row, path: file.path, upstream: upstreamOf(entry.node, self) }];
    });
  });
  for (const mine of rows) {
    const others = rows.filter((other) =>
      other.path !== mine.path && other.row.agentId === mine.row.agentId &&
      (other.row.name !== mine.row.name || other.upstream !== mine.upstream)
    );
    if (others.length === 0) continue;
    const named = others.map((other) =>
      `"${shownUnlessKey(other.row.name)}" in "${other.path}"${
        other.row.name === mine.row.name ? ", which starts another command" : ""
      }`
    );
    mine.row.drift.push(
      `agent id "${mine.row.agentId}" is also the agent id of ${named.join(", ")}: the client ` +
        "runs both files, and policy rules, intents and audit records cannot tell them apart; " +
        "give one another --agent-id by hand",
    );
  }
  for (const file of files) {
    file.report.summary.drifted = file.report.servers.filter((row) => row.drift.length > 0)
      .length;
  }
}

/** What a governed entry starts behind thoth, as one comparable string. */
function upstreamOf(node: Node, self: readonly string[]): string {
  const kind = classifyEntry(node);
  if (kind.kind !== "stdio") return "";
  const args = (kind.args?.children ?? []).map((arg) => arg.value as string);
  const found = readThothInvocation(
    kind.command.value as string,
    args,
    self,
    invocationContext(kind.env),
  );
  return JSON.stringify(found?.kind === "wrapped" ? found.upstream : []);
}
