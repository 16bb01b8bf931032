/**
 * `thoth audit export --json`: the documents a script reads on stdout. On
 * success one JSON document: where the bundle is, the period as read (UTC;
 * null for an open end), its records and seq range, every file with its
 * SHA-256, the manifest's hash, the path of the signed export statement,
 * what was left out for want of a signed checkpoint, and (with
 * `--with-findings`) the findings it carries. On failure the CLI's error
 * document (`report_error.ts`), one line; an empty period's adds the period
 * as read and the log's earliest and latest record times. Pure.
 *
 * @example
 * ```ts
 * io.out(exportSuccessJson(summary, { since: null, until: null }));
 * // {"ok": true, "output": "./evidence", …}
 * ```
 */
import type { ExportSummary } from "../audit/export_bundle.ts";
import { EXPORT_NOTE_FILE } from "../audit/export_statement.ts";
import { EmptyPeriodError, type PeriodRead } from "../audit/empty_period_error.ts";
import { escapeJsonForDisplay } from "../audit/escape_json_for_display.ts";
import { describeError, errorJson } from "./report_error.ts";

/** The success document, pretty-printed, ending in a newline. */
export function exportSuccessJson(summary: ExportSummary, period: PeriodRead): string {
  const document = {
    ok: true,
    output: summary.output,
    since: period.since,
    until: period.until,
    records: summary.records,
    seq: { first: summary.firstSeq, last: summary.lastSeq },
    checkpoints: summary.checkpoints,
    leftOut: summary.leftOut,
    files: summary.files,
    manifestSha256: summary.manifestSha256,
    statement: joinPath(summary.output, EXPORT_NOTE_FILE),
    signedBy: summary.signedBy,
    ...(summary.device === undefined ? {} : { findings: summary.device.findings }),
  };
  return escapeJsonForDisplay(JSON.stringify(document, null, 2)) + "\n";
}

/**
 * The failure document for `error` when it carries more than the CLI's
 * error line says (an empty period: its times), else undefined (the CLI
 * prints its own line).
 */
export function exportFailureJson(error: unknown): string | undefined {
  if (!(error instanceof EmptyPeriodError)) return undefined;
  const line = JSON.parse(errorJson(describeError(error, false)));
  return JSON.stringify({ ...line, period: error.period, log: error.log }) + "\n";
}

/** `dir/name`, without doubling a separator `dir` ends in. */
function joinPath(dir: string, name: string): string {
  return /[\\/]$/.test(dir) ? dir + name : `${dir}/${name}`;
}
