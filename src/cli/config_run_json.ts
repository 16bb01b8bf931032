/**
 * `wrap-config --json` and `unwrap-config --json`: one JSON document on
 * stdout that tells a script what happened to each file and each server,
 * while the human lines go to stderr. Exit codes stay 0/1/2; the document
 * carries the distinction: `error.code` (as `status --json` and the CLI's
 * JSON error line name it, see `report_error.ts`) for a failure that stopped
 * the command, `failures` for what made it exit 1 after it went on. Each
 * server carries its `problems` (see `server_problem.ts`: a code, a
 * severity, the message and the remedy), so a script can act on each one;
 * `profile` names the profile wrap-config judged the servers by (the shape
 * of `status --json`'s).
 *
 * @example
 * ```ts
 * const report = new ConfigRunReport("wrap-config");
 * command.action(jsonReported(io, report, retrying(io, async (input, options) => { … })));
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import { describeError } from "./report_error.ts";
import { displayText } from "../approval/display_text.ts";
import { escapeJsonForDisplay } from "../audit/escape_json_for_display.ts";
import type { ServerReport } from "../config/config_plan.ts";
import type { WriteResult } from "../config/write_config.ts";
import type { ProjectConfigLeft } from "../config/project_configs_not_wrapped.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import type { NotStarting } from "../config/not_starting.ts";
import { runRefusalProblem, type ServerProblem } from "../config/server_problem.ts";
import type { JudgedProfileFacts } from "./judged_profile.ts";

/** What became of one file. */
export type FileOutcome =
  | "written"
  | "unchanged"
  | "would_write"
  | "failed"
  | "not_written"
  | "left";

/** An error as the JSON reports it (the fields of `report_error.ts`'s error line). */
export interface ErrorJson {
  code: string;
  message: string;
  hints: string[];
  exitCode: number;
}

/** One server of a file. */
export interface ServerJson {
  name: string;
  project: string | null;
  /** wrapped, updated, unchanged, unwrapped, skipped (not a local server) or left (with `reason`). */
  action: string;
  reason: string | null;
  reasons: string[];
  tenantId: string | null;
  /** The session intent its `--intent` gives a server run through thoth; null without one. */
  intent: string | null;
  /** "local" for a server run through thoth: this build decides its calls with the local policy. */
  decisions: "local" | null;
  /** Why it is not governed as it should be (or not restored), each with its code and remedy. */
  problems: ServerProblem[];
}

/** One file of the run. */
export interface FileJson {
  path: string;
  output: string;
  outcome: FileOutcome;
  backup: string | null;
  keyBackup: string | null;
  reason: string | null;
  servers: ServerJson[];
  error: ErrorJson | null;
}

/** What a server the command left as it is carries. */
interface Left {
  name: string;
  project?: string;
  reason: string;
}

/** A governed server with its tenant and intent, as the plan's text runs it. */
export interface Governed {
  name: string;
  project: string | null;
  tenantId: string | null;
  /** Its `--intent` (shown by fingerprint when it looks like a key); null without one. */
  intent: string | null;
}

/** The run's record; reset at each try (a config that changed on disk is planned again). */
export class ConfigRunReport {
  files: FileJson[] = [];
  failures: { code: string; message: string }[] = [];
  /** The profile the servers were judged by (wrap-config), once known. */
  profile: JudgedProfileFacts | null = null;

  constructor(readonly command: string) {}

  /** Starts a try anew. */
  reset(): void {
    this.files = [];
    this.failures = [];
    this.profile = null;
  }

  /** The profile the servers are judged by (see `judged_profile.ts`). */
  judged(profile: JudgedProfileFacts): void {
    this.profile = profile;
  }

