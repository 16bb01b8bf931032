/**
 * One entry of the detector table: what it finds, its family, how much one
 * hit adds to the risk score, and the pure test itself.
 *
 * @example
 * ```ts
 * const spec: DetectorSpec = {
 *   kind: "pii", type: "email", weight: 10, label: "email address",
 *   detect: (text) => text.includes("@"),
 * };
 * ```
 */
import type { DetectorKind } from "./finding.ts";
import type { TextDetector } from "./text_detector.ts";
import type { DigitNeed } from "./digit_census.ts";

/** A detector with its metadata. */
export interface DetectorSpec {
  kind: DetectorKind;
  /** Stable id used in findings, audit records and vector files. */
  type: string;
  /** Risk points one finding of this type adds (counted once per type per call). */
  weight: number;
  /** Human name used in reasons. */
  label: string;
  detect: TextDetector;
  /**
   * The ASCII digits every pattern of the detector needs (see
   * {@linkcode DigitNeed}); the scan skips it for text with fewer, which is
   * most text, instead of running its expressions. Absent: it runs on all text.
   */
  digits?: DigitNeed;
  /**
   * The strings every match of the detector starts with (`ghp_`, `AKIA`, …),
   * for the readings that look for a token only where one may start. Absent:
   * its matches start with no fixed text.
   */
  starts?: readonly string[];
}
