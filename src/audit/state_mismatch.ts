/**
 * What in a parsed state file cannot be so, read from the state alone (see
 * {@linkcode stateMismatch}). Pure.
 *
 * @example
 * ```ts
 * const why = stateMismatch(state); // undefined: nothing disagrees
 * ```
 */
import type { LogState } from "./log_state.ts";
import { SEGMENT_PATTERN } from "./log_paths.ts";
import { GENESIS_PREV } from "./record.ts";

/**
 * What in a parsed state cannot be so, read from the state alone: a writer
 * names its open segment after the first seq it holds, and counts only
 * complete records in `segmentBytes`, so a state counting fewer records than
 * its segment's name starts from, or holding bytes of a segment with no
 * record of it counted, or a `last` leaf hash that does not go with its
 * count, was not written by a writer (a count forged to 0 over a log that
 * holds records, say). `undefined` when nothing disagrees. Pure.
 *
 * @example
 * ```ts
 * stateMismatch({ ...emptyLogState(), segment: "seg-000000000000-2026-03-01.jsonl", segmentBytes: 812 });
 * // "it counts 0 records, but holds 812 bytes of records of seg-000000000000-2026-03-01.jsonl, which starts at seq 0"
 * ```
 */
export function stateMismatch(state: LogState): string | undefined {
  const counts = `it counts ${state.size} record${state.size === 1 ? "" : "s"}`;
  if ((state.size === 0) !== (state.last === GENESIS_PREV)) {
    return state.size === 0
      ? `${counts}, but names a last record's leaf hash`
      : `${counts}, but names no last record`;
  }
  if (state.segment === null) return undefined;
  const match = SEGMENT_PATTERN.exec(state.segment);
  if (match === null) return `${counts} in ${JSON.stringify(state.segment)}, which is no segment`;
  const first = Number(match[1]);
  if (first > state.size) {
    return `${counts}, but its segment ${state.segment} starts at seq ${first}`;
  }
  if (state.segmentBytes > 0 && first === state.size) {
    return `${counts}, but holds ${state.segmentBytes} bytes of records of ${state.segment}, which starts at seq ${first}`;
  }
  if (state.segmentBytes === 0 && first < state.size) {
    return `${counts}, but holds no record of ${state.segment}, which starts at seq ${first}`;
  }
  return undefined;
}
