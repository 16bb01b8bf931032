/**
 * Doctor check `upstream_path`: every command a client config starts (and,
 * for a governed server, the upstream command behind `thoth run --`) can be
 * found on the `PATH` that client gives its servers (the minimal `PATH` of a
 * desktop app; the user's own for Claude Code, a terminal program), or, when
 * the server's `env` block sets `PATH`, on that one alone: the client merges
 * the block over the environment it gives, so the entry's `PATH` replaces the
 * inherited one, and `thoth run` looks the upstream command up on that same
 * `PATH` (see `server_path.ts`). The message says which `PATH` was used.
 * A command written as an absolute path is looked up on no `PATH`: when it is
 * not there, the message says so, and the hint is to reinstall it or point
 * `command` at where it is now.
 *
 * A command that is a relative path, or that is not found before a relative
 * folder on the `PATH` (`.`, `bin`, an empty one), depends on the working
 * folder of the client or of thoth, which doctor does not know: it is a
 * warning, never looked for in doctor's own folder.
 *
 * @example
 * ```ts
 * (await checkUpstreamPath(context, reports)).hint; // 'set "command" to an absolute path …'
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import { shellQuote } from "./shell_quote.ts";
import { SAME_OPTIONS, wrapConfigLine } from "./wrap_config_line.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { ClientConfigReport } from "./doctor_plugins.ts";
import {
  isAbsoluteCommand,
  lookUpServerCommands,
  type ServerPath,
  serverPathText,
} from "./server_path.ts";

/** Resolves each server's commands on the PATH it is started with. */
export async function checkUpstreamPath(
  context: DoctorContext,
  reports: readonly ClientConfigReport[] | null,
): Promise<DoctorCheck> {
  if (reports === null) {
    return {
      id: "upstream_path",
      status: "warn",
      message: "not checked: this build cannot discover MCP client configs yet",
      hint: null,
    };
  }
  type Row = {
    server: string;
    command: string;
    client: string;
    where: ServerPath;
    /** The config it is written in, when the command is a governed entry's own thoth. */
    thothOf?: string;
  };
  const missing: Row[] = [];
  const unknown: (Row & { reason: string })[] = [];
  const clients = new Set<string>();
  let checked = 0;
  let ownPath = 0;
  // Of those, the ones whose entry's PATH comes after the client's own (VS Code).
  let addedPath = 0;
  for (const report of reports) {
    for (const server of report.servers) {
      const lookups = await lookUpServerCommands(
        report.client,
        context.os,
        context.env,
        server,
        context.host.isExecutable,
      );
      for (const { command, upstream, where, found } of lookups) {
        checked++;
        clients.add(report.client);
        if (where.source === "entry") {
          ownPath++;
          if (where.appended) addedPath++;
        }
        const row: Row = {
          server: server.name,
          command,
          client: report.client,
          where,
          ...(server.governed && !upstream ? { thothOf: report.configPath } : {}),
        };
        if (found.outcome === "missing") missing.push(row);
        if (found.outcome === "unknown") unknown.push({ ...row, reason: found.reason });
      }
    }
  }
  const named = (m: Row) => `"${m.command}" for server "${m.server}"`;
  const unknownText = unknown.map((m) =>
    `${named(m)} not checked on ${serverPathText(m.where, m.client)}: ${m.reason}`
  );
  if (missing.length > 0) {
    // An absolute path is not looked up on any PATH: it is there, or it is not.
    const absolute = missing.filter((m) => isAbsoluteCommand(m.command, context.os));
    const bare = missing.filter((m) => !absolute.includes(m));
    const byPath = new Map<string, Row[]>();
    for (const m of bare) {
      const key = serverPathText(m.where, m.client);
      byPath.set(key, [...(byPath.get(key) ?? []), m]);
    }
    const hints: string[] = [];
    // A governed entry's own thoth command: wrap-config writes this thoth's path into it
    // (as client_configs says), which no reinstall at a path from another machine does.
    const firstThoth = missing.find((m) => m.thothOf !== undefined);
    if (firstThoth?.thothOf !== undefined) {
      hints.push(
        `write this thoth's path into the entry of "${firstThoth.server}" ${SAME_OPTIONS} with: ` +
          wrapConfigLine(firstThoth.client, firstThoth.thothOf),
      );
    }
    const firstBare = bare.find((m) => m.thothOf === undefined);
    if (firstBare !== undefined) {
      hints.push(
        `set "command" to an absolute path (find it with: command -v ${
          /^[\w.+-]+$/.test(firstBare.command) ? firstBare.command : shellQuote(firstBare.command)
        }), ` +
          (firstBare.where.source === "entry"
            ? `or add its folder to the PATH in the server's "env" block`
            : `or set PATH in the server's "env" block`),
      );
    }
    const firstAbsolute = absolute.find((m) => m.thothOf === undefined);
    if (firstAbsolute !== undefined) {
      const name = firstAbsolute.command.split(/[\\/]/).pop() || firstAbsolute.command;
      hints.push(
        `reinstall the program at "${firstAbsolute.command}", or set "command" to where it is ` +
          `now (find it with: command -v ${/^[\w.+-]+$/.test(name) ? name : shellQuote(name)})`,
      );
    }
    return {
      id: "upstream_path",
      status: "fail",
      message: [
        ...[...byPath].map(([where, found]) =>
          `not found on ${where}: ${found.map(named).join(", ")}`
        ),
        ...(absolute.length === 0
          ? []
          : [`no executable file at: ${absolute.map(named).join(", ")}`]),
        ...unknownText,
      ].join("; "),
      hint: hints.join("; "),
    };
  }
  if (unknown.length > 0) {
    return {
      id: "upstream_path",
      status: "warn",
      message: unknownText.join("; "),
      hint: "write the command as an absolute path, and only absolute folders in PATH",
    };
  }
  const onlyCode = clients.size > 0 && [...clients].every((client) => client === "claude-code");
  const someCode = clients.has("claude-code");
  const own = ownPath === 0
    ? ""
    : `; ${ownPath} of them on the PATH its server's "env" block sets, which ${
      addedPath === 0
        ? "replaces the client's"
        : addedPath === ownPath
        ? "VS Code puts after its own"
        : "replaces the client's (VS Code puts it after its own)"
    }`;
  return {
    id: "upstream_path",
    status: "pass",
    message: `${checked} command${checked === 1 ? "" : "s"} found on ` +
      (onlyCode
        ? "Claude Code's PATH (your PATH)"
        : someCode
        ? "each client's PATH (a desktop app's minimal PATH; your PATH for Claude Code)"
        : "the desktop client's PATH") +
      own,
    hint: null,
  };
}
