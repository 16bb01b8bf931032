/**
 * The governed servers `thoth status` finds whose command is not found
 * where their client looks for it, so they will not start: the
 * upstream command behind `thoth run --` (which `thoth run` looks up on the
 * `PATH` the client gives it), and a thoth command written as a bare name
 * (`"thoth"`). Looked up as `thoth doctor`'s `upstream_path` check and
 * `thoth health`'s `clients[].not_startable` look them up
 * ({@linkcode lookUpServerCommands}): nothing is started. A thoth path
 * written in full is left to status's own `cannotStart`, which fails
 * `--check` already.
 *
 * Plain status names them in a note below its tables (which mark them
 * governed), pointing at `--check` ({@linkcode notStartableNote}); `--json`
 * lists them. `--check` warns about them and still passes: it judges how each server
 * runs through thoth, while where a client finds a program is thoth's model
 * of that client's `PATH` (a desktop app's minimal one; for Claude Code, the
 * `PATH` of whoever runs status, which under MDM is root's, not the user's
 * terminal's), and a governed server that does not start runs no tool call
 * without thoth. `--strict` ("strict means proven") fails on the upstream
 * ones; the thoth command itself it checks already, as `thoth doctor` does.
 *
 * @example
 * ```ts
 * const found = await notStartableServers(files, { os: "linux", env: io.env });
 * found[0]; // { server: "time", file: "/home/ana/c.json", upstream: true, why: '"uvx" is not …' }
 * warnNotStartable(io, found, "thoth status"); // with --check
 * io.out(notStartableNote(found, "thoth status")); // plain status
 * ```
 */
import type { ClientId } from "../config/client_id.ts";
import type { ServerStatus } from "../config/status_report.ts";
import { parseConfig } from "../config/parse_config.ts";
import { serverEntries } from "../config/server_entries.ts";
import { envPaths } from "../config/discover_client_configs.ts";
import {
  isAbsoluteCommand,
  lookUpServerCommands,
  missingCommandText,
} from "../doctor/server_path.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { type ExecutableCheck, isExecutableFile } from "../platform/find_executable.ts";
import type { CliIo } from "./cli_io.ts";
import { shownLines } from "./shown_line.ts";
import type { StrictFile, StrictFinding } from "./strict_status.ts";

/** A governed server whose command is not found where its client looks. */
export interface NotStartableServer extends StrictFinding {
  /** The command not found, as the entry writes it. */
  command: string;
  /** Whether it is the upstream command behind `thoth run --` (else the entry's thoth command). */
  upstream: boolean;
  /** The row of its file's report this server is (for `--json`, see `status_json.ts`). */
  row: ServerStatus;
}

/** What the lookups need of the machine. */
export interface NotStartableFacts {
  client?: ClientId | undefined;
  os: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether a path names a program that can be run; `isExecutableFile` when absent. */
  isExecutable?: ExecutableCheck | undefined;
}

/** The governed servers of `files` with a command not found, in file order. */
export async function notStartableServers(
  files: readonly Omit<StrictFile, "scope">[],
  facts: NotStartableFacts,
): Promise<NotStartableServer[]> {
  const client = facts.client ?? "claude-desktop";
  const found: NotStartableServer[] = [];
  for (const file of files) {
    const rows = file.report.servers;
    if (!rows.some((row) => row.state === "governed")) continue;
    const entries = serverEntries(parseConfig(file.text, file.path, true), facts.client, file.path);
    const paths = envPaths(entries, rows);
    for (const [index, row] of rows.entries()) {
      if (row.state !== "governed" || row.command === null) continue;
      const lookups = await lookUpServerCommands(client, facts.os, facts.env, {
        command: row.command,
        upstreamCommand: row.upstreamCommand,
        envPath: paths[index] ?? [],
      }, facts.isExecutable ?? isExecutableFile);
      for (const { command, upstream, where, found: lookup } of lookups) {
        if (lookup.outcome !== "missing") continue;
        // A thoth path written in full: status's cannotStart says it, and --check fails on it.
        if (!upstream && isAbsoluteCommand(command, facts.os)) continue;
        const why = missingCommandText(command, where, client, facts.os);
        found.push({
          server: `${shownUnlessKey(row.name)}${
            row.project === null ? "" : ` (project ${row.project})`
          }`,
          file: file.path,
          command,
          upstream,
          row,
          why: upstream
            ? `${why}: thoth run cannot start this server's command`
            : `${why}: the client cannot start this server`,
        });
      }
    }
  }
  return found;
}

/**
 * Names each of `found` on stderr as a `thoth: warning:` line (the exit code
 * is left as it is), then one `thoth: hint:` line naming `status` (the
 * command as run, `thoth status --client cursor`) with `--check --strict`;
 * nothing when none.
 */
export function warnNotStartable(
  io: CliIo,
  found: readonly NotStartableServer[],
  status: string,
): void {
  if (found.length === 0) return;
  for (const { server, file, why } of found) {
    io.err(shownLines(`thoth: warning: governed server ${server} (in "${file}"): ${why}`) + "\n");
  }
  const servers = new Set(found.map(({ server, file }) => JSON.stringify([server, file]))).size;
  io.err(
    shownLines(
      `thoth: hint: ${servers} governed server(s) will not start: run "thoth doctor" to see ` +
        "where each command was looked up and the fix (upstream_path); --check passes them, " +
        `"${status} --check --strict" fails on them`,
    ) + "\n",
  );
}

/**
 * The note plain status writes below its tables when some of `found` are
 * governed servers that will not start (the tables mark them governed):
 * how many, named, and the command that says why, `status` (the command as
 * run) with `--check`; "" when none.
 *
 * @example
 * ```ts
 * io.out(notStartableNote(found, "thoth status --client cursor"));
 * ```
 */
export function notStartableNote(found: readonly NotStartableServer[], status: string): string {
  if (found.length === 0) return "";
  const servers = [...new Set(found.map(({ server }) => server))];
  return "\n" +
    shownLines(
      `Will not start: ${servers.length} governed server(s) whose command is not found where ` +
        `their client looks for it (${servers.join(", ")}): run "${status} --check" to see ` +
        'each, and "thoth doctor" for the fix',
    ) + "\n";
}
