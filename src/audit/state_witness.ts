/**
 * What a state file says about the audit log's end as a witness: how many
 * records the writer last counted, and the leaf hash of the last one, read
 * even when the rest of the state is damaged. `verify` and `doctor`
 * compare it with the log: a log shorter than its state lost records. Pure.
 *
 * @example
 * ```ts
 * const witness = readStateWitness(await readStateSettled(paths.state));
 * if (witness !== undefined && witness.size > records) {
 *   // the log lost records
 * }
 * ```
 */
import { isFrontierOf } from "./merkle_frontier.ts";
import { HASH_HEX } from "./log_state.ts";
import { type LostRecords, readLost } from "./state_lost_records.ts";

/** What a state file says about the log's end, as far as it can be read. */
export interface StateWitness {
  /** The number of records the writer counted. */
  size: number;
  /** Leaf hash (hex) of record `size - 1` (`GENESIS_PREV` when `size` is 0). */
  last: string;
  /** The size of the last signed checkpoint (0 when none). */
  checkpointSize: number;
  /** The last loss a writer found, when the file recorded one. */
  lost?: LostRecords;
  /**
   * The Merkle frontier (hex, largest subtree first) of the `size` records
   * counted, when the file holds one of the right length: a commitment to
   * every record counted, which `verify` compares with the log's records.
   */
  frontier?: string[];
}

/**
 * The witness a state file holds: its size, last leaf hash and checkpoint
 * size, read even when the rest of the state is damaged (a bad frontier, say);
 * `undefined` when those are not readable.
 */
export function readStateWitness(text: string): StateWitness | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const s = value as Record<string, unknown>;
  const size = s["size"];
  const last = s["last"];
  const checkpointSize = s["checkpointSize"];
  if (
    s["v"] !== 1 || typeof size !== "number" || !Number.isSafeInteger(size) || size < 0 ||
    typeof last !== "string" || !HASH_HEX.test(last)
  ) {
    return undefined;
  }
  const covered = typeof checkpointSize === "number" && Number.isSafeInteger(checkpointSize) &&
      checkpointSize >= 0
    ? checkpointSize
    : 0;
  const lost = readLost(s["lost"]);
  const frontier = s["frontier"];
  return {
    size,
    last,
    checkpointSize: covered,
    ...(lost === undefined ? {} : { lost }),
    ...(isFrontierOf(size, frontier) ? { frontier: [...frontier] } : {}),
  };
}
