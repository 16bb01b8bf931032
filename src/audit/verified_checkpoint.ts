/**
 * The last checkpoint record an audit writer found signed by a device key
 * over the root its frontier folds to (see `checkpoint_start.ts`), checked
 * outside the lock: where the writer starts its checks of a state another
 * writer wrote (its Merkle frontier, the records it takes in), so that only
 * the records since it are read. Which record to check next comes from a
 * state file (another writer's) or from the writer's own checkpoint; a
 * record checked, kept or not, is not checked again.
 *
 * @example
 * ```ts
 * const checkpoints = new VerifiedCheckpoint(paths.state, reads, keys);
 * if (checkpoints.due) await checkpoints.verify();
 * const start = checkpoints.start(state); // a frontier known good, or undefined
 * ```
 */
import { bytesEqual } from "./encoding.ts";
import { type LogState, parseLogState } from "./log_state.ts";
import { MAX_STATE_FILE_BYTES } from "./read_state_settled.ts";
import type { RecordPlace, SegmentReads } from "./segment_reads.ts";
import { type CheckpointBase, signedCheckpointAt, type SpanBase } from "./checkpoint_start.ts";
import type { WriterKeys } from "./writer_keys.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** The checkpoint record a writer starts its checks from. */
export class VerifiedCheckpoint {
  /**
   * The last checkpoint record whose note a device key was found to sign
   * over the root its frontier folds to (checked outside the lock, see
   * {@linkcode verify}), with the line it is: where the writer's frontier
   * check starts when that line is still there.
   */
  #base: CheckpointBase | undefined;
  /**
   * The checkpoint record to check before the next batch takes the lock:
   * where a state another writer wrote (or this writer's own checkpoint)
   * puts it, or "state" to read that from the state file (at open).
   */
  #toCheck: RecordPlace | "state" | undefined = "state";
  /** The checkpoint record last checked, kept or not: not checked again. */
  #tried: RecordPlace | undefined;
  readonly #statePath: string;
  readonly #reads: SegmentReads;
  readonly #keys: WriterKeys;

  constructor(statePath: string, reads: SegmentReads, keys: WriterKeys) {
    this.#statePath = statePath;
    this.#reads = reads;
    this.#keys = keys;
  }

  /** Whether a checkpoint record waits to be checked before the next batch. */
  get due(): boolean {
    return this.#toCheck !== undefined;
  }

  /** The checkpoint record this writer just signed: checked like another writer's before its next batch. */
  checkNext(place: RecordPlace): void {
    this.#toCheck = place;
  }

  /**
   * Checks the checkpoint record to check, outside the lock: a checkpoint
   * record whose seq is its size, whose frontier folds to the root its note
   * states, and whose note a device key signed. Kept when it is one and
   * later than the one kept; anything else (a hint to no such record, a
   * state file mid-write) is passed over, and the frontier is then checked
   * from further back.
   */
  async verify(): Promise<void> {
    const want = this.#toCheck;
    this.#toCheck = undefined;
    try {
      const place = want === "state"
        ? parseLogState(
          new TextDecoder().decode(
            await readRegularFile(this.#statePath, { limit: MAX_STATE_FILE_BYTES }),
          ),
        )
          ?.checkpointRecord
        : want;
      if (place === undefined) return;
      this.#tried = { segment: place.segment, offset: place.offset };
      const kept = this.#base;
      if (kept?.from.segment === place.segment && kept.from.offset === place.offset) return;
      const line = this.#reads.lineAt(place.segment, place.offset);
      if (line === undefined) return;
      const base = await signedCheckpointAt(
        line,
        place,
        kept?.size ?? 0,
        this.#keys.keys.publicKeys,
      );
      if (base !== undefined) this.#base = base;
    } catch {
      // No checkpoint to start from: the frontier is checked from further back.
    }
  }

  /**
   * How many records from the log's start the last signed checkpoint this
   * writer verified vouches for (its size, and its own record), when its
   * record is still where it was; 0 when there is none. `hint`: where a
   * later checkpoint record may start, verified first (a rare path: a state
   * file without a valid MAC).
   */
  async vouch(hint: RecordPlace | undefined): Promise<number> {
    const kept = this.#base;
    if (
      hint !== undefined &&
      (kept === undefined || kept.from.segment !== hint.segment || kept.from.offset !== hint.offset)
    ) {
      const pending = this.#toCheck;
      this.#toCheck = hint;
      await this.verify();
      this.#toCheck = pending;
    }
    const base = this.#base;
    if (base === undefined) return 0;
    const line = this.#reads.lineAt(base.from.segment, base.from.offset);
    return line !== undefined && bytesEqual(line, base.line) ? base.size + 1 : 0;
  }

  /**
   * The frontier the last checkpoint record this writer verified carries
   * (see {@linkcode verify}), when the record is still where it was, before
   * the state's end: the log is append-only, so an older checkpoint than the
   * state's last is as good a start. Notes the state's last checkpoint
   * record to check before the next batch when it is a later one.
   */
  start(state: LogState): SpanBase | undefined {
    const hint = state.checkpointRecord;
    const base = this.#base;
    const tried = this.#tried;
    if (
      hint !== undefined && state.checkpointSize > (base?.size ?? 0) &&
      (tried?.segment !== hint.segment || tried.offset !== hint.offset)
    ) {
      this.#toCheck = hint;
    }
    if (base === undefined || base.size >= state.size) return undefined;
    const { segment, offset } = base.from;
    if (segment > state.segment! || (segment === state.segment && offset >= state.segmentBytes)) {
      return undefined;
    }
    const line = this.#reads.lineAt(segment, offset);
    return line !== undefined && bytesEqual(line, base.line) ? base : undefined;
  }
}
