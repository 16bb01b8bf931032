/**
 * `thoth audit`: check, read and export the device's tamper-evident audit
 * log. `verify` exits 0 clean, 1 tampered or records lost, 2 warnings only
 * (an empty log among them), 3 could not run (an unreadable or malformed input,
 * or a command line it cannot read: see `verify_usage.ts`).
 *
 * @example
 * ```sh
 * thoth audit verify --anchor ~/offsite/thoth-checkpoint.note
 * thoth audit show --since 24h --decision block
 * thoth audit show --since 24h --effect blocked
 * thoth audit show --decision-id d-9f2c41aa07e35b18
 * thoth audit export --since 2026-07-01 --until 2026-09-30 --output /media/usb/q3
 * ```
 */
import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { AppError, isAppError } from "../errors.ts";
import { openAuditLog } from "../audit/audit_log.ts";
import { exportBundle } from "../audit/export_bundle.ts";
import { exportGate } from "../audit/export_gate.ts";
import { writeAnchorFile } from "../audit/anchor_file.ts";
import { withAnchorKey } from "../audit/anchor_key.ts";
import { readDeviceSigner } from "../audit/device_keys.ts";
import { escapeJsonForDisplay, type TableRow, tableRow } from "../audit/format_records.ts";
import { SHOWN_EFFECTS, type ShownEffect } from "../audit/shown_effect.ts";
import { readDecisionId } from "../audit/decision_records.ts";
import { formatVerifyReport } from "../audit/format_report.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { readCheckpointNotes } from "../audit/log_files.ts";
import { parsePeriod } from "../audit/parse_time.ts";
import { proveRecord } from "../audit/prove_record.ts";
import { LogFollower } from "../audit/follow_log.ts";
import { unchainedNotice, type UnchainedRange, unchainedRanges } from "../audit/chain_links.ts";
import { readShownRecords } from "../audit/shown_records.ts";
import { printShownTable, TABLE_ROWS_HELD } from "../audit/shown_table.ts";
import { verifyBundle, verifyLocalLog } from "../audit/verify_log.ts";
import { readNumberFlag } from "../config/read_number_flag.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { showName } from "../identity/shown_env_value.ts";
import { exitThreeOnUsage, once } from "./verify_usage.ts";
import { noRecordsNote, serversIn } from "./audit_show_empty.ts";
import { TailTable } from "../audit/tail_table.ts";
import { lookUpJoins } from "../audit/tail_joins_lookup.ts";
import type { TableJoins } from "../audit/table_joins.ts";

type Rec = Record<string, unknown>;

/** `tail --lines`: how many records, 0 to 1000000 (default 20; `show` reads them all). */
function readLineCount(value: string): number {
  return readNumberFlag("--lines", value, {
    min: 0,
    max: 1_000_000,
    expected: "a whole number of records",
    fallback: 20,
  });
}

/** `prove --seq`: a record's sequence number, 0 to 2^53 - 1 (larger ones lose digits). */
function readSeq(value: string): number {
  return readNumberFlag("--seq", value, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    expected: "a record sequence number",
    example: 42,
  });
}

/** The verdicts `show --decision` takes. */
const VERDICTS = ["allow", "block", "step_up"] as const;

/** The effects `show --effect` takes: what thoth did with a call or a request (see `shown_effect.ts`). */
const EFFECTS: readonly ShownEffect[] = SHOWN_EFFECTS;

/**
 * `show --decision`: a verdict (the policy's); a decision id is pointed to
 * `--decision-id`, an effect (what was done with the call) to `--effect`.
 */
