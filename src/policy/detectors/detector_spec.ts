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
   * True when the detector can only fire on text that contains an ASCII digit
   * (every pattern it uses requires one). The scan then skips it for text
   * without a digit, which is most text, instead of running its expressions.
   * `tests/policy/detectors/detector_gates_test.ts` holds it to that claim.
   */
  needsDigit?: boolean;
}
