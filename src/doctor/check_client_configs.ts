/**
 * Doctor check `client_configs`: which MCP client configs were found and how
 * many of their servers run through thoth. A server that runs without thoth
 * is a warning with the command that wraps it. An entry that names thoth in a
 * shape `thoth status` calls not understood is a warning of its own, with the
 * note `thoth status` gives: it is not governed either (it fails to start, or
 * nobody knows what it runs), but `wrap-config` leaves it alone, so the fix is
 * by hand.
 *
 * A server that runs through thoth but that `thoth run` would refuse to start
 * (a flag or THOTH_* value it refuses, an intent the policy does not define:
 * what `thoth status` lists in its row's `refusals`) does not start at all: it
 * is not counted as governed, and the check fails with the first refusal of
 * each such server and the command that shows the fixes.
 *
 * A governed server that `thoth run` starts with a warning (its `warnings` in
 * `thoth status`: an intent map key that differs from its agent id only by
 * case, so it runs without a session intent) makes the check warn, in
 * `thoth run`'s words.
 *
 * A config that cannot be read as the client reads it (a FIFO or a folder
 * at its path, broken JSON, a key such as "mcpServers" given twice, which
 * clients resolve differently) has servers nobody can vouch for: the check
 * fails, naming the file and the problem, with the remedy and the command
 * that checks it again.
 *
 * @example
 * ```ts
 * checkClientConfigs(reports).message;
 * // '2 client configs, 4 of 6 servers governed; not governed: slack; odd: thoth entry not understood: its arguments start with "serve", not "run"'
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import type { ClientConfigReport, ClientServer } from "./doctor_plugins.ts";
import { clientConfigRemedy } from "./client_config_remedy.ts";

/** A server as this check reads it: with what `thoth run` would refuse, when discovery says. */
export interface CheckedServer extends ClientServer {
  /** What `thoth run` would refuse to start it with (`thoth status`'s `refusals`); none when absent. */
  readonly refusals?: readonly string[] | null;
}

/** A config as this check reads it. */
export interface CheckedConfig extends ClientConfigReport {
  readonly servers: readonly CheckedServer[];
}

/** Summarizes discovered configs; `null` means discovery is not available. */
export function checkClientConfigs(reports: readonly CheckedConfig[] | null): DoctorCheck {
  if (reports === null) {
    return {
      id: "client_configs",
      status: "warn",
      message: "not checked: this build cannot discover MCP client configs yet",
      hint: null,
    };
  }
  if (reports.length === 0) {
    return {
      id: "client_configs",
      status: "warn",
      message: "no MCP client configs found",
      hint: 'install Claude Desktop and add an MCP server, then run "thoth wrap-config"',
    };
  }
  const broken = reports.filter((r) => typeof r.problem === "string");
  const servers = reports.flatMap((r) =>
    r.servers.map((s) => ({ ...s, configPath: r.configPath }))
  );
  const notGoverned = servers.filter((s) => !s.governed);
  const unread = notGoverned.flatMap((s) =>
    typeof s.notUnderstood === "string" ? [{ ...s, note: s.notUnderstood }] : []
  );
  const ungoverned = notGoverned.filter((s) => typeof s.notUnderstood !== "string");
  const refused = servers.filter((s) => s.governed && (s.refusals ?? []).length > 0);
  const warned = servers.filter((s) =>
    s.governed && (s.refusals ?? []).length === 0 && (s.warnings ?? []).length > 0
  );
  const base = `${reports.length} client config${reports.length === 1 ? "" : "s"}, ` +
    `${servers.length - notGoverned.length - refused.length} of ${servers.length} servers governed`;
  if (
    notGoverned.length === 0 && refused.length === 0 && broken.length === 0 &&
    warned.length === 0
  ) {
    return { id: "client_configs", status: "pass", message: base, hint: null };
  }
  const found: string[] = [];
  const fixes: string[] = [];
  for (const report of broken) {
    found.push(
      `${report.client}: cannot read its config, so its servers are unknown: ${report.problem}`,
    );
    fixes.push(clientConfigRemedy(report));
  }
  const firstUngoverned = ungoverned[0];
  if (firstUngoverned !== undefined) {
    const path = firstUngoverned.configPath;
    found.push(`not governed: ${ungoverned.map((s) => s.name).join(", ")}`);
    fixes.push(`wrap them with: thoth wrap-config --output "${path}" "${path}"`);
  }
  const firstUnread = unread[0];
  if (firstUnread !== undefined) {
    const path = firstUnread.configPath;
    const one = unread.length === 1;
    found.push(...unread.map((s) => `${s.name}: ${s.note}`));
    fixes.push(
      `fix the thoth ${one ? "entry" : "entries"} not understood by hand in "${path}" ` +
        `to read "thoth run [flags] -- <command>" (wrap-config leaves ${one ? "it" : "them"} ` +
        `alone), then run: thoth status --config "${path}"`,
    );
  }
  const firstRefused = refused[0];
  if (firstRefused !== undefined) {
    found.push(...refused.map((s) => {
      const [first, ...more] = s.refusals ?? [];
      return `${s.name}: ${first}${more.length > 0 ? ` (and ${more.length} more)` : ""}`;
    }));
    fixes.push(
      `see what thoth run refuses in each server and the fix with: ` +
        `thoth status --config "${firstRefused.configPath}"`,
    );
  }
  const firstWarned = warned[0];
  if (firstWarned !== undefined) {
    found.push(...warned.flatMap((s) => (s.warnings ?? []).map((w) => `${s.name}: ${w}`)));
    fixes.push(
      'write each intent map entry under the agent id "thoth status" shows for its server ' +
        `(ids are case-sensitive): thoth status --config "${firstWarned.configPath}"`,
    );
  }
  return {
    id: "client_configs",
    status: refused.length > 0 || broken.length > 0 ? "fail" : "warn",
    message: [base, ...found].join("; "),
    hint: fixes.join("; "),
  };
}