function readVerdict(value: string): (typeof VERDICTS)[number] {
  const verdict = VERDICTS.find((v) => v === value);
  if (verdict !== undefined) return verdict;
  const hints = ["use allow, block or step_up"];
  if (/^\W*d-/i.test(value.trim())) {
    hints.unshift(
      "to look up one decision by its id, use --decision-id (see thoth audit show --help)",
    );
  }
  const effect = EFFECTS.find((e) => e === value.trim().toLowerCase());
  if (effect !== undefined) {
    hints.unshift(
      `--decision is the policy's verdict; to list calls by what thoth did with them, use --effect ${effect}`,
    );
  }
  throw new AppError(
    "usage.bad_flag",
    `${showName(value)} given to --decision is not a verdict`,
    { hints, exitCode: 2 },
  );
}

/**
 * `show --effect`: what thoth did with a call or a request (forwarded,
 * observed, approval_requested, blocked or refused); a verdict is pointed to
 * `--decision`.
 */
function readEffect(value: string): ShownEffect {
  const effect = EFFECTS.find((e) => e === value);
  if (effect !== undefined) return effect;
  const hints = [`use ${EFFECTS.slice(0, -1).join(", ")} or ${EFFECTS.at(-1)}`];
  const verdict = VERDICTS.find((v) => v === value.trim().toLowerCase());
  if (verdict !== undefined) {
    hints.push(
      `--effect is what thoth did with the call; to list decisions by the policy's verdict, use --decision ${verdict}`,
    );
  }
  throw new AppError(
    "usage.bad_flag",
    `${showName(value)} given to --effect is not an effect`,
    { hints, exitCode: 2 },
  );
}

/**
 * `show --decision-id` shows one decision whole: a period, server, verdict or
 * effect filter with it is refused (exit 2) rather than leaving records out.
 */
function refuseFiltersWithId(options: Record<string, unknown>): void {
  const given = ["since", "until", "server", "decision", "effect"].filter((f) =>
    options[f] !== undefined
  );
  if (given.length === 0) return;
  throw new AppError(
    "usage.bad_flag",
    `--decision-id shows one decision with all its records; it does not go with ${
      given.map((f) => `--${f}`).join(", ")
    }`,
    { hints: ["run thoth audit show --decision-id ID alone (--json may go with it)"] },
  );
}

/**
 * No record of the log names decision `id` (see `recordsOfDecision`):
 * `audit.decision_not_found` (exit 1, as `prove` exits for a seq the log
 * does not hold).
 */
function decisionNotFound(id: string): AppError {
  return new AppError(
    "audit.decision_not_found",
    `no record of this profile's audit log names decision ${id}`,
    {
      hints: [
        "check the id against the refusal message, digit by digit",
        "a decision made under another THOTH_HOME or on another device is in that log: run this there",
        "a session killed before its records reached the log leaves them in the audit spool until the next thoth session takes them in",
      ],
    },
  );
}

/** How many lines `show` and `tail` hand to `io.out` at a time. */
const LINES_PER_WRITE = 1000;

/**
 * Prints `lines`, each with its newline, a batch at a time: the lines of a
 * large log joined into one string would pass the longest string
 * JavaScript can hold (about 512 MiB), failing as an internal error.
 */
function outLines(io: CliIo, lines: Iterable<string>): void {
  const out = new LineWriter(io);
  for (const line of lines) out.line(line);
  out.flush();
}

/** Hands lines to `io.out` {@linkcode LINES_PER_WRITE} at a time, as they come. */
class LineWriter {
  readonly #io: CliIo;
  #batch: string[] = [];

  constructor(io: CliIo) {
    this.#io = io;
  }

