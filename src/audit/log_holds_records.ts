/**
 * Whether the audit log under a folder holds any record: a segment with a
 * complete line (a line break) in it. An empty segment file or a partial
 * line, which a writer killed before its first record leaves, is no record.
 * Reads segments from their start until the first line break, so a real log
 * costs one read; opens only regular files (a FIFO in place of a segment is
 * refused, never waited on).
 *
 * @example
 * ```ts
 * if (await logHoldsRecords("/home/ana/.thoth/audit")) {
 *   // keys made now would sit beside records signed with others
 * }
 * ```
 */
import { listSegments } from "./log_files.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";

/** Whether any segment in `dir` holds a complete record (false when there is no folder). */
export async function logHoldsRecords(dir: string): Promise<boolean> {
  const chunk = new Uint8Array(64 * 1024);
  for (const name of await listSegments(dir)) {
    const file = await openRegularFile(`${dir}/${name}`);
    try {
      for (let n = await file.read(chunk); n !== null; n = await file.read(chunk)) {
        if (chunk.subarray(0, n).includes(10)) return true;
      }
    } finally {
      file.close();
    }
  }
  return false;
}
