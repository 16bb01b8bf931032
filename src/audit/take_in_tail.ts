/**
 * What the audit writer takes in past the state file's count: the complete
 * records another writer wrote without counting them (chained on from the
 * state, hashed into its frontier), a torn tail a crashed writer left (cut,
 * and recorded as `recovered_torn_tail`), and whether a writer began the
 * segment after the state's and died before it counted it.
 *
 * @example
 * ```ts
 * const { state, notes } = await absorbTail(paths.dir, cached, segmentSize);
 * // notes: [{ type: "recovered_torn_tail", segment, offset, bytesCut: 17, cutDigest }] when a line was torn
 * ```
 */
import { toHex } from "./encoding.ts";
import { leafHashSync } from "./merkle_hash.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import { segmentName } from "./log_paths.ts";
import { frontierBytes, type LogState } from "./log_state.ts";
import type { TornTail } from "./scan_log_state.ts";
import type { LogEvent } from "./record.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { listSegmentsSync, type RecordPlace } from "./segment_reads.ts";

/** The state a batch chains onto, the records it writes first, and where a rebuild found the last checkpoint record. */
export interface Loaded {
  state: LogState;
  notes: LogEvent[];
  lastCheckpoint?: RecordPlace;
}

/** Takes in complete records another writer wrote without updating the state; cuts a torn tail. */
export async function absorbTail(dir: string, state: LogState, actual: number): Promise<Loaded> {
  const segment = state.segment!;
  const path = `${dir}/${segment}`;
  const all = await readRegularFile(path);
  const extra = all.subarray(state.segmentBytes, actual);
  const tree = new MerkleFrontier(state.size, frontierBytes(state));
  let start = 0;
  /** Where the last checkpoint record taken in starts (see `AuditLog.#checkpointVouch`). */
  let lastCheckpoint: RecordPlace | undefined;
  for (let i = extra.indexOf(10); i >= 0; i = extra.indexOf(10, start)) {
    const line = extra.subarray(start, i);
    let record: { seq?: unknown; prev?: unknown; type?: unknown } | undefined;
    try {
      record = JSON.parse(new TextDecoder().decode(line));
    } catch {
      record = undefined;
    }
    if (record?.seq !== state.size || record?.prev !== state.last) break;
    if (record.type === "checkpoint") lastCheckpoint = { segment, offset: state.segmentBytes };
    const leaf = leafHashSync(line);
    await tree.append(leaf);
    state.size += 1;
    state.last = toHex(leaf);
    state.segmentBytes += line.length + 1;
    start = i + 1;
  }
  state.frontier = tree.hashes.map(toHex);
  const found = lastCheckpoint === undefined ? {} : { lastCheckpoint };
  if (state.segmentBytes === actual) return { state, notes: [], ...found };
  const torn = {
    segment,
    offset: state.segmentBytes,
    bytes: all.slice(state.segmentBytes, actual),
  };
  return { state, notes: [await cutTornTail(dir, torn)], ...found };
}

/** Cuts the torn tail `torn` off its segment in `dir`; the record that says so. */
export async function cutTornTail(dir: string, torn: TornTail): Promise<LogEvent> {
  await Deno.truncate(`${dir}/${torn.segment}`, torn.offset);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", torn.bytes));
  return {
    type: "recovered_torn_tail",
    segment: torn.segment,
    offset: torn.offset,
    bytesCut: torn.bytes.length,
    cutDigest: toHex(digest),
  };
}

/**
 * Whether a writer began the segment after the state's and died before it
 * wrote the state: a segment starting at the state's size holds bytes. Its
 * name carries the day of its first record, between the state's segment day
 * and today; those few names are looked at (a wider gap, or a clock behind
 * the state's day, lists the folder). Without this check the next writer would rotate
 * into the same file and append behind the dead writer's records.
 */
export function nextSegmentWritten(dir: string, state: LogState): boolean {
  // The wall clock, not the injected one: reading that would move a test's clock.
  const today = new Date().toISOString().slice(0, 10);
  const days: string[] = [];
  for (let day = state.segmentDay; day <= today && days.length <= 31; day = nextDay(day)) {
    days.push(day);
  }
  if (days.length === 0 || days.length > 31) {
    // No usable range of days: any segment after the state's counts.
    return listSegmentsSync(dir).some((name) => name > state.segment!);
  }
  return days.some((day) => {
    try {
      return Deno.statSync(`${dir}/${segmentName(state.size, day)}`).size > 0;
    } catch {
      return false;
    }
  });
}

/** The day after `day` (`YYYY-MM-DD`, UTC). */
function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return Number.isNaN(next.getTime()) ? "9999-12-31" : next.toISOString().slice(0, 10);
}
