/**
 * What the readings of one scan of a call's arguments share
 * ({@linkcode ScanContext}): its detectors, where it is, the findings it
 * made and the budget it reads within. The readings by position
 * (`positional_reading.ts`) and of arrays' strings read joined
 * (`joined_runs_reading.ts`) each take it once, made when a call first
 * needs one of them (most need neither). Pure.
 *
 * @example
 * ```ts
 * const scan: ScanContext = {
 *   detectors,
 *   path: { steps: [], positions: [], labels: [] },
 *   seen: new Set(),
 *   state: { findings: [], scannedChars: 0, capped: false, cappedBy: [] },
 *   budget: MAX_SCAN_CHARS,
 * };
 * new PositionalReading(scan).tables("name,ssn\nAna,123-45-6789", "content", 0);
 * ```
 */
import type { DetectorSpec } from "./detector_spec.ts";
import type { ScanResult } from "./scan_result.ts";
import type { ScanPath } from "./scan_path.ts";

/** One scan of a call's arguments, as its readings see it (see the module's doc). */
export interface ScanContext {
  /** The scan's detectors (of the kinds it scans for). */
  readonly detectors: readonly DetectorSpec[];
  /** Where the scan is. */
  readonly path: ScanPath;
  /** The findings made, as `type\u0000path`: one is reported once. */
  readonly seen: Set<string>;
  /** The scan's result: its findings, and `capped` when a budget leaves something unread. */
  readonly state: ScanResult;
  /** The scan's `maxChars`. */
  readonly budget: number;
}
