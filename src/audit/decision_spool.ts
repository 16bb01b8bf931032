/**
 * The write-ahead spool for records that gate a call (decisions, approvals).
 * One small synchronous append per record puts it in the OS before the call
 * is forwarded; the session then moves the spooled records into the chained,
 * signed log in batches, off the call's path, and deletes each spool file
 * once its records are in the log. A spool file left behind by a killed
 * process is taken into the log by the next session (see
 * {@linkcode recoverSpools}), so a kill loses nothing.
 *
 * Files: `<thothHome>/audit/spool/<session>-<generation>.jsonl`, one JSON
 * event per line followed by a tab and its MAC, each chained to the one
 * before it (see `spool_mac.ts`: only a thoth holding the device's audit key
 * can write a line a recovering session takes in, and a line taken out of
 * the middle of a file, or lines reordered, refuse it; lines taken off its
 * end are not seen), 0600 in a 0700 folder. The first line is a header,
 * `#spool_opened <ms>\t<MAC>` (see `spool_header.ts`): when the file was opened (a
 * rewritten file: the earliest of the files whose records it holds), which
 * bounds how far back a recovering session reads the log (see
 * {@linkcode gatingInLog}); a file of an earlier release has no header, and
 * no MAC on its lines (a recovering session refuses it and sets it aside).
 * A file a recovering session refused is renamed `<name>.refused`, which no
 * session claims (see {@linkcode refusedName}).
 *
 * @example
 * ```ts
 * const spool = DecisionSpool.open(thothHome, "s-1a2b", Date.now, new SpoolMac(keys.hmacRaw));
 * spool.write(decisionEvent);            // in the OS now
 * await spool.sync();                    // on the disk (with --audit-sync always)
 * const batch = spool.rotate();          // later: the events to chain, and their file
 * ```
 */
import type { AuditEvent } from "./record.ts";
import { auditPaths } from "./log_paths.ts";
import { folderOf, syncFolder } from "../platform/durable_file.ts";
import type { SessionSpoolMac, SpoolChain, SpoolMac } from "./spool_mac.ts";
import {
  checkHeader,
  forEachSpoolLine,
  readSpoolFile as readSpoolFileChecked,
  SPOOL_LIMITS,
  type SpoolFile,
  spoolFileName,
  spoolFileSession,
} from "./read_spool_file.ts";
import { chainedContent } from "./spool_line.ts";
import { stampBody, withoutStamp } from "./spool_stamp.ts";

export { SPOOL_OPENED } from "./spool_header.ts";
// Read back from the log (see `gating_in_log.ts`), named here as they were before it moved.
export { type GatingInLog, gatingInLog, type ReadBackBounds } from "./gating_in_log.ts";
export type { SpoolFile } from "./read_spool_file.ts";

/** One closed spool file and how many records it holds. */
export interface SpoolBatch {
  path: string;
  /** When the file was opened, in epoch milliseconds (its header's `at`). */
  openedAt: number;
  /** Its inode (null when unknown): a file at its path with another one is no longer this one. */
  ino: number | null;
  /**
   * The records written to it. Their events are not kept here: the caller
   * has each one's JSON (the return of `write`), and a batch of objects held
   * for a few milliseconds is what a busy relay's garbage collector pays for.
   */
  count: number;
}

/** A session's spool. */
export class DecisionSpool {
  readonly #dir: string;
  readonly #session: string;
  #generation = 0;
  #file: Deno.FsFile | undefined;
  #path: string | undefined;
  #openedAt = 0;
  #ino: number | null = null;
  #count = 0;
  /** The bytes of the current file: where a failed write is cut back to. */
  #size = 0;
  /** Where the current file's chain stands: after its last line written whole. */
  #chain: SpoolChain | undefined;
  readonly #now: () => number;
  /** The MAC of this session's lines; none until {@linkcode DecisionSpool.useMac}. */
  #mac: SessionSpoolMac | undefined;

  private constructor(dir: string, session: string, now: () => number) {
    this.#dir = dir;
    this.#session = session;
    this.#now = now;
  }

  /** The spool folder of a profile. */
  static dir(thothHome: string): string {
    return `${auditPaths(thothHome).dir}/spool`;
  }