  line(line: string): void {
    this.#batch.push(line + "\n");
    if (this.#batch.length >= LINES_PER_WRITE) this.flush();
  }

  flush(): void {
    if (this.#batch.length === 0) return;
    const text = this.#batch.join("");
    this.#batch = [];
    this.#io.out(text);
  }
}

/**
 * After `show` or `tail` printed records: a stderr line naming the records
 * whose links do not hold (`ranges`: see `chain_links.ts`), and exit code 1,
 * as `verify` exits for a changed log. What was printed is the log as
 * stored; the exit code tells a script that it is not the log thoth wrote.
 */
function reportUnchained(io: CliIo, ranges: readonly UnchainedRange[]): void {
  if (ranges.length === 0) return;
  io.err(unchainedNotice(ranges));
  io.exitCode = 1;
}

/** How `show` and `export` read `--since` and `--until` (lines fit 80 columns). */
const PERIOD_HELP = [
  "--since and --until take (both ends included; every time is UTC unless zoned):",
  "  2026-03-01            a whole day, UTC (as --until: up to the end of that day)",
  "  2026-03-01T09:00:00Z  a moment; without Z or an offset such as +02:00 it is",
  "  2026-03-01 09:00      read as UTC (seconds and a fraction are optional; as",
  "                        --until, up to the end of the last unit given: 09:00",
  "                        to 09:00:59.999, a time show printed to its .999)",
  "  30m, 24h, 7d          an age, counted back from now",
  "A record written late (taken in from a killed session's spool, or held while",
  "the log could not be written) falls in the period of its decision (its",
  "decidedAt), the time show's TIME column prints for it (its DETAIL says when",
  "it was written; --json prints both); every other record, in that of its ts.",
].join("\n");
const SINCE_HELP = "from this time (see above)";
const UNTIL_HELP = "up to and including this time (see above)";

/**
 * Runs a `preAction` hook's profile checks (`setup`: THOTH_HOME must be an
 * absolute path, the profile a folder) for `action`. `audit verify --bundle`
 * reads only the bundle, so it skips them; for `audit verify` a refusal
 * exits 3, "could not run", as its help says (1 is kept for tampering).
 */
export async function profileChecksFor(
  action: CommandUnknownOpts,
  setup: () => Promise<void>,
): Promise<void> {
  const verify = action.name() === "verify" && action.parent?.name() === "audit";
  if (verify && (action.opts() as { bundle?: unknown }).bundle !== undefined) return;
  try {
    await setup();
  } catch (error) {
    if (!verify || !isAppError(error) || error.exitCode === 3) throw error;
    throw new AppError(error.code, error.message, {
      hints: error.hints,
      exitCode: 3,
      cause: error,
    });
  }
}

/**
 * Help text for after a command's options: an "Examples:" section holding
 * `text`, each `{program}` in it the name of the program the command runs
 * under (`thoth` or `thothctl`).
 */
function examples(text: string): (context: { command: CommandUnknownOpts }) => string {
  return ({ command }) => {
    let root = command;
    while (root.parent !== null) root = root.parent;
    return `\nExamples:\n${text.replaceAll("{program}", root.name())}`;
  };
}

/** Builds the `audit` command and its subcommands. */
export function auditCommand(io: CliIo): Command {
  const audit = new Command("audit")
    .description("check, read and export the tamper-evident audit log")
    .helpCommand(true);

  const verify = audit.command("verify");
  exitThreeOnUsage(verify);
  verify
    .summary("check the log offline and name every change found")
    .description(
      "check the log offline: exit 0 clean, 1 tampered, records lost, or a bundle's anchor\n" +
        "signed by a key the bundle does not list (not verified), 2 warnings only\n" +
        "(no log at all is a warning), 3 could not run (an unreadable or malformed input,\n" +
        "or a command line it cannot read).\n" +
        "Truncation of the newest records is only detectable against an exported checkpoint (--anchor).",
    )
    .option(
      "--anchor <file>",
      'a checkpoint exported earlier with "thoth audit checkpoint --export"',
      once("--anchor"),
    )
    .option(
      "--bundle <dir>",
      'verify an evidence bundle written by "thoth audit export"',
      once("--bundle"),
    )
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      examples(`  # is this device's log intact? (exit 0 clean, 1 tampered, 2 warnings only)
  {program} audit verify

  # export a checkpoint and keep it off this device; later, verify against it
  # (it also catches records cut off the end of the log)
  {program} audit checkpoint --export anchor.note
  {program} audit verify --anchor anchor.note

  # a bundle someone exported, as JSON for a script
  {program} audit verify --bundle ./evidence-march --json`),
    )
    .action(async (options) => {
      const extra = options.anchor !== undefined ? { anchorPath: options.anchor } : {};
      let report;
      try {
        if (options.bundle === undefined) await requireProfileFolder(io.thothHome, io.env);
        report = options.bundle !== undefined
          ? await verifyBundle(options.bundle, extra)
          : await verifyLocalLog(io.thothHome, extra);
      } catch (error) {
        const message = isAppError(error)
          ? error.message
          : `cannot read the audit log: ${String(error)}`;
        throw new AppError("audit.verify_failed", message, {
          hints: isAppError(error) ? error.hints : ["check that the audit folder is readable"],
          exitCode: 3,
          cause: error,
        });
      }
      io.out(
        options.json
          ? escapeJsonForDisplay(JSON.stringify(report, null, 2)) + "\n"
          : formatVerifyReport(report),
      );
      io.exitCode = report.exitCode;
    });

  audit.command("show")
    .summary("list records as a table, or as JSON lines (--json)")
    .description(
      "list records: a table for people (its TIME is UTC), JSON lines with --json;\n" +
        "no record matching the filters is said on stderr (stdout holds no row);\n" +
        "a decision's VERDICT is what the policy said, its EFFECT what thoth did with\n" +
        "the call (forwarded, forwarded with a warning, forwarded (observe mode),\n" +
        "approval requested, blocked; — in records of releases that did not record it);\n" +
        "a request's (a resource, prompt or completion the client asked for, or a\n" +
        "request refused before any decision) EFFECT is forwarded or refused\n\n" +
        PERIOD_HELP,
    )
    .option("--since <time>", SINCE_HELP)
    .option("--until <time>", UNTIL_HELP)
    .option("--server <name>", "only records of this server")
    .option(
      "--decision <verdict>",
      "only decisions whose policy verdict is this (allow, block, step_up), " +
        "whatever was done with the call: for that, see --effect (a request has no verdict)",
      readVerdict,
    )
    .option(
      "--effect <effect>",
      "only decisions and requests where thoth did this with the call or request: " +
        "forwarded (calls and requests that went to the server), observed (calls forwarded " +
        "in observe mode), approval_requested (calls), blocked or refused (the same: calls " +
        "blocked and requests refused); goes with --decision (which keeps decisions only)",
      readEffect,
    )
    .option(
      "--decision-id <id>",
      "one decision (the id a refusal names) with its approval, outcome, cancellation " +
        "and session start records",
      readDecisionId,
    )
    .option("--json", "print the stored JSON lines")
    .addHelpText(
      "after",
      examples(`  # what was blocked in the last day (tool calls blocked, requests refused)
  {program} audit show --since 24h --effect blocked

  # the decision a refusal names ("Decision d-…"), with what followed it
  {program} audit show --decision-id d-9f2c41aa07e35b18`),
    )
    .action(async (options) => {
      if (options.decisionId !== undefined) refuseFiltersWithId(options);
      const period = parsePeriod(options, new Date(), showName);
      await requireProfileFolder(io.thothHome, io.env);
      const filters = {
        since: period.since?.getTime() ?? -Infinity,
        until: period.until?.getTime() ?? Infinity,
        server: options.server,
        verdict: options.decision,
        effect: options.effect,
        decisionId: options.decisionId,
      };
      const dir = auditPaths(io.thothHome).dir;
      // The log is read a line at a time: only the chosen records' rows (or
      // JSON lines) and the table's joins are kept, so a day of a log that
      // holds months costs that day.
      let unchained: UnchainedRange[];
      let joins: TableJoins;
      let none: boolean;
      if (options.json) {
        const decoder = new TextDecoder();
        const out = new LineWriter(io);
        let emitted = 0;
        const shown = await readShownRecords(dir, filters, {
          joins: false,
          // Escaped past what JSON escapes: each line parses to the stored record, and is inert on screen.
          keep: (line) => escapeJsonForDisplay(decoder.decode(line.bytes)),
          emit: (text) => {
            emitted++;
            out.line(text);
          },
        });
        if (options.decisionId !== undefined && shown.kept.length === 0) {
          throw decisionNotFound(options.decisionId);
        }
        for (const text of shown.kept) out.line(text);
        out.flush();
        unchained = shown.unchained;
        joins = shown.joins;
        none = emitted === 0 && shown.kept.length === 0;
      } else {
        const shown = await readShownRecords<TableRow>(dir, filters, {
          joins: true,
          keep: (line) => tableRow(line.record!),
          // Past this many rows, the log is read again to print them instead of held.
          keepAtMost: TABLE_ROWS_HELD,
        });
        if (
          options.decisionId !== undefined && shown.kept.length === 0 && shown.again === undefined
        ) {
          throw decisionNotFound(options.decisionId);
        }
        const out = new LineWriter(io);
        await printShownTable(shown, (text) => out.line(text));
        out.flush();
        unchained = shown.unchained;
        joins = shown.joins;
        none = shown.kept.length === 0 && shown.again === undefined;
      }
      // Nothing matched: say so on stderr, naming the filters (and the servers the log holds).
      if (none) io.err(noRecordsNote(options, serversIn(joins)));
      reportUnchained(io, unchained);
    });

  audit.command("tail")
    .summary("print the newest records; -f keeps watching")
    .description(
      "print the newest records; -f keeps watching (the table's header once); TIME as in\n" +
        "show (a record written late shows its decision's time, and says when it was written)",
    )
    .option("-n, --lines <count>", "how many records, 0 to 1000000", readLineCount, 20)
    .option("-f, --follow", "keep printing new records as they are written")
    .option(
      "--json",
      'print the stored JSON lines (a damaged one as {"type":"unreadable_line","text":…})',
    )
    .addHelpText(
      "after",
      examples(`  # the last 50 records, then each new one as it is written (Ctrl-C stops)
  {program} audit tail -n 50 -f`),
    )
    .action(async (options) => {
      const count = options.lines;
      await requireProfileFolder(io.thothHome, io.env);
      const dir = auditPaths(io.thothHome).dir;
      const decoder = new TextDecoder();
      // One table for the whole run: its header once, its joins across batches (see tail_table.ts).
      const table = new TailTable();
      const print = async (batch: { record: Rec | undefined; bytes: Uint8Array }[]) => {
        if (batch.length === 0) return;
        // A stored line that is no record (a damaged log) is still one JSON line here.
        const jsonLine = (l: { record: Rec | undefined; bytes: Uint8Array }) =>
          l.record !== undefined ? decoder.decode(l.bytes) : JSON.stringify({
            type: "unreadable_line",
            text: decoder.decode(l.bytes).slice(0, 4096),
          });
        if (options.json) {
          outLines(io, batch.map((l) => escapeJsonForDisplay(jsonLine(l))));
          return;
        }
        const records = batch.flatMap((l) => (l.record ? [l.record] : []));
        table.take(records);
        // An outcome whose decision was written before these records: looked up in the log.
        const wanted = table.unjoined(records);
        table.addFound(wanted, await lookUpJoins(dir, wanted));
        outLines(io, table.lines(records));
      };
      const follower = new LogFollower(dir);
      // One line more than shown: the first shown record's link to the one before it is checked too.
      const newest = await follower.tail(count + 1);
      await print(newest.slice(Math.max(0, newest.length - count)));
      const startsLog = newest.length < count + 1;
      reportUnchained(io, unchainedRanges(newest, { startsLog }));
      let last = newest[newest.length - 1];
      while (options.follow) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const fresh = await follower.poll();
        await print(fresh);
        if (fresh.length === 0) continue;
        reportUnchained(
          io,
          unchainedRanges(last === undefined ? fresh : [last, ...fresh], {
            startsLog: last === undefined,
          }),
        );
        last = fresh[fresh.length - 1];
      }
    });

