/**
 * Writes one spool file whole ({@linkcode writeSpoolFile}): the records a
 * session keeps for the log after a batch failed, in place of the files they
 * came from, each line chained and signed for the session the file is named
 * for, as a session's own writes are (see `decision_spool.ts`,
 * `spool_mac.ts`). Thin I/O: a temp file, flushed, renamed into place, and
 * the folder synced.
 *
 * @example
 * ```ts
 * const mac = new SpoolMac(keys.hmacRaw).forSession("s-1a2b");
 * writeSpoolFile(`${DecisionSpool.dir(thothHome)}/s-1a2b-3.jsonl`, { mac, bodies: [body] }, openedAt);
 * ```
 */
import { folderOf, syncFolder } from "../platform/durable_file.ts";
import type { SessionSpoolMac } from "./spool_mac.ts";
import { spoolFileName } from "./read_spool_file.ts";

/** The events' JSON a spool file is written with, and the MAC of the session it is named for. */
export interface SpoolBodies {
  mac: SessionSpoolMac;
  bodies: readonly string[];
}

/**
 * Writes a spool file whole, one of `lines.bodies` (events' JSON) a line,
 * each chained and signed for the session the file is named for (see
 * `spool_mac.ts`; `lines.mac` is that session's) as a session's own writes
 * are: into a temp file (which no session takes for a spool), flushed to the
 * disk, then renamed into place, so a kill leaves either no file or all of it. Throws when it
 * cannot, leaving nothing behind. With `openedAt`, the file starts with the
 * header that dates its records (the earliest `at` of the files they came
 * from); without, it has none, as a file of an earlier release.
 *
 * The folder is synced after the rename (`syncName`, a test's seam): callers
 * remove the files it replaces next, and a power loss must not keep those
 * removals while losing the new name.
 *
 * @example
 * ```ts
 * const mac = new SpoolMac(keys.hmacRaw).forSession("s-1a2b");
 * writeSpoolFile(`${DecisionSpool.dir(thothHome)}/s-1a2b-3.jsonl`, { mac, bodies: [JSON.stringify(decisionEvent)] }, openedAt);
 * ```
 */
export function writeSpoolFile(
  path: string,
  lines: SpoolBodies,
  openedAt?: number,
  syncName: (folder: string) => void = syncFolder,
): void {
  const temp = `${path}.tmp`;
  const { mac, bodies } = lines;
  const name = spoolFileName(path);
  const start = openedAt === undefined ? undefined : mac.header(name, openedAt);
  const chain = start?.chain ?? mac.undated(name);
  const text = (start === undefined ? [] : [start.line])
    .concat(bodies.map((body) => mac.line(chain, body)));
  try {
    const file = Deno.openSync(temp, { write: true, create: true, truncate: true, mode: 0o600 });
    try {
      let bytes = new TextEncoder().encode(text.map((line) => `${line}\n`).join(""));
      while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
      file.syncDataSync();
    } finally {
      file.close();
    }
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch {
      // Never made.
    }
    throw error;
  }
  syncName(folderOf(path));
}