  /**
   * Opens the session's spool (creating the folder); throws when it cannot be
   * written. `now` (epoch milliseconds) dates each file's header; `mac` signs
   * each line (given later with {@linkcode DecisionSpool.useMac}: nothing is
   * written before).
   */
  static open(
    thothHome: string,
    session: string,
    now: () => number = Date.now,
    mac?: SpoolMac,
  ): DecisionSpool {
    const dir = DecisionSpool.dir(thothHome);
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const spool = new DecisionSpool(dir, session, now);
    if (mac !== undefined) spool.useMac(mac);
    return spool;
  }

  /** Signs this session's lines with `mac` from now on (see `spool_mac.ts`). */
  useMac(mac: SpoolMac): void {
    this.#mac = mac.forSession(this.#session);
  }

  /** Records waiting to be chained. */
  get pending(): number {
    return this.#count;
  }

  /**
   * Appends one event to the spool file; returns once the OS has it, with the
   * event's JSON, stamped with the time it was spooled (see `spool_stamp.ts`:
   * the log takes the stamp off, and reuses the rest). Throws on failure, after cutting
   * off what part of the line was written (the next line then starts clean),
   * and before writing anything while the spool has no MAC key.
   */
  write(event: AuditEvent): string {
    const mac = this.#mac;
    if (mac === undefined) throw new Error("the audit spool has no key to sign its records with");
    if (this.#file === undefined) {
      const path = `${this.#dir}/${this.#session}-${++this.#generation}.jsonl`;
      const file = this.#inFolder(() =>
        Deno.openSync(path, { append: true, create: true, mode: 0o600 })
      );
      const openedAt = this.#now();
      const start = mac.header(spoolFileName(path), openedAt);
      try {
        const stat = file.statSync();
        this.#size = stat.size;
        this.#ino = stat.ino;
        if (this.#size === 0) {
          // The header first: a file without its whole header is no file of this session's.
          let header = new TextEncoder().encode(`${start.line}\n`);
          const length = header.length;
          while (header.length > 0) header = header.subarray(file.writeSync(header));
          this.#size = length;
        }
      } catch (error) {
        file.close();
        try {
          Deno.removeSync(path);
        } catch {
          // Never made, or left: readSpool skips a torn header.
        }
        throw error;
      }
      this.#openedAt = openedAt;
      this.#path = path;
      this.#file = file;
      this.#chain = start.chain;
    }
    // Stamped with the time it is spooled, which is when it was decided (see spool_stamp.ts).
    const body = stampBody(JSON.stringify(event), this.#now());
    const chain = this.#chain!;
    // One HMAC over the chain's link and the event's bytes, then the tab, the MAC and the newline.
    let bytes = mac.sign(chain, body);
    const length = bytes.length;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(this.#file.writeSync(bytes));
    } catch (error) {
      if (bytes.length < length) this.#cut();
      throw error;
    }
    // Written whole: the next line follows this one (a line cut back, or torn, never is).
    chain.advance();
    this.#size += length;
    this.#count++;
    return body;
  }

  /**
   * Cuts the current file back to its last whole line. When even that fails,
   * the torn part stays, and `readSpool` finds the line written after it.
   */
  #cut(): void {
    try {
      this.#file?.truncateSync(this.#size);
    } catch {
      // See readSpool.
    }
  }

  /**
   * Flushes everything written so far to the disk. Several callers waiting
   * at once share one flush (group commit): see `SessionAudit`.
   */
  async sync(): Promise<void> {
    await this.#file?.syncData();
  }

  /** Closes the current file and names it; the next write starts a new file. */
  rotate(): SpoolBatch | undefined {
    if (this.#file === undefined || this.#path === undefined) return undefined;
    this.#file.close();
    const batch = {
      path: this.#path,
      openedAt: this.#openedAt,
      ino: this.#ino,
      count: this.#count,
    };
    this.#file = undefined;
    this.#path = undefined;
    this.#chain = undefined;
    this.#count = 0;
    return batch;
  }

  /**
   * Writes `bodies` (events' JSON) as one new file of this session's spool,
   * whole or not at all (see {@linkcode writeSpoolFile}), and returns its
   * path. The file is closed: it holds records a session keeps for the log
   * after a batch failed, in place of the files they came from; `openedAt` is
   * the earliest header `at` of those files (none when one of them had none).
   */
  writeFile(bodies: readonly string[], openedAt?: number): string {
    const mac = this.#mac;
    if (mac === undefined) throw new Error("the audit spool has no key to sign its records with");
    const path = `${this.#dir}/${this.#session}-${++this.#generation}.jsonl`;
    this.#inFolder(() => writeSpoolFile(path, { mac, bodies }, openedAt));
    return path;
  }

  /**
   * Runs `task`, which makes a file in the spool folder; when the folder is
   * gone (the audit folder was moved away, as the README's remedy for a
   * damaged log says, while this session ran), makes it again as `open`
   * does and runs `task` once more: the session's writer goes on at the new
   * paths too, so its records are not lost with the old folder.
   */
  #inFolder<T>(task: () => T): T {
    try {
      return task();
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      Deno.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      return task();
    }
  }

  /** Closes the open file, if any (its events stay on disk for recovery). */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
    this.#chain = undefined;
  }
}

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

