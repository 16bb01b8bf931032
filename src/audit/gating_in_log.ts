/**
 * Which gating records (decisions, approvals) of some sessions, and which of
 * their spooled starts and ends, the log already holds: a session taking in
 * a killed session's spool file must not write again a record whose batch
 * reached the log before the kill (see {@linkcode gatingInLog}). Reads the
 * log's segments from their end back, a chunk at a time; moved out of
 * `decision_spool.ts`, which names it too.
 *
 * @example
 * ```ts
 * const { held, complete } = await gatingInLog(auditPaths(thothHome).dir, new Set(["s-dead"]), { since });
 * ```
 */
import { appendAll } from "./append_all.ts";
import { listSegments } from "./log_files.ts";
import { splitStamp, withoutStamp } from "./spool_stamp.ts";

/** How far {@linkcode gatingInLog} reads back. */
export interface ReadBackBounds {
  /**
   * The earliest time, in epoch milliseconds, a record of the sessions can
   * have reached the log (the earliest header `at` of their spool files,
   * less a margin for clock steps): reading stops at an older record.
   */
  since?: number;
  /** The most bytes read before giving up (files of an earlier release; a very busy log). */
  maxBytes?: number;
  /**
   * The records looked for (`decision_spool.ts`'s `spooledKey`, or a spool line's JSON
   * with its stamp, which is held as given): a line of another decision is
   * not parsed, and reading stops once every one is found.
   */
  wanted?: ReadonlySet<string>;
}

/** What {@linkcode gatingInLog} found. */
export interface GatingInLog {
  /** The keys (`decision_spool.ts`'s `spooledKey`) of the sessions' gating records the log holds. */
  held: Set<string>;
  /** False when reading stopped at `maxBytes`: older records were not looked at. */
  complete: boolean;
}

/** How much of a segment is read at once, from its end back. */
const READ_BACK_CHUNK = 1 << 20;

/** A record line's envelope, read from its start without parsing the rest. */
const ENVELOPE = /^\{"v":1,"seq":(\d{1,15}),"ts":"([^"]{1,40})"/;
/** A record's decision id as written (JSON-escaped), to test before parsing a line. */
const DECISION_ID = /"decisionId":"((?:[^"\\]|\\.)*)"/;

/**
 * The gating records (decisions, approvals) of `sessions` that the log in
 * `auditDir` already holds, and of their starts and ends those
 * `bounds.wanted` names (a session spools those too), each as `decision_spool.ts`'s `spooledKey` gives it: a killed
 * session's spool file may hold records that reached the log before the
 * kill (its batch was written, the file not yet removed), which the session
 * taking the file in must not write again.
 *
 * Reads the log from its end back, a chunk at a time, and stops at the
 * `session_start` of every one of `sessions` (a session's records all follow
 * its start), at a record older than `bounds.since` (its spool files were
 * opened after), or past `bounds.maxBytes` (then `complete` is false). Only
 * lines naming one of the sessions are parsed. Only whole lines whose `seq`
 * goes on one by one count: a writer cuts what follows a break, so what
 * follows one in a segment is no record of the log.
 *
 * @example
 * ```ts
 * const { held } = await gatingInLog(auditPaths(thothHome).dir, new Set(["s-dead"]), { since });
 * held.has(spooledKey(decisionEvent)); // true when it is in the log already
 * ```
 */
