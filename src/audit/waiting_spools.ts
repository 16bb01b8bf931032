/**
 * The spool files beside a device's log whose records are not in it yet,
 * for `thoth audit verify`: a killed session's decisions and approvals wait
 * there until a later session takes them in (see `decision_spool.ts`), so
 * the log alone does not hold every call made. Counted as `doctor` counts
 * them (`doctorSpoolCount` in `doctor_spool_count.ts`: a file younger than a
 * few seconds is a running session's, and set aside files are not counted),
 * with the records each holds (its lines that are records: not the header).
 * Thin, asynchronous I/O: only regular files are opened, each read in
 * pieces.
 *
 * @example
 * ```ts
 * const waiting = await waitingSpools(thothHome, Date.now());
 * waiting?.records; // 12
 * ```
 */
import { auditPaths } from "./log_paths.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";

/** Spool files whose records wait to be taken into the log. */
export interface WaitingSpools {
  /** How many files. */
  files: number;
  /** The records they hold (lines that are records). */
  records: number;
  /** The age of the oldest, in milliseconds (by mtime). */
  oldestMs: number;
}

/** How old a spool file must be to wait (a running session's lives milliseconds), as doctor counts. */
const WAITING_AFTER_MS = 5_000;

/** A spool file's name: a session's, or one a session claimed to take it in. */
const SPOOL_NAME = /\.jsonl(?:\.claimed-[^/]*)?$/;

/** The spool files under `thothHome` that wait, or null when none does (or there is no spool folder). */
export async function waitingSpools(
  thothHome: string,
  nowMs: number,
): Promise<WaitingSpools | null> {
  // The spool folder (`DecisionSpool.dir`).
  const dir = `${auditPaths(thothHome).dir}/spool`;
  let files = 0;
  let records = 0;
  let oldestMs = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !SPOOL_NAME.test(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      let age: number;
      try {
        age = Math.max(0, nowMs - ((await Deno.stat(path)).mtime?.getTime() ?? 0));
      } catch {
        continue;
      }
      if (age < WAITING_AFTER_MS) continue;
      files++;
      oldestMs = Math.max(oldestMs, age);
      records += await recordLines(path);
    }
  } catch {
    return null;
  }
  return files === 0 ? null : { files, records, oldestMs };
}

/** The lines of the file at `path` that start with `{` (records, not the header); 0 when unreadable. */
async function recordLines(path: string): Promise<number> {
  let file: Deno.FsFile;
  try {
    file = await openRegularFile(path);
  } catch {
    return 0;
  }
  let count = 0;
  let lineStart = true;
  const buffer = new Uint8Array(1024 * 1024);
  try {
    for (;;) {
      const n = await file.read(buffer);
      if (n === null || n === 0) break;
      for (let i = 0; i < n; i++) {
        const byte = buffer[i]!;
        if (lineStart && byte === 0x7b) count++;
        lineStart = byte === 0x0a;
      }
    }
  } catch {
    // What was read counts.
  } finally {
    file.close();
  }
  return count;
}