  audit.command("export")
    .summary("write a signed evidence bundle for a period")
    .description(
      "write an evidence bundle for a period (verify it elsewhere with verify --bundle)\n" +
        "into a new folder, written beside it and moved into place when complete; its\n" +
        "export.note, signed with this device's audit signing key, states the period\n" +
        "and the records it holds, so a bundle cut at either end shows; without --until\n" +
        "it ends at the newest signed checkpoint (newer records wait for the next export);\n" +
        "it holds every record from the period's first to its last (a bundle has no gaps),\n" +
        "so a record written late among them, decided before the period, travels too;\n" +
        "a log that does not verify (tampered, records lost) is not exported unless\n" +
        "--with-findings writes the findings into the bundle and its signed statement\n\n" +
        PERIOD_HELP,
    )
    .option("--since <time>", SINCE_HELP)
    .option("--until <time>", UNTIL_HELP)
    .requiredOption(
      "--output <dir>",
      "a new folder to write the bundle to (one that does not exist yet, or is empty)",
    )
    .option(
      "--with-findings",
      "export even if the log does not verify, with its findings in the bundle's README " +
        "and in its signed statement (verify --bundle reports them)",
    )
    .addHelpText(
      "after",
      examples(`  # the last 30 days as a bundle for an auditor, then check it as they will
  {program} audit export --since 30d --output ./evidence-march
  {program} audit verify --bundle ./evidence-march`),
    )
    .action(async (options) => {
      const now = new Date();
      const period = parsePeriod(options, now, showName);
      await requireProfileFolder(io.thothHome, io.env);
      // Read only: an auditor's export never writes to the evidence (records
      // no checkpoint covers yet are left out without --until, refused with
      // it, naming "thoth audit checkpoint").
      const withFindings = options.withFindings === true;
      const summary = await exportBundle(io.thothHome, {
        output: options.output,
        now,
        ...period,
        gate: () => exportGate(io.thothHome, { withFindings, now }),
      });
      if (summary.device !== undefined) {
        const n = summary.device.findings.length;
        io.err(
          `thoth: warning: the audit log does not verify (${n} finding${
            n === 1 ? "" : "s"
          }): exported with --with-findings, which the bundle's README and signed export statement state\n`,
        );
        io.err('thoth: hint: run "thoth audit verify" to see every finding\n');
      }
      for (const path of summary.left.removed) {
        io.err(`thoth: removed "${path}", an unfinished bundle an earlier export left\n`);
      }
      for (const path of summary.left.recent) {
        io.err(
          `thoth: warning: "${path}" is an unfinished bundle of another export to the same folder, written to in the last 10 minutes\n`,
        );
        io.err(
          `thoth: hint: if no other "thoth audit export" is running, remove it: rm -r "${path}"\n`,
        );
      }
      if (summary.leftOut > 0) {
        const n = summary.leftOut;
        const which = n === 1
          ? `newest record (seq ${summary.lastSeq + 1})`
          : `${n} newest records (seq ${summary.lastSeq + 1}..${summary.lastSeq + n})`;
        const them = n === 1 ? "it" : "them";
        if (summary.leftOutNote !== undefined) {
          io.err(
            `thoth: warning: left out the ${which}: the signed checkpoint note ${summary.leftOutNote} covers ${them}, but the log holds no checkpoint record for it, so the bundle ends at the newest one it holds; a session may be writing it now, or the log's end was cut or changed\n`,
          );
          io.err(
            'thoth: hint: export again in a moment; if the records are still left out, run "thoth audit verify"\n',
          );
        } else {
          io.err(
            `thoth: warning: left out the ${which}: no signed checkpoint covers ${them} yet, so the bundle ends at the newest checkpoint; the next export includes ${them} once one is signed\n`,
          );
          io.err(
            `thoth: hint: to include ${them} now, run "thoth audit checkpoint", then export again\n`,
          );
        }
      }
      io.out(
        `exported records ${summary.firstSeq}..${summary.lastSeq} (${summary.records} records, ${summary.checkpoints} checkpoints) to ${summary.output}\n` +
          `signed the export statement (export.note: the period, the records and the manifest) with ${summary.signedBy}\n` +
          `check it anywhere with: thoth audit verify --bundle ${summary.output}\n`,
      );
    });