export async function gatingInLog(
  auditDir: string,
  sessions: ReadonlySet<string>,
  bounds: ReadBackBounds = {},
): Promise<GatingInLog> {
  const held = new Set<string>();
  const unstarted = new Set(sessions);
  const needles = [...sessions].map((session) => `"session":${JSON.stringify(session)}`);
  // The decision ids of the records looked for, as a record writes them (without quotes).
  const wanted = bounds.wanted;
  const ids = wanted === undefined ? undefined : new Set<string>();
  // A key as a spool line holds it ends in its stamp, which the log's record does not carry.
  const byRecord = new Map<string, string[]>();
  for (const key of wanted ?? []) {
    const id = DECISION_ID.exec(key)?.[1];
    if (id !== undefined) ids!.add(id);
    const bare = splitStamp(key)?.body ?? key;
    const keys = byRecord.get(bare);
    if (keys === undefined) byRecord.set(bare, [key]);
    else keys.push(key);
  }
  const allHeld = () => wanted !== undefined && [...wanted].every((key) => held.has(key));
  const segments = await listSegments(auditDir);
  let read = 0;
  for (let s = segments.length - 1; s >= 0 && unstarted.size > 0 && !allHeld(); s--) {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(`${auditDir}/${segments[s]!}`, { read: true });
    } catch (error) {
      // Rotated away meanwhile (a writer's new day): nothing of it to find.
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    // This segment's findings, kept once no break is found before them.
    let found: string[] = [];
    let started: string[] = [];
    let next: number | undefined;
    let old = false;
    try {
      let end = (await file.stat()).size;
      let rest = new Uint8Array(0);
      const decoder = new TextDecoder();
      while (end > 0 && !old) {
        const size = Math.min(READ_BACK_CHUNK, end);
        end -= size;
        const chunk = new Uint8Array(size + rest.length);
        await file.seek(end, Deno.SeekMode.Start);
        for (let at = 0; at < size;) {
          const n = await file.read(chunk.subarray(at, size));
          if (n === null) throw new Error(`${segments[s]} shrank while it was read`);
          at += n;
        }
        chunk.set(rest, size);
        read += size;
        // Whole lines only: what comes before the chunk's first newline waits for the next.
        const first = end === 0 ? -1 : chunk.indexOf(10);
        if (first < 0 && end > 0) {
          rest = chunk;
          continue;
        }
        rest = chunk.slice(0, first + 1);
        const lines = decoder.decode(chunk.subarray(first + 1)).split("\n");
        for (let i = lines.length - 1; i >= 0 && !old; i--) {
          const line = lines[i]!;
          // After the last newline: nothing, or at the segment's end a line the writer was
          // cut off in (it has no newline: the next writer cuts it, so it is no record).
          if (i === lines.length - 1) continue;
          const envelope = ENVELOPE.exec(line);
          const seq = envelope === null ? undefined : Number(envelope[1]);
          if (seq === undefined || (next !== undefined && seq !== next - 1)) {
            // A break: what follows it in this segment is no record of the log.
            found = [];
            started = [];
          }
          next = seq;
          if (seq === undefined) continue;
          const ts = Date.parse(envelope![2]!);
          if (bounds.since !== undefined && Number.isFinite(ts) && ts < bounds.since) {
            old = true;
            break;
          }
          if (!needles.some((needle) => line.includes(needle))) continue;
          if (
            ids !== undefined && line.indexOf('"type":"session_start"') === -1 &&
            line.indexOf('"type":"session_end"') === -1
          ) {
            const id = DECISION_ID.exec(line)?.[1];
            if (id === undefined || !ids.has(id)) continue;
          }
          let record: Record<string, unknown>;
          try {
            record = JSON.parse(line);
          } catch {
            found = [];
            started = [];
            next = undefined;
            continue;
          }
          const session = record["session"];
          if (typeof session !== "string" || !sessions.has(session)) continue;
          if (record["type"] === "session_start") started.push(session);
          // A start or end a session spooled (see `SessionAudit`) is looked for as its records are.
          if (
            record["type"] === "decision" || record["type"] === "approval" ||
            ((record["type"] === "session_start" || record["type"] === "session_end") &&
              wanted !== undefined)
          ) {
            const key = recordBody(record);
            if (wanted === undefined) found.push(key);
            else appendAll(found, byRecord.get(key) ?? []);
          }
        }
        if (bounds.maxBytes !== undefined && read >= bounds.maxBytes && !old && end > 0) {
          for (const key of found) held.add(key);
          return { held, complete: false };
        }
      }
    } finally {
      file.close();
    }
    for (const key of found) held.add(key);
    for (const session of started) unstarted.delete(session);
    if (old) break;
    if (bounds.maxBytes !== undefined && read >= bounds.maxBytes && s > 0 && unstarted.size > 0) {
      return { held, complete: false };
    }
  }
  return { held, complete: true };
}

/**
 * A stored record's event as `decision_spool.ts`'s `spooledKey` gives it: the log writes
 * a spooled event's JSON after its envelope (`v`, `seq`, `ts`, `prev`, and a
 * late record's `decidedAt`), less its spool stamp.
 */
function recordBody(record: Record<string, unknown>): string {
  // An earlier release that took in a stamped spool line wrote its stamp into the record.
  const { v: _v, seq: _seq, ts: _ts, prev: _prev, decidedAt: _decidedAt, ...event } = record;
  return JSON.stringify(withoutStamp(event));
}
