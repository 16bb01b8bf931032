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
 * session claims (see `spool_claims.ts`). Writing a file whole is
 * `write_spool_file.ts`'s; the files other sessions left, and the count of
 * those that wait, are `orphan_spools.ts`'s and `doctor_spool_count.ts`'s.
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
import type { SessionSpoolMac, SpoolChain, SpoolMac } from "./spool_mac.ts";
import {
  readSpoolFile as readSpoolFileChecked,
  type SpoolFile,
  spoolFileName,
} from "./read_spool_file.ts";
import { stampBody, withoutStamp } from "./spool_stamp.ts";
import { writeSpoolFile } from "./write_spool_file.ts";

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