  audit.command("prove")
    .summary("print one record with its inclusion proof")
    .description("print one record with its inclusion proof against a signed checkpoint")
    .requiredOption("--seq <n>", "the record's sequence number", readSeq)
    .addHelpText(
      "after",
      examples(`  # record 42 and the proof that a signed checkpoint includes it
  {program} audit prove --seq 42`),
    )
    .action(async (options) => {
      await requireProfileFolder(io.thothHome, io.env);
      const proof = await proveRecord(io.thothHome, options.seq);
      io.out(escapeJsonForDisplay(JSON.stringify(proof, null, 2)) + "\n");
    });

  audit.command("checkpoint")
    .summary("sign a checkpoint now, or export one (--export)")
    .description("sign a checkpoint now; --export copies it off the device as a verify --anchor")
    .option(
      "--export <file>",
      "write the latest signed checkpoint to this file (an existing one only if this log extends it and it is no later)",
    )
    .option("--replace", "with --export: overwrite the file even if this log does not extend it")
    .addHelpText(
      "after",
      examples(`  # sign one now
  {program} audit checkpoint

  # write the latest to a file to keep off this device, for "verify --anchor" later
  {program} audit checkpoint --export anchor.note`),
    )
    .action(async (options) => {
      if (options.replace && options.export === undefined) {
        throw new AppError("usage.bad_flag", "--replace goes with --export FILE", {
          hints: ['run "thoth audit checkpoint --export FILE --replace"'],
        });
      }
      await requireProfileFolder(io.thothHome, io.env);
      const log = await openAuditLog({ thothHome: io.thothHome });
      await log.close();
      const notes = await readCheckpointNotes(auditPaths(io.thothHome).checkpoints);
      const latest = notes[notes.length - 1];
      if (latest === undefined) {
        throw new AppError(
          "audit.no_checkpoint",
          "the audit log has no records to checkpoint yet",
          {
            hints: ["run thoth with a server first; every session writes records"],
          },
        );
      }
      const size = latest.note.split("\n")[1];
      if (options.export !== undefined) {
        // The anchor carries the key that signed it (see anchor_key.ts).
        const signer = await readDeviceSigner(auditPaths(io.thothHome), "sign the anchor");
        const anchor = await withAnchorKey(latest.note, signer);
        if (anchor === undefined) {
          io.err(
            `thoth: warning: the newest checkpoint (size ${size}) is not signed by this device's current audit key, so the anchor does not carry its key: verify --anchor trusts it only while the keys file lists the key that signed it\n`,
          );
        }
        const written = await writeAnchorFile(options.export, anchor ?? latest.note, {
          logDir: auditPaths(io.thothHome).dir,
          replace: options.replace === true,
        });
        io.out(
          written === "same"
            ? `${options.export} holds the checkpoint at size ${size} already\n`
            : written === "replaced"
            ? `replaced the checkpoint in ${options.export} with the one at size ${size}\n`
            : `wrote the checkpoint at size ${size} to ${options.export}\n`,
        );
        io.out(
          `keep it off this device; later run: thoth audit verify --anchor ${options.export}\n`,
        );
      } else {
        io.out(latest.note);
      }
    });

  return audit;
}
