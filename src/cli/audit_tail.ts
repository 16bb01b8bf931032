/**
 * `thoth audit tail`: prints the newest records, as a table or as the stored
 * JSON lines; `-f` keeps printing new ones as they are written.
 *
 * @example
 * ```ts
 * const audit = new Command("audit");
 * addTailCommand(audit, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { escapeJsonForDisplay } from "../audit/escape_json_for_display.ts";
import { auditPaths } from "../audit/log_paths.ts";
import { LogFollower } from "../audit/follow_log.ts";
import { unchainedRanges } from "../audit/chain_links.ts";
import { TailTable } from "../audit/tail_table.ts";
import { lookUpJoins } from "../audit/tail_joins_lookup.ts";
import { readNumberFlag } from "../config/read_number_flag.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { examples, programOf } from "./audit_help.ts";
import { noLogNote } from "./audit_show_empty.ts";
import { listSegments } from "../audit/log_files.ts";
import { outLines, reportUnchained } from "./audit_lines.ts";

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

/** Adds `tail` to the `audit` command. */
export function addTailCommand(audit: Command, io: CliIo): void {
  audit.command("tail")
    .summary("print the newest records; -f keeps watching")
    .description(
      "print the newest records; -f keeps watching (the table's header once); TIME as in\n" +
        "show (a record written late shows its decision's time, and says when it was written);\n" +
        "no audit log in this profile is said on stderr (exit 0), and -f waits for its first record",
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
    .action(async (options, command) => {
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
      // No log at all: said once, whatever -n; -f waits for the first record (see the loop).
      if (newest.length === 0 && (await listSegments(dir)).length === 0) {
        io.err(noLogNote(programOf(command), dir, io.env, options.follow === true));
      }
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
}
