/**
 * `thoth audit show`: lists records as a table for people, or as the stored
 * JSON lines (`--json`), filtered by period, server, verdict, effect or one
 * decision id.
 *
 * @example
 * ```ts
 * const audit = new Command("audit");
 * addShowCommand(audit, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { AppError } from "../errors.ts";
import { escapeJsonForDisplay } from "../audit/escape_json_for_display.ts";
import { type TableRow, tableRow } from "../audit/format_records.ts";
import { SHOWN_EFFECTS, type ShownEffect } from "../audit/shown_effect.ts";
import { readDecisionId } from "../audit/decision_records.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { parsePeriod } from "../audit/parse_time.ts";
import type { UnchainedRange } from "../audit/chain_links.ts";
import { readShownRecords } from "../audit/shown_records.ts";
import { printShownTable, TABLE_ROWS_HELD } from "../audit/shown_table.ts";
import type { TableJoins } from "../audit/table_joins.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { showName } from "../identity/shown_env_value.ts";
import { displayText } from "../approval/display_text.ts";
import { noLogNote, noRecordsNote, serversIn } from "./audit_show_empty.ts";
import { listSegments } from "../audit/log_files.ts";
import { examples, PERIOD_HELP, programOf, SINCE_HELP, UNTIL_HELP } from "./audit_help.ts";
import { LineWriter, reportUnchained } from "./audit_lines.ts";

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
 * does not hold). `noLog`: the audit folder, when it holds no segment at all.
 */
function decisionNotFound(id: string, noLog: string | undefined): AppError {
  return new AppError(
    "audit.decision_not_found",
    noLog === undefined
      ? `no record of this profile's audit log names decision ${id}`
      : `no record names decision ${id}: there is no audit log in ${
        JSON.stringify(displayText(noLog, 400))
      } yet`,
    {
      hints: [
        ...(noLog === undefined
          ? ["check the id against the refusal message, digit by digit"]
          : []),
        "a decision made under another THOTH_HOME or on another device is in that log: run this there",
        "a session killed before its records reached the log leaves them in the audit spool until the next thoth session takes them in",
      ],
    },
  );
}

/** Adds `show` to the `audit` command. */
export function addShowCommand(audit: Command, io: CliIo): void {
  audit.command("show")
    .summary("list records as a table, or as JSON lines (--json)")
    .description(
      "list records: a table for people (its TIME is UTC), JSON lines with --json;\n" +
        "no record matching the filters, or no audit log in this profile at all, is said\n" +
        "on stderr (stdout holds no row; exit 0);\n" +
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
    .action(async (options, command) => {
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
          throw decisionNotFound(options.decisionId, await noLogIn(dir));
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
          throw decisionNotFound(options.decisionId, await noLogIn(dir));
        }
        const out = new LineWriter(io);
        await printShownTable(shown, (text) => out.line(text));
        out.flush();
        unchained = shown.unchained;
        joins = shown.joins;
        none = shown.kept.length === 0 && shown.again === undefined;
      }
      // Nothing matched: say so on stderr, naming the filters (and the servers the log holds);
      // with no log at all, say that instead, filters or not (exit 0: an empty answer).
      if (none) {
        io.err(
          await noLogIn(dir) !== undefined
            ? noLogNote(programOf(command), dir, io.env)
            : noRecordsNote(options, serversIn(joins), programOf(command)),
        );
      }
      reportUnchained(io, unchained);
    });
}

/** `dir`, when it holds no segment (no log at all: no session wrote a record here), else undefined. */
async function noLogIn(dir: string): Promise<string | undefined> {
  return (await listSegments(dir)).length === 0 ? dir : undefined;
}