/**
 * Whether `path` is still the file a session holds: there, and the same
 * inode (`ino`; null or undefined: any file there counts).
 */
export function stillAt(path: string, ino: number | null | undefined): boolean {
  try {
    const stat = Deno.statSync(path);
    return ino === null || ino === undefined || stat.ino === null || stat.ino === ino;
  } catch {
    return false;
  }
}

/**
 * The files another session claimed `path` under (`<name>.claimed-<session>`,
 * see {@linkcode claimedName}), but not `except`, each with its mtime in
 * epoch milliseconds.
 */
export function claimedCopies(
  path: string,
  except?: string,
): { path: string; modified: number }[] {
  const base = path.replace(CLAIMED, "");
  const dir = folderOf(base);
  const prefix = `${base.slice(dir.length + 1)}.claimed-`;
  const found: { path: string; modified: number }[] = [];
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(dir);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.name.startsWith(prefix)) continue;
    const copy = `${dir}/${entry.name}`;
    if (copy === except) continue;
    try {
      found.push({ path: copy, modified: Deno.statSync(copy).mtime?.getTime() ?? 0 });
    } catch {
      // Taken in and removed meanwhile.
    }
  }
  return found;
}

/** Spool files of other sessions that wait to be taken in (see {@linkcode spoolWaiting}). */
export interface SpoolWaiting {
  /** How many files. */
  files: number;
  /** The age of the oldest, in milliseconds (by mtime). */
  oldestMs: number;
  /** How many of them are old enough for a session to take in now (see `orphanAfterMs`). */
  due: number;
}

/**
 * The spool files in a profile (each a session's decisions and approvals
 * not yet in the chained log), or null when there are none. A running
 * session's file is younger than a few milliseconds unless the log is
 * failing; one older than `orphanAfterMs` was left by a session that is
 * gone (or stopped), and the next session to start, or a running one within
 * a minute, takes it in. `doctor` and `health` report these.
 *
 * @example
 * ```ts
 * const waiting = spoolWaiting(thothHome, Date.now(), 60_000);
 * if (waiting !== null) console.log(`${waiting.files} spool file(s) wait`);
 * ```
 */
export function spoolWaiting(
  thothHome: string,
  nowMs: number,
  orphanAfterMs: number,
): SpoolWaiting | null {
  const dir = DecisionSpool.dir(thothHome);
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(dir);
  } catch {
    return null;
  }
  let files = 0;
  let oldestMs = 0;
  let due = 0;
  for (const entry of entries) {
    const name = entry.name;
    if (!entry.isFile || REFUSED.test(name) || !(name.endsWith(".jsonl") || CLAIMED.test(name))) {
      continue;
    }
    let modified: number;
    try {
      modified = Deno.statSync(`${dir}/${name}`).mtime?.getTime() ?? 0;
    } catch {
      continue;
    }
    const age = Math.max(0, nowMs - modified);
    // A file of a running session is younger than a batch: not waiting.
    if (age < WAITING_AFTER_MS) continue;
    files++;
    oldestMs = Math.max(oldestMs, age);
    if (age >= orphanAfterMs) due++;
  }
  return files === 0 ? null : { files, oldestMs, due };
}

