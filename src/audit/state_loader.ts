/**
 * What an audit writer chains its next batch onto, read under the lock:
 * the state file, checked against the log before anything is chained onto
 * a state this writer did not write last (its count, its last record, its
 * Merkle frontier), rebuilt from the segments when it does not match or is
 * missing, damaged, too large or under a MAC that does not verify, and the
 * records to write first: a `state_rebuilt` record that says why (with what
 * the state file counted, so `verify` reports records lost), the cut of a
 * torn tail, a `tail_taken_in` record naming records past the count that
 * nothing vouched for (see `unvouched_tail.ts`, `past_the_count.ts`), and
 * what this writer counted when the log was rolled back or removed under
 * it (see `rollback_witness.ts`). The batch's intent (see
 * `pending_batch.ts`) builds on the state it vouched for.
 *
 * @example
 * ```ts
 * const loader = new StateLoader(paths, held, checkpoints, reads, keys, segments);
 * const { state, notes, macless } = await loader.load();
 * ```
 */
import type { AppError } from "../errors.ts";
import { firstKeyCreated } from "./device_keys.ts";
import { fromHex, toHex } from "./encoding.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import type { AuditPaths } from "./log_paths.ts";
import { listSegments, segmentsFingerprint } from "./log_files.ts";
import { logHoldsRecords } from "./log_holds_records.ts";
import { LOG_GONE } from "./lost_records.ts";
import { chainBrokenError, writerRemedy } from "./seq_break.ts";
import { emptyLogState, type LogState } from "./log_state.ts";
import { MAX_STATE_FILE_BYTES } from "./read_state_settled.ts";
import { readStateWitness, type StateWitness } from "./state_witness.ts";
import { scanLogState } from "./scan_log_state.ts";
import { stateMismatch } from "./state_mismatch.ts";
import type { LogEvent } from "./record.ts";
import { BadMacSearch, type ScanReason } from "./earlier_state_read.ts";
import { PAST_THE_COUNT, tailTakenIn, untrustedReason } from "./unvouched_tail.ts";
import {
  insideUnnamedBatch,
  type LogPoint,
  parsePendingBatch,
  PENDING_FILE_BYTES,
  type PendingBatch,
  pendingVouch,
} from "./pending_batch.ts";
import { heldFileStat } from "./held_file_stat.ts";
import { NO_INTENT } from "./past_the_count.ts";
import { openRegularFileSync } from "../platform/open_regular_file.ts";
import type { LogGone } from "./state_before.ts";
import { readAt, type SegmentReads } from "./segment_reads.ts";
import { absorbTail, cutTornTail, type Loaded, nextSegmentWritten } from "./take_in_tail.ts";
import { sameHashes } from "./checkpoint_start.ts";
import type { VerifiedCheckpoint } from "./verified_checkpoint.ts";
import type { WriterKeys } from "./writer_keys.ts";
import type { WriterStateFile } from "./writer_state_file.ts";

/** The writer's open segment, which a state's check may find removed under it. */
export interface SegmentHost {
  /** Opens (or reuses) the append handle of a segment. */
  openSegment(name: string): Deno.FsFile;
  /** Closes the open segment's handle (removed under the writer). */
  dropSegment(): void;
}

/** Reads the state a writer's next batch chains onto. */
export class StateLoader {
  readonly #paths: AuditPaths;
  readonly #stateFile: WriterStateFile;
  readonly #checkpoints: VerifiedCheckpoint;
  readonly #reads: SegmentReads;
  readonly #keys: WriterKeys;
  readonly #segments: SegmentHost;
  /** A refusal of a log with a seq break and its segments' fingerprint, so a retry does not rescan it. */
  #broken: { fingerprint: string; error: AppError } | undefined;
  /** A removed log found at open, recorded by the first batch written. */
  #gone: LogGone | undefined;
  /**
   * The state file the batch being written builds on, when this writer
   * vouched for every record up to where its own start: its intent names it.
   * Undefined: no intent is written (the next writer vouches as before).
   */
  #pendingBase: LogPoint | undefined;

