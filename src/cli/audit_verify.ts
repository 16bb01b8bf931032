/**
 * `thoth audit verify`: checks the log (or an exported bundle) offline and
 * names every change found. Exits 0 clean, 1 tampered or records lost, 2
 * warnings only (an empty log among them), 3 could not run (see
 * `verify_usage.ts`).
 *
 * @example
 * ```ts
 * const audit = new Command("audit");
 * addVerifyCommand(audit, io);
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { AppError, isAppError } from "../errors.ts";
import { escapeJsonForDisplay } from "../audit/escape_json_for_display.ts";
import { formatVerifyReport } from "../audit/format_report.ts";
import { verifyLocalLog } from "../audit/verify_log.ts";
import { verifyBundle } from "../audit/verify_bundle.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { exitThreeOnUsage, once } from "./verify_usage.ts";
import { examples } from "./audit_help.ts";
import { progressLine } from "./progress_line.ts";
import { type VerifyProgress, verifyProgressText } from "../audit/verify_progress.ts";

/** Adds `verify` to the `audit` command. */
export function addVerifyCommand(audit: Command, io: CliIo): void {
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
      const line = progressLine(
        io,
        `thoth: verifying ${options.bundle === undefined ? "the audit log" : "the bundle"}`,
      );
      const extra = {
        ...(options.anchor !== undefined ? { anchorPath: options.anchor } : {}),
        progress: (progress: VerifyProgress) =>
          line.show(verifyProgressText(progress), progress.phase === "checking"),
      };
      let report;
      try {
        if (options.bundle === undefined) await requireProfileFolder(io.thothHome, io.env);
        report = options.bundle !== undefined
          ? await verifyBundle(options.bundle, extra)
          : await verifyLocalLog(io.thothHome, extra);
      } catch (error) {
        line.end();
        const message = isAppError(error)
          ? error.message
          : `cannot read the audit log: ${error instanceof Error ? error.message : String(error)}`;
        throw new AppError("audit.verify_failed", message, {
          hints: isAppError(error) ? error.hints : ["check that the audit folder is readable"],
          exitCode: 3,
          cause: error,
        });
      }
      line.end();
      io.out(
        options.json
          ? escapeJsonForDisplay(JSON.stringify(report, null, 2)) + "\n"
          : formatVerifyReport(report),
      );
      io.exitCode = report.exitCode;
    });
}
