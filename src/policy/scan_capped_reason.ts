/**
 * The reason a `detector.scan_capped` match gives: what left part of the
 * call unread, the first limit the scan met leading, so that a 180 KB CSV
 * whose table outgrew the readings by column is not told it passed the
 * 1 MiB size limit. Pure.
 *
 * @example
 * ```ts
 * scanCappedReason(["size"]);
 * // "arguments exceed the 1 MiB scan limit; the rest was not checked"
 * scanCappedReason(["table"]);
 * // "arguments hold a table with more cells or columns than thoth reads by column (…); …"
 * ```
 */
import { MAX_DEPTH, MAX_SCAN_CHARS } from "./detectors/scan_limits.ts";
import type { ScanCap } from "./detectors/scan_result.ts";
import { MAX_COLUMNS } from "./detectors/text_table.ts";
import { MAX_BASE64_RUNS } from "./detectors/encoded_readings.ts";

const MIB = MAX_SCAN_CHARS / 1024 / 1024;

/** What each limit left unread, as a reason says it. */
const CAUSES: Readonly<Record<ScanCap, string>> = {
  size: `arguments exceed the ${MIB} MiB scan limit`,
  depth: `arguments nest deeper than ${MAX_DEPTH} levels`,
  number: "arguments hold a number too long to read exactly",
  encoding: "arguments hold text encoded or nested in strings more times than thoth decodes, " +
    `more than ${MAX_BASE64_RUNS} runs of encoded text in one string, ` +
    `or more of it than the ${MIB} MiB it decodes`,
  table: "arguments hold a table with more cells or columns than thoth reads by column " +
    `(more than ${MAX_COLUMNS} columns, or more cells than ${MIB} MiB of text holds)`,
};

/** The reason for a scan capped by `causes` (in the order the scan met them). */
export function scanCappedReason(causes: readonly ScanCap[]): string {
  const said = causes.map((cause) => CAUSES[cause]);
  if (said.length === 0) said.push(CAUSES.size);
  const tail = causes.length === 1 && causes[0] === "table"
    ? "the cells it left were read as text only, not under their column's name"
    : "the rest was not checked";
  return `${said.join("; ")}; ${tail}`;
}
