/**
 * What a signed checkpoint must cover. A bundle promises that one covers
 * every record: records after its last matching checkpoint (the checkpoint
 * record that carries it excepted) fail, and so does a bundle without one. A
 * device's log legitimately has newer records than its last checkpoint (the
 * unanchored tail), but one with records and no valid checkpoint at all is
 * unanchored: a warning. Pure.
 *
 * @example
 * ```ts
 * const finding = coverageFinding({ bundle: true, valid, coveredTo: 120, count: 21, startSize: 100, logSize: 121 });
 * ```
 */
import type { Finding } from "./finding.ts";
import type { ValidCheckpoint } from "./verify_notes.ts";

/** The coverage finding, if any. */
export function coverageFinding(input: {
  bundle: boolean;
  valid: readonly ValidCheckpoint[];
  /** The largest size whose signed root matched the records; undefined when none did. */
  coveredTo: number | undefined;
  /** Records read. */
  count: number;
  startSize: number;
  logSize: number;
}): Finding | undefined {
  const { valid, coveredTo, count, startSize, logSize } = input;
  if (count === 0) return undefined;
  if (!input.bundle) {
    if ((coveredTo ?? startSize) > startSize) return undefined;
    return {
      kind: "unanchored",
      severity: "warning",
      seq: startSize,
      ...(logSize - 1 > startSize ? { toSeq: logSize - 1 } : {}),
      message:
        `no validly signed checkpoint covers any of the ${count} records: the log is unanchored, and whoever can write it could have rewritten it without trace (a writer signs one within 60 s and at session end; its checkpoint records may have been removed)`,
    };
  }
  let end = coveredTo ?? startSize;
  const carried = coveredTo !== undefined &&
    valid.some((c) => c.size === coveredTo && c.sources.includes(`log seq ${coveredTo}`));
  if (carried) end += 1;
  if (logSize <= end) return undefined;
  const range = logSize - 1 > end ? { seq: end, toSeq: logSize - 1 } : { seq: end };
  return {
    kind: "uncovered",
    severity: "tamper",
    ...range,
    message: coveredTo === undefined
      ? `no validly signed checkpoint covers any record of this bundle (seq ${startSize}..${
        logSize - 1
      }): nothing vouches for them, and a bundle as exported always carries one`
      : `records ${end}..${
        logSize - 1
      } follow the bundle's last signed checkpoint (size ${coveredTo}): nothing vouches for them, and a bundle as exported ends at a checkpoint`,
  };
}