  constructor(
    paths: AuditPaths,
    stateFile: WriterStateFile,
    checkpoints: VerifiedCheckpoint,
    reads: SegmentReads,
    keys: WriterKeys,
    segments: SegmentHost,
    gone?: LogGone,
  ) {
    this.#paths = paths;
    this.#stateFile = stateFile;
    this.#checkpoints = checkpoints;
    this.#reads = reads;
    this.#keys = keys;
    this.#segments = segments;
    this.#gone = gone;
  }

  /** The state the batch being written builds on, when its intent names one (see `pending_batch.ts`). */
  get pendingBase(): LogPoint | undefined {
    return this.#pendingBase;
  }

  /** A batch was written: a removed log found at open is recorded, and so are files removed under the writer. */
  batchWritten(): void {
    this.#gone = undefined;
    this.#stateFile.batchWritten();
  }

  /**
   * The state to chain onto, and the records to write first. Records taken
   * in that no state file vouched for (see `unvouched_tail.ts`) are kept,
   * and a `tail_taken_in` record says which they are, before any checkpoint
   * signs them. `macless`: the state file read carried no MAC (an earlier
   * release's), or there was no state to read.
   */
  async load(): Promise<{ state: LogState; notes: LogEvent[]; macless: boolean }> {
    const text = this.#stateFile.readText();
    const cached = this.#stateFile.parse(text);
    let trust = this.#stateFile.trustOf(text, cached, this.#keys.stateKey);
    if (trust === "bad" && await this.#keys.replaced()) {
      trust = this.#stateFile.trustOf(text, cached, this.#keys.stateKey);
    }
    // Taken before the state is read on: taking records in counts them in `cached` itself.
    const size = cached?.size ?? 0;
    const base = { size, last: cached?.last ?? "" };
    const hint = cached?.checkpointRecord;
    // A MAC that does not verify: an earlier state's, left by an earlier release's writer, or none.
    const macBad = trust === "bad" && cached !== undefined
      ? new BadMacSearch(cached, this.#keys.stateKey)
      : undefined;
    const read = await this.#readState(text, cached, macBad);
    const { state, notes } = read;
    const trusted = cached !== undefined && read.matched && (trust === "own" || trust === "mac");
    // A failed batch's records this writer wrote itself, when the log ends with its last one.
    const own = trust === "own" && this.#stateFile.uncounted?.size === state.size &&
      this.#stateFile.uncounted.last === state.last;
    const mine = this.#stateFile.witnessRollback(state, notes, trust, this.#reads);
    const counted = Math.max(own ? state.size : trusted ? size : 0, mine);
    let vouched = true;
    // A writer killed between writing its batch and counting it left its intent:
    // built on this very state, it vouches for the records it named.
    const intent = state.size > counted && trusted ? this.#readIntent() : undefined;
    const logEnd = { size: state.size, last: state.last };
    if (state.size > counted && !(trusted && pendingVouch(intent, base, logEnd) === state.size)) {
      // A signed checkpoint among the records taken in vouches for those before it.
      const signed = await this.#checkpoints.vouch(read.lastCheckpoint ?? hint);
      // Past a count whose MAC verified, only an earlier release's intent of a large batch
      // leaves a point a kill can leave unnamed: records there may be a thoth's.
      const reason = !trusted
        ? untrustedReason(trust, cached !== undefined)
        : insideUnnamedBatch(intent, base, state.size)
        ? PAST_THE_COUNT
        : NO_INTENT;
      const tail = tailTakenIn(Math.max(counted, signed), state.size, reason);
      if (tail !== undefined) notes.push(tail);
      vouched = tail === undefined;
    }
    this.#pendingBase = trusted && vouched ? base : undefined;
    return { state, notes, macless: trust === "none" };
  }

  /** The intent in `audit/.pending` (see `pending_batch.ts`), when its MAC verifies. */
  #readIntent(): PendingBatch | undefined {
    let text: string;
    try {
      const file = openRegularFileSync(this.#paths.pending);
      try {
        // Never more than an intent takes: a huge file put there is not read whole.
        text = new TextDecoder().decode(readAt(file, 0, PENDING_FILE_BYTES));
      } finally {
        file.close();
      }
    } catch {
      return undefined;
    }
    return parsePendingBatch(this.#keys.pendingKey, text);
  }

  /**
   * {@linkcode load} before the tail is accounted for: `matched` says
   * the state file's count was found to go with the log (the records it
   * counts are there), `lastCheckpoint` where a rebuild found the last
   * checkpoint record. `macBad`: the state's MAC did not verify (what the
   * rebuild's reason says of it, found in its own pass: see
   * `earlier_state_read.ts`), and it is rebuilt from the log as a forged one is.
   */
  async #readState(
    text: string,
    cached: LogState | undefined,
    macBad: BadMacSearch | undefined,
  ): Promise<Loaded & { matched: boolean }> {
    let actual = -1;
    if (cached !== undefined && cached.segment !== null) {
      const at = `${this.#paths.dir}/${cached.segment}`;
      let segment = heldFileStat(this.#segments.openSegment(cached.segment), at);
      if (segment.nlink === 0) {
        // Removed while this writer ran: what is at its path now counts.
        this.#segments.dropSegment();
        segment = this.#segments.openSegment(cached.segment).statSync();
      }
      actual = segment.size;
      // A state this writer did not write last is checked against the log
      // before anything is chained onto it: a count forged (to 0, say) over
      // a log that holds records would restart or fork the chain.
      // Its Merkle frontier too: every later checkpoint is signed over the
      // tree it starts, so a forged one would make them all fail to verify.
      const mismatch = stateMismatch(cached) ??
        (actual >= cached.segmentBytes && !this.#stateFile.wroteLast(cached)
          ? this.#reads.lastRecordMismatch(cached) ?? this.#frontierMismatch(cached)
          : undefined);
      if (mismatch !== undefined || macBad !== undefined) {
        return {
          ...await this.#rebuild(
            await listSegments(this.#paths.dir),
            macBad?.reason(mismatch) ?? `the state file did not match the log: ${mismatch}`,
            readStateWitness(text),
          ),
          matched: false,
        };
      }
      if (actual === cached.segmentBytes && !nextSegmentWritten(this.#paths.dir, cached)) {
        return { state: cached, notes: [], matched: true };
      }
    }
    const segments = await listSegments(this.#paths.dir);
    const witness = readStateWitness(text);
    const unmatched = (loaded: Loaded) => ({ ...loaded, matched: false });
    const matched = (loaded: Loaded) => ({ ...loaded, matched: true });
    if (cached === undefined) {
      if (witness !== undefined && witness.size === 0 && segments.length === 0) {
        return { state: emptyLogState(), notes: [], matched: false };
      }
      if (witness === undefined && !(await logHoldsRecords(this.#paths.dir))) {
        // No count and no record beside this writer's keys: the log was gone when it
        // opened, or was removed while it ran. Never started again without a word
        // (a partial line left behind is cut first, as any torn tail).
        const gone: LogEvent = {
          type: "state_rebuilt",
          reason: LOG_GONE,
          size: 0,
          stateFile: this.#gone?.state ?? (text.trim() === "" ? "empty" : "damaged"),
          keysCreated: this.#gone?.keysCreated ?? (await firstKeyCreated(this.#paths)) ??
            "an unknown date",
        };
        if (segments.length === 0) return { state: emptyLogState(), notes: [gone], matched: false };
        return unmatched(await this.#rebuild(segments, LOG_GONE, undefined, gone));
      }
      const reason = this.#stateFile.overLimit !== undefined
        ? `the state file was ${this.#stateFile.overLimit} bytes, over the ${
          MAX_STATE_FILE_BYTES / 1024 / 1024
        } MiB a state file can hold, and was not read`
        : text.trim() === ""
        ? "the state file was missing"
        : "the state file was damaged";
      return unmatched(await this.#rebuild(segments, reason, witness));
    }
    if (macBad !== undefined) {
      const reason = macBad.reason();
      return unmatched(await this.#rebuild(segments, reason, witness));
    }
    if (cached.segment === null) {
      if (segments.length > 0) {
        return matched(await this.#rebuild(segments, "the state file was behind the log", witness));
      }
      return { state: cached, notes: [], matched: true };
    }
    if (segments[segments.length - 1] !== cached.segment) {
      return matched(
        await this.#rebuild(
          segments,
          "the state file names a segment that is not the last",
          witness,
        ),
      );
    }
    if (actual < cached.segmentBytes) {
      return matched(
        await this.#rebuild(segments, "the log was shorter than the state file", witness),
      );
    }
    return matched(await absorbTail(this.#paths.dir, cached, actual));
  }

  /**
   * What is wrong with the Merkle frontier of a state this writer did not
   * write last: it must be the one the log's records give. Checked from a
   * frontier known good, with only the records after it read: the one this
   * writer last wrote, when the state goes on from it in the same segment
   * (another writer's batch), else the one a checkpoint record carries
   * whose note a device key signed over the root it folds to, checked
   * before the lock was taken (see `verified_checkpoint.ts`; the common open:
   * the records since it are few). Only when neither serves
   * (a log an older thoth checkpointed, say) are the records read from the
   * start. `undefined` when it agrees.
   */
  #frontierMismatch(state: LogState): string | undefined {
    const end = { segment: state.segment!, offset: state.segmentBytes };
    const base = this.#stateFile.ownBase(state) ?? this.#checkpoints.start(state);
    const start = base ?? { size: 0, frontier: [], from: undefined };
    const tree = new MerkleFrontier(start.size, start.frontier.map((h) => fromHex(h)!));
    const read = this.#reads.appendSpan(tree, start.from, end);
    const from = base === undefined ? "the log's start" : base.what;
    if (read === undefined || tree.size !== state.size) {
      return `it counts ${state.size} records, but the log holds ${
        read === undefined ? "no whole records" : `${tree.size}`
      } up to where it ends (read from ${from})`;
    }
    if (!sameHashes(tree.hashes.map(toHex), state.frontier)) {
      return `its Merkle frontier of ${state.size} records is not the one the log's records give (read from ${from}), though its last record is`;
    }
    return undefined;
  }

  /**
   * Rebuilds the state from the segments and records why, with what the
   * state file said: when it counted more records than the log now holds,
   * the difference is evidence of records lost, and `verify` reports it.
   */
  async #rebuild(
    segments: string[],
    reason: string | ScanReason,
    witness: StateWitness | undefined,
    instead?: LogEvent,
  ): Promise<Loaded> {
    const dir = this.#paths.dir;
    // A log refused before and unchanged since is refused again without
    // reading it whole: a session retries its writes every few hundred ms.
    const fingerprint = await segmentsFingerprint(dir, segments);
    if (this.#broken?.fingerprint === fingerprint) throw this.#broken.error;
    const visit = typeof reason === "string" ? undefined : reason.visit;
    const { state, tree, torn, broken, lastCheckpoint } = await scanLogState(dir, segments, visit);
    // A gap or a repeated seq: the next record would repeat a seq the log
    // holds. Nothing is cut or written (fail closed; see `seq_break.ts`).
    if (broken) {
      const error = chainBrokenError(dir, broken, "no record was written", writerRemedy(dir));
      this.#broken = { fingerprint, error };
      throw error;
    }
    const notes: LogEvent[] = [];
    if (torn) notes.push(await cutTornTail(this.#paths.dir, torn));
    if (witness !== undefined && witness.size > state.size) {
      state.lost = { seq: state.size + notes.length, counted: witness.size, held: state.size };
    } else if (witness?.lost !== undefined) {
      state.lost = witness.lost;
    }
    notes.push(
      instead ?? {
        type: "state_rebuilt",
        reason: typeof reason === "string" ? reason : reason.text(tree),
        size: state.size,
        ...(witness === undefined ? {} : {
          stateSize: witness.size,
          stateLast: witness.last,
          stateCheckpointSize: witness.checkpointSize,
          ...(witness.frontier === undefined ? {} : { stateFrontier: witness.frontier }),
        }),
      },
    );
    return { state, notes, ...(lastCheckpoint === undefined ? {} : { lastCheckpoint }) };
  }
}
