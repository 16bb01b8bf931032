/**
 * The spool files other sessions left: the ones a session takes in once
 * their writer is gone ({@linkcode orphanSpools}), the ones a living session
 * holds one of given records in ({@linkcode spoolsHolding}), and the temp
 * files a killed rewrite left ({@linkcode removeStaleTemps}). Thin I/O over
 * the spool folder (see `decision_spool.ts`); each line read is checked
 * under its session's MAC (see `read_spool_file.ts`).
 *
 * @example
 * ```ts
 * const orphans = orphanSpools(thothHome, "s-1a2b", Date.now(), 60_000);
 * const holders = spoolsHolding(thothHome, "s-1a2b", new Set([decisionJson]), Date.now(), 60_000, mac);
 * removeStaleTemps(thothHome, Date.now(), 60_000); // 0
 * ```
 */
import { DecisionSpool } from "./decision_spool.ts";
import { filesWithMtimes } from "./files_with_mtimes.ts";
import type { SpoolChain, SpoolMac } from "./spool_mac.ts";
import {
  checkHeader,
  forEachSpoolLine,
  SPOOL_LIMITS,
  spoolFileName,
  spoolFileSession,
} from "./read_spool_file.ts";
import { chainedContent } from "./spool_line.ts";
import { CLAIMED, REFUSED } from "./spool_claims.ts";

/**
 * Spool files another session left behind: older than `minAgeMs` (a live
 * session chains its spool within milliseconds) and not this session's.
 * A file another session claimed (`<name>.jsonl.claimed-<session>`) counts
 * too once it is that old: a living holder keeps the ones it holds fresh,
 * so a stale one was claimed by a session that died before it took it in.
 */
export function orphanSpools(
  thothHome: string,
  session: string,
  nowMs: number,
  minAgeMs: number,
): string[] {
  const found: string[] = [];
  for (const { path, ageMs } of othersSpools(thothHome, session, nowMs)) {
    if (ageMs >= minAgeMs) found.push(path);
  }
  return found.sort();
}

/**
 * The spool files (claimed ones included) of sessions other than `session`,
 * each with its age by `nowMs`; a file taken in and removed while the folder
 * is read is left out. None when the folder cannot be read.
 */
function* othersSpools(
  thothHome: string,
  session: string,
  nowMs: number,
): Generator<{ path: string; ageMs: number }> {
  const spools = filesWithMtimes(
    DecisionSpool.dir(thothHome),
    (entry) => entry.isFile && othersSpool(entry.name, session),
  );
  for (const { path, mtimeMs } of spools) yield { path, ageMs: nowMs - (mtimeMs ?? 0) };
}

/** Whether `name` is a spool file (or a claimed one) that is not `session`'s. */
function othersSpool(name: string, session: string): boolean {
  const spooled = !REFUSED.test(name) && (name.endsWith(".jsonl") ||
    (CLAIMED.test(name) && name.replace(CLAIMED, "").endsWith(".jsonl")));
  return spooled && !name.startsWith(`${session}-`) && !name.endsWith(`.claimed-${session}`);
}

/**
 * The spool files of sessions other than `session`, younger than `freshMs`
 * (a living session holds them), that hold one of `bodies` (events' JSON)
 * in a line whose MAC verifies (`mac`) for the session the file is named
 * for, in the file's chain; a file over the spool's bounds (see `read_spool_file.ts`) holds none.
 * A session that claimed a stopped session's file, and whose log then
 * refused its records, rewrites them into a file of its own
 * (`SessionAudit`'s respool) and removes the claimed
 * copy: this finds them there, so that the stopped session, resumed, leaves
 * them to that session rather than record them too.
 *
 * @example
 * ```ts
 * const holders = spoolsHolding(thothHome, "s-1a2b", new Set([decisionJson]), Date.now(), 60_000, mac);
 * ```
 */
export function spoolsHolding(
  thothHome: string,
  session: string,
  bodies: ReadonlySet<string>,
  nowMs: number,
  freshMs: number,
  mac: SpoolMac,
): string[] {
  const found: string[] = [];
  const decoder = new TextDecoder();
  for (const { path, ageMs } of othersSpools(thothHome, session, nowMs)) {
    if (ageMs >= freshMs) continue;
    const writer = spoolFileSession(path);
    if (writer === undefined) continue;
    const lineMac = mac.forSession(writer);
    const name = spoolFileName(path);
    const budget = { bytes: SPOOL_LIMITS.lineBytes };
    let chain: SpoolChain | undefined;
    let holds = false;
    try {
      // Along the file's chain, up to its first line that is not in it (see `read_spool_file.ts`).
      forEachSpoolLine(path, SPOOL_LIMITS, (line) => {
        if (line.length === 0) return true;
        if (chain === undefined && line[0] === 0x23) {
          const header = checkHeader(line, lineMac, name);
          if (typeof header === "string") return false;
          chain = header.chain;
          return true;
        }
        chain ??= lineMac.undated(name);
        const content = chainedContent(line, lineMac, chain, budget);
        if (typeof content === "string") return false;
        holds = bodies.has(decoder.decode(content));
        return !holds;
      });
    } catch {
      // Taken in and removed meanwhile.
    }
    if (holds) found.push(path);
  }
  return found.sort();
}

/**
 * Removes the temp files (`<name>.jsonl.tmp`, see `writeSpoolFile` in
 * `write_spool_file.ts`) a killed session left half-written, once older than
 * `minAgeMs`; their records are still in the files they were to replace.
 * Returns how many went.
 */
export function removeStaleTemps(thothHome: string, nowMs: number, minAgeMs: number): number {
  const temps = filesWithMtimes(
    DecisionSpool.dir(thothHome),
    (entry) => entry.isFile && entry.name.endsWith(".jsonl.tmp"),
  );
  let removed = 0;
  for (const { path, mtimeMs } of temps) {
    if (nowMs - (mtimeMs ?? 0) < minAgeMs) continue;
    try {
      Deno.removeSync(path);
      removed++;
    } catch {
      // Renamed into place or removed meanwhile.
    }
  }
  return removed;
}