  /** A file planned: its servers, those left as they are and the governed ones of its text. */
  planned(
    path: string,
    output: string,
    servers: readonly ServerReport[],
    left: readonly Left[],
    governed: readonly Governed[] | null,
  ): void {
    const key = (name: string, project: string | null | undefined) =>
      JSON.stringify([name, project ?? null]);
    const leftBy = new Map(left.map((server) => [key(server.name, server.project), server]));
    const governedBy = new Map(
      (governed ?? []).map((server) => [key(server.name, server.project), server]),
    );
    this.files.push({
      path,
      output,
      outcome: "not_written",
      backup: null,
      keyBackup: null,
      reason: null,
      servers: servers.map((server) => {
        const k = key(server.name, server.project);
        const gone = leftBy.get(k);
        const run = governedBy.get(k);
        return {
          name: shownUnlessKey(server.name),
          project: server.project ?? null,
          action: gone === undefined ? server.action : "left",
          reason: gone?.reason ?? null,
          reasons: server.reasons,
          tenantId: run?.tenantId ?? null,
          intent: run?.intent ?? null,
          decisions: run === undefined ? null : "local",
          problems: [
            ...(server.problem === undefined ? [] : [server.problem]),
            ...(server.notes ?? []),
          ].map(cleanProblem),
        };
      }),
      error: null,
    });
  }

  /** What the write (or dry run) of `path` did: see `applyConfigPlan`'s result. */
  done(path: string, result: WriteResult | null | undefined, wouldChange: boolean): void {
    const file = this.file(path);
    if (file === undefined) return;
    if (result === undefined) file.outcome = wouldChange ? "would_write" : "unchanged";
    else if (result === null) file.outcome = "unchanged";
    else {
      file.outcome = "written";
      file.backup = result.backupCreated ?? result.backupKept ?? null;
      file.keyBackup = result.secretBackupCreated ?? null;
    }
  }

  /** The servers of `path` that `thoth run` will refuse to start, each with its refusals. */
  notStarting(path: string, servers: readonly NotStarting[]): void {
    const file = this.file(path);
    if (file === undefined) return;
    for (const { server, refusals } of servers) {
      const json = file.servers.find((one) =>
        one.name === shownUnlessKey(server.name) && one.project === server.project
      );
      json?.problems.push(
        ...refusals.errors.map((refusal) => cleanProblem(runRefusalProblem(refusal, false))),
        ...refusals.profile.map((refusal) => cleanProblem(runRefusalProblem(refusal, true))),
      );
    }
  }

  /** The file whose check or write failed with `error`. */
  failed(path: string, error: unknown): void {
    const file = this.file(path);
    if (file === undefined) return;
    file.outcome = "failed";
    file.error = errorJsonOf(error);
  }

  /**
   * A file that could not be read or planned, which stopped the command
   * before anything was written: "failed", with its error (the document's
   * "error" too), and no servers, since none could be read. Each file
   * planned before it (told with {@linkcode planned}) stays "not_written",
   * its "reason" saying why.
   */
  notPlanned(path: string, output: string, error: unknown): void {
    for (const file of this.files) {
      if (file.outcome !== "not_written") continue;
      file.reason = displayText(
        `not written: the command stopped at "${path}", which could not be read or planned, ` +
          "before it wrote any file",
        2000,
      );
    }
    this.files.push({
      path,
      output,
      outcome: "failed",
      backup: null,
      keyBackup: null,
      reason: null,
      servers: [],
      error: errorJsonOf(error),
    });
  }

  /** What made the command exit 1 though it went on (servers left, servers that will not start). */
  failure(code: string, message: string): void {
    this.failures.push({ code, message: displayText(message, 2000) });
  }

  /** Project configs the command does not change, each as `left` with why. */
  projectsLeft(left: readonly ProjectConfigLeft[]): void {
    for (const config of left) {
      const reason = config.problem === null
        ? `a project config (a folder ${config.listedIn} lists) is wrapped only when named: ` +
          "it runs servers without thoth"
        : `a project config (a folder ${config.listedIn} lists) that cannot be read: ${config.problem}`;
      this.files.push({
        path: config.path,
        output: config.path,
        outcome: "left",
        backup: null,
        keyBackup: null,
        reason,
        servers: config.ungoverned.map((name) => ({
          name,
          project: null,
          action: "left",
          reason: "in a project config the command did not change",
          reasons: [],
          tenantId: null,
          intent: null,
          decisions: null,
          problems: [],
        })),
        error: null,
      });
    }
  }

