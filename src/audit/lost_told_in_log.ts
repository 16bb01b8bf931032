/**
 * How many lost decisions and approvals the log's `decisions_lost` records
 * tell of, by session: what a session's lost tally (see `lost_tally.ts`)
 * counts beyond that is untold. Reads the log's segments from the newest
 * back, one at a time, and stops after the segment that holds the
 * `session_start` of every one of the sessions (their `decisions_lost`
 * records all follow it). Only lines that name a `decisions_lost` record or
 * a session's start are parsed; a `decisions_lost` record written from a
 * tally whose MAC did not verify tells of nothing. Thin I/O.
 *
 * @example
 * ```ts
 * const told = await toldInLog(auditPaths(thothHome).dir, new Set(["s-1a2b"]));
 * told.get("s-1a2b"); // 3, or undefined when no record tells of its losses
 * ```
 */
import { listSegments } from "./log_files.ts";
import { fromUnverifiedTally } from "./lost_tally_record.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** What marks a `decisions_lost` record in a segment's bytes, as the log writes it. */
const LOST = '"type":"decisions_lost"';
/** What marks a session's start. */
const START = '"type":"session_start"';

/** The counts the log's `decisions_lost` records in `dir` tell, by session, for `sessions`. */
export async function toldInLog(
  dir: string,
  sessions: ReadonlySet<string>,
): Promise<Map<string, number>> {
  const told = new Map<string, number>();
  const unstarted = new Set(sessions);
  const decoder = new TextDecoder();
  const segments = await listSegments(dir);
  for (let s = segments.length - 1; s >= 0 && unstarted.size > 0; s--) {
    let text: string;
    try {
      text = decoder.decode(await readRegularFile(`${dir}/${segments[s]}`));
    } catch {
      continue; // Rotated away meanwhile; verify itself reports a segment it cannot read.
    }
    const started: string[] = [];
    for (const needle of [LOST, START]) {
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        const end = text.indexOf("\n", at);
        if (end < 0) break; // A line cut off at the end is no record.
        const record = parsed(text.slice(text.lastIndexOf("\n", at) + 1, end));
        at = end;
        const session = record?.["session"];
        if (typeof session !== "string" || !sessions.has(session)) continue;
        if (record!["type"] === "session_start") {
          started.push(session);
          continue;
        }
        // One written from a tally whose MAC did not verify tells of nothing.
        if (fromUnverifiedTally(record!)) continue;
        const count = record!["type"] === "decisions_lost" ? record!["count"] : undefined;
        if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) continue;
        told.set(session, (told.get(session) ?? 0) + count);
      }
    }
    for (const session of started) unstarted.delete(session);
  }
  return told;
}

/** The JSON object a line holds; undefined when it holds none. */
function parsed(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}
