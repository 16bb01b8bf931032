/**
 * `thoth audit export`: writes a signed evidence bundle for a period, to be
 * checked anywhere with `thoth audit verify --bundle`. With `--json`, one JSON
 * document on stdout, the result or the error (see `audit_export_json.ts`).
 *
 * @example
 * ```ts
 * const audit = new Command("audit");
 * addExportCommand(audit, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { exportBundle } from "../audit/export_bundle.ts";
import { exportGate } from "../audit/export_gate.ts";
import { parsePeriod } from "../audit/parse_time.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { showName } from "../identity/shown_env_value.ts";
import { examples, PERIOD_HELP, SINCE_HELP, UNTIL_HELP } from "./audit_help.ts";
import { exportFailureJson, exportSuccessJson } from "./audit_export_json.ts";
import { progressLine } from "./progress_line.ts";
import { type VerifyProgress, verifyProgressText } from "../audit/verify_progress.ts";

/** Adds `export` to the `audit` command. */
export function addExportCommand(audit: Command, io: CliIo): void {
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
        PERIOD_HELP + "\n\n" + EXIT_CODES,
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
    .option(
      "--json",
      "print the result as one JSON document on stdout (the bundle's path, period, records, " +
        "files and hashes; on failure the error, with its code)",
    )
    .addHelpText(
      "after",
      examples(`  # the last 30 days as a bundle for an auditor, then check it as they will
  {program} audit export --since 30d --output ./evidence-march
  {program} audit verify --bundle ./evidence-march

  # one day's records, for a script that reads the result (exit 1 and
  # "audit.empty_range" when the period holds none)
  {program} audit export --since 2026-03-01 --until 2026-03-01 --output ./day --json`),
    )
    .action(async (options) => {
      const now = new Date();
      const period = parsePeriod(options, now, showName);
      await requireProfileFolder(io.thothHome, io.env);
      // Read only: an auditor's export never writes to the evidence (records
      // no checkpoint covers yet are left out without --until, refused with
      // it, naming "thoth audit checkpoint").
      const withFindings = options.withFindings === true;
      let summary;
      const line = progressLine(io, "thoth: exporting");
      const progress = (step: VerifyProgress) =>
        line.show(verifyProgressText(step), step.phase === "checking");
      try {
        summary = await exportBundle(io.thothHome, {
          output: options.output,
          now,
          ...period,
          gate: async () => {
            const gated = await exportGate(io.thothHome, { withFindings, now, progress });
            line.show("verified; writing the bundle", true);
            return gated;
          },
        });
      } catch (error) {
        line.end();
        // An empty period's document carries its times; the CLI prints the
        // error on stderr and exits with its code either way.
        const json = options.json === true ? exportFailureJson(error) : undefined;
        if (json !== undefined) io.out(json);
        throw error;
      }
      line.end();
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
      if (options.json === true) {
        io.out(exportSuccessJson(summary, {
          since: period.since?.toISOString() ?? null,
          until: period.until?.toISOString() ?? null,
        }));
        return;
      }
      io.out(
        `exported records ${summary.firstSeq}..${summary.lastSeq} (${summary.records} records, ${summary.checkpoints} checkpoints) to ${summary.output}\n` +
          `signed the export statement (export.note: the period, the records and the manifest) with ${summary.signedBy}\n` +
          `check it anywhere with: thoth audit verify --bundle ${summary.output}\n`,
      );
    });
}

/** What the exit code says (lines fit 80 columns). */
const EXIT_CODES = [
  "Exit codes: 0 exported; 1 nothing exported: no record in the period",
  "(audit.empty_range: the message names the period as read and the times of the",
  "log's records), a log that does not verify (audit.log_not_verified), records no",
  "signed checkpoint covers, an --output folder that exists, a lock held too long;",
  "2 a command line it cannot read (a time that does not exist, --since after",
  "--until, an --output that names no new folder). With --json, stdout holds one",
  "JSON document either way: {ok: true, …} or {ok: false, error: {code, …}}.",
].join("\n");