  /** The governed servers with a tenant, over every file, as the note names them. */
  tenantServers(): ServerJson[] {
    return this.files.flatMap((file) =>
      file.servers.filter((server) => server.decisions !== null && server.tenantId !== null)
    );
  }

  /** The document: `error` is what stopped the command, if anything. */
  document(exitCode: number, dryRun: boolean, error?: unknown): string {
    const stopped = error === undefined ? null : errorJsonOf(error);
    const code = stopped?.exitCode ?? exitCode;
    const doc = {
      schemaVersion: 1,
      command: this.command,
      ok: code === 0,
      exitCode: code,
      dryRun,
      error: stopped,
      failures: this.failures,
      files: this.files,
      profile: this.profile,
    };
    // DEL, C1 and bidi controls as \u escapes too, as status --json: safe to print, exact once parsed.
    return escapeJsonForDisplay(JSON.stringify(doc, null, 2)) + "\n";
  }

  private file(path: string): FileJson | undefined {
    return this.files.find((file) => file.path === path && file.outcome !== "left");
  }
}

/** `error` as the CLI's JSON error line reports it, cleaned the same way. */
export function errorJsonOf(error: unknown): ErrorJson {
  const report = describeError(error, false);
  const clean = (text: string) => displayText(text, 2000);
  return {
    code: clean(report.code),
    message: clean(report.message),
    hints: report.hints.map(clean),
    exitCode: report.exitCode,
  };
}

/** `problem` with its texts cleaned as the rest of the document's. */
function cleanProblem(problem: ServerProblem): ServerProblem {
  const clean = (text: string) => displayText(text, 2000);
  return {
    ...problem,
    message: clean(problem.message),
    remedy: problem.remedy === null ? null : clean(problem.remedy),
  };
}

/** `io` whose standard output goes to stderr (the human lines of a `--json` run); one exit code. */
export function humanIo(io: CliIo, json: boolean): CliIo {
  if (!json) return io;
  return Object.create(io, {
    out: { value: (text: string) => io.err(text) },
    exitCode: {
      get: () => io.exitCode,
      set: (code: number) => {
        io.exitCode = code;
      },
    },
  }) as CliIo;
}

/**
 * `action` that, given `--json`, prints `report`'s document on stdout once
 * it ends, and when it fails too (the error then also goes to stderr and sets
 * the exit code as before; the CLI prints no second JSON line).
 */
export function jsonReported<
  I,
  O extends { json?: boolean | undefined; dryRun?: boolean | undefined },
>(
  io: CliIo,
  report: ConfigRunReport,
  action: (input: I, options: O) => Promise<void>,
): (input: I, options: O) => Promise<void> {
  return async (input, options) => {
    if (!options.json) return await action(input, options);
    try {
      await action(input, options);
    } catch (error) {
      io.out(report.document(io.exitCode, options.dryRun === true, error));
      throw error;
    }
    io.out(report.document(io.exitCode, options.dryRun === true));
  };
}

/**
 * The note for servers with a tenant: this build decides their calls with
 * the local policy (the README's Identity section); "" when there are none.
 */
export function tenantLocalNote(
  servers: readonly { name: string; project: string | null }[],
): string {
  if (servers.length === 0) return "";
  const names = servers.map((server) =>
    server.project === null ? server.name : `${server.name} (project ${server.project})`
  );
  return displayText(
    `thoth: note: ${names.length} server(s) with a tenant (${names.join(", ")}): their calls ` +
      "are decided by this machine's local policy; this build does not use the tenant's remote " +
      "enforcer",
    Infinity,
  ) + "\n";
}