/** How old a spool file must be to count as waiting (a running session's lives milliseconds). */
const WAITING_AFTER_MS = 5_000;

/** What a session's claim adds to a spool file's name (see {@linkcode claimedName}). */
const CLAIMED = /\.claimed-[^/]*$/;

/** How the name of a spool file a session refused ends (see {@linkcode refusedName}). */
const REFUSED = /\.refused(?:-\d+)?$/;

/**
 * The name a spool file a recovering session refused is set aside under, in
 * the spool folder: `<name>.refused` (then `.refused-2`, … while that one is
 * taken), after its name before any claim, which no session claims, takes in
 * or counts as waiting.
 *
 * @example
 * ```ts
 * refusedName("/p/audit/spool/s-1-2.jsonl.claimed-s-3", () => false); // "/p/audit/spool/s-1-2.jsonl.refused"
 * ```
 */
export function refusedName(path: string, taken: (path: string) => boolean): string {
  const base = `${path.replace(CLAIMED, "")}.refused`;
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * The name `session` claims a spool file under (by renaming it, so that
 * only one session takes it in): a file claimed before by a session that
 * died is claimed under its first name.
 *
 * @example
 * ```ts
 * claimedName("/p/audit/spool/s-1-2.jsonl.claimed-s-3", "s-4"); // "/p/audit/spool/s-1-2.jsonl.claimed-s-4"
 * ```
 */
export function claimedName(path: string, session: string): string {
  return `${path.replace(CLAIMED, "")}.claimed-${session}`;
}

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
  const dir = DecisionSpool.dir(thothHome);
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isFile || !othersSpool(entry.name, session)) continue;
    const path = `${dir}/${entry.name}`;
    let modified: number;
    try {
      modified = Deno.statSync(path).mtime?.getTime() ?? 0;
    } catch {
      continue; // Taken by another session meanwhile.
    }
    yield { path, ageMs: nowMs - modified };
  }
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
 * Removes the temp files (`<name>.jsonl.tmp`, see {@linkcode writeSpoolFile})
 * a killed session left half-written, once older than `minAgeMs`; their
 * records are still in the files they were to replace. Returns how many went.
 */
export function removeStaleTemps(thothHome: string, nowMs: number, minAgeMs: number): number {
  const dir = DecisionSpool.dir(thothHome);
  let entries: Iterable<Deno.DirEntry>;
  try {
    entries = Deno.readDirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile || !entry.name.endsWith(".jsonl.tmp")) continue;
    const path = `${dir}/${entry.name}`;
    try {
      const modified = Deno.statSync(path).mtime?.getTime() ?? 0;
      if (nowMs - modified < minAgeMs) continue;
      Deno.removeSync(path);
      removed++;
    } catch {
      // Renamed into place or removed meanwhile.
    }
  }
  return removed;
}

/**
 * A spooled event as the log stores it, less the envelope: the same JSON,
 * without its spool stamp (see `recordBody`, `spool_stamp.ts`).
 */
export function spooledKey(event: AuditEvent): string {
  return JSON.stringify(withoutStamp(event));
}

/**
 * The events of a spool file (its header left out) that every line of it
 * holds, each verified under `mac` (see `read_spool_file.ts`); none when the
 * file is refused. A torn last line (a kill) is left out, and a whole line
 * written after a torn part, on the same line, is kept.
 *
 * @example
 * ```ts
 * const events = readSpool(`${DecisionSpool.dir(thothHome)}/s-1a2b-1.jsonl`, spoolMac);
 * ```
 */
export function readSpool(path: string, mac: SpoolMac): AuditEvent[] {
  return readSpoolFile(path, mac).events;
}

/**
 * A spool file's events (as {@linkcode readSpool}) with its header's `at`, and
 * why it is refused when it is.
 *
 * @example
 * ```ts
 * const { events, openedAt, refused } = readSpoolFile(`${DecisionSpool.dir(thothHome)}/s-1a2b-1.jsonl`, spoolMac);
 * ```
 */
export function readSpoolFile(path: string, mac: SpoolMac): SpoolFile {
  return readSpoolFileChecked(path, mac);
}
