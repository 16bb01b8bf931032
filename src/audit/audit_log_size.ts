/**
 * How much room the audit log takes: the sizes of its segment files, from a
 * stat of each (never their contents), their count, and the UTC day the
 * oldest one was opened, from its name. The log is append-only and no
 * segment is ever removed, so this only grows. Thin I/O.
 *
 * @example
 * ```ts
 * const size = await auditLogSize("/home/ana/.thoth/audit");
 * size?.bytes; // 3_481_912
 * size?.segments; // 2
 * size?.oldestDay; // "2026-03-01"
 * ```
 */
import { listSegments } from "./log_files.ts";
import { SEGMENT_PATTERN } from "./log_paths.ts";

/** The audit log's segment files, by size. */
export interface AuditLogSize {
  /** The sum of the segment files' sizes, in bytes. */
  readonly bytes: number;
  /** How many segment files there are. */
  readonly segments: number;
  /** The UTC day (YYYY-MM-DD) the oldest segment was opened, from its name; null when none. */
  readonly oldestDay: string | null;
}

/** How many segments are looked at together (a stat each). */
const STAT_BATCH = 64;

/**
 * The size of the segments in the audit folder `dir`: none when the folder
 * does not exist (no log yet). Null when it cannot be told: the folder is a
 * symbolic link (not followed) or no folder, or a stat fails.
 */
export async function auditLogSize(dir: string): Promise<AuditLogSize | null> {
  try {
    const info = await Deno.lstat(dir);
    if (info.isSymlink || !info.isDirectory) return null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { bytes: 0, segments: 0, oldestDay: null };
    return null;
  }
  try {
    // Regular files only: listSegments leaves out links and folders.
    const names = await listSegments(dir);
    let bytes = 0;
    let segments = 0;
    for (let at = 0; at < names.length; at += STAT_BATCH) {
      const infos = await Promise.all(
        names.slice(at, at + STAT_BATCH).map((name) => Deno.lstat(`${dir}/${name}`)),
      );
      for (const info of infos) {
        if (!info.isFile) continue;
        bytes += info.size;
        segments++;
      }
    }
    const day = names[0] === undefined ? undefined : SEGMENT_PATTERN.exec(names[0])?.[2];
    return { bytes, segments, oldestDay: day !== undefined && realDay(day) ? day : null };
  } catch {
    return null;
  }
}

/** Whether `day` (YYYY-MM-DD) is a day of the calendar: a name such as "2026-02-30" is not. */
function realDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === day;
}
