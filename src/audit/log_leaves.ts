/**
 * The RFC 6962 leaf hash of every stored line of a log, in order, read a
 * chunk at a time (see `scanLogLines`): what `thoth audit prove` and
 * `thoth audit checkpoint --export` need to rebuild the tree, without
 * holding the lines or their parsed records (a million records were 1.3 GB
 * that way; their hashes are 32 MB). The line at one position is kept, with
 * its record, for a caller that proves it.
 *
 * @example
 * ```ts
 * const { count, leaves, kept } = await readLogLeaves("/home/ana/.thoth/audit", { keep: 42 });
 * const tree = await MerkleLevels.build(leaves.subarray(0, 8 * HASH_SIZE));
 * kept?.record?.seq; // 42, when the log holds it where it belongs
 * ```
 */
import { HASH_SIZE, leafHashSync } from "./merkle_hash.ts";
import { type LogLine, parseLogLine, scanLogLines } from "./read_records.ts";

/** A log's leaf hashes. */
export interface LogLeaves {
  /** How many complete lines the log holds. */
  count: number;
  /** Their leaf hashes, {@linkcode HASH_SIZE} bytes each, in log order (`count` of them). */
  leaves: Uint8Array;
  /** The line at the position asked for (a copy), when the log holds one there. */
  kept?: LogLine;
}

/** Room for this many leaves at first; doubled when full. */
const FIRST_ROOM = 4096;

/**
 * Hashes every complete line of the log in `dir` and keeps the one at
 * position `keep`; `firstRoom` (tests) sets how many leaves fit before the
 * first doubling.
 */
export async function readLogLeaves(
  dir: string,
  options: { keep?: number; firstRoom?: number } = {},
): Promise<LogLeaves> {
  const keep = options.keep;
  let leaves = new Uint8Array((options.firstRoom ?? FIRST_ROOM) * HASH_SIZE);
  let count = 0;
  let kept: LogLine | undefined;
  await scanLogLines(dir, (segment, bytes) => {
    if ((count + 1) * HASH_SIZE > leaves.length) {
      const more = new Uint8Array(leaves.length * 2);
      more.set(leaves);
      leaves = more;
    }
    leafHashSync(bytes, leaves.subarray(count * HASH_SIZE, (count + 1) * HASH_SIZE));
    if (count === keep) kept = parseLogLine(segment, bytes.slice());
    count++;
  });
  return {
    count,
    leaves: leaves.subarray(0, count * HASH_SIZE),
    ...(kept === undefined ? {} : { kept }),
  };
}
