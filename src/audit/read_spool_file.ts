/**
 * Reading a spool file another session left, bounded: a file over
 * {@linkcode SPOOL_FILE_MAX_BYTES} is never read, a line over
 * {@linkcode SPOOL_LINE_MAX_BYTES} stops the read, and the file is read a
 * chunk at a time, each line decoded on its own (never the file whole). Every
 * line must be one the session named by the file's name wrote (see
 * `spool_line.ts`); one that is not refuses the whole file: none of its
 * events is taken in, and the caller sets it aside. A torn last line (a kill
 * mid-write: its call was never forwarded) is left out, as before.
 *
 * @example
 * ```ts
 * const file = readSpoolFile(`${DecisionSpool.dir(thothHome)}/s-1a2b-1.jsonl`, spoolMac);
 * if (file.refused !== undefined) setAside(file.refused);
 * ```
 */
import { headerTime } from "./spool_header.ts";
import { checkSpoolLine, type SpooledEvent } from "./spool_line.ts";
import type { SpoolMac } from "./spool_mac.ts";
import { openRegularFileSync } from "../platform/open_regular_file.ts";

/**
 * The largest spool line read, MAC included: 64 MiB, the relay's default
 * cap on a client's line (`--max-line-bytes`). A gating record holds what one
 * client line gave it (a tool's name, the arguments' shape, the fields a
 * policy keeps in clear) and is far smaller than that line in practice (a
 * decision record is 1 to 10 KiB, an approval record under 2 KiB).
 */
export const SPOOL_LINE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The largest spool file read: 256 MiB. A session's own file holds the
 * gating records of one batch (10 ms of calls); the largest it writes is the
 * file it rewrites the records the log refused into, at most about
 * `HELD_MAX` (10,000) of them, 100 MiB at 10 KiB each; and it holds up to
 * four lines at the line cap.
 */
export const SPOOL_FILE_MAX_BYTES = 256 * 1024 * 1024;

/** The bounds a spool file is read within. */
export interface SpoolLimits {
  fileBytes: number;
  lineBytes: number;
}

/** The bounds of every read of a spool file (tests pass smaller ones). */
export const SPOOL_LIMITS: SpoolLimits = {
  fileBytes: SPOOL_FILE_MAX_BYTES,
  lineBytes: SPOOL_LINE_MAX_BYTES,
};

/** How much of a file is read at once. */
const CHUNK = 1 << 20;

/** A spool file's events, when it was opened, and why it is refused, if it is. */
export interface SpoolFile {
  /** Its events, in order; none when it is refused. */
  events: SpooledEvent[];
  /** Its header's `at`; undefined for a file without one (an earlier release's). */
  openedAt: number | undefined;
  /** Why none of its events is taken in; absent when they all are. */
  refused?: string;
}

/**
 * The session that wrote the spool file at `path` (`<session>-<n>.jsonl`,
 * claimed or not), or undefined when its name names none.
 *
 * @example
 * ```ts
 * spoolFileSession("/p/audit/spool/s-1a2b-3.jsonl.claimed-s-9"); // "s-1a2b"
 * ```
 */
export function spoolFileSession(path: string): string | undefined {
  const name = (path.split("/").pop() ?? path).replace(/\.claimed-[^/]*$/, "");
  return /^(.+)-\d+\.jsonl$/.exec(name)?.[1];
}

/**
 * The events of the spool file at `path` (see the module's doc), checked
 * under `mac`'s key of the session its name names.
 *
 * @example
 * ```ts
 * const { events, openedAt, refused } = readSpoolFile(path, spoolMac);
 * ```
 */
export function readSpoolFile(
  path: string,
  mac: SpoolMac,
  limits: SpoolLimits = SPOOL_LIMITS,
): SpoolFile {
  const session = spoolFileSession(path);
  let openedAt: number | undefined;
  if (session === undefined) {
    return { events: [], openedAt, refused: "its name names no session (<session>-<n>.jsonl)" };
  }
  const lineMac = mac.forSession(session);
  const budget = { bytes: limits.lineBytes };
  const events: SpooledEvent[] = [];
  const decoder = new TextDecoder();
  let problem: string | undefined;
  let refused: string | undefined;
  let number = 0;
  try {
    const over = forEachSpoolLine(path, limits, (line, whole) => {
      number++;
      if (line.length === 0) return true;
      if (line[0] === HASH) {
        // A header is a few dozen bytes: a longer line is none, and is not decoded.
        const at = line.length <= HEADER_MAX_BYTES ? headerTime(decoder.decode(line)) : undefined;
        if (at !== undefined) openedAt = Math.min(openedAt ?? at, at);
        else if (whole) problem = `line ${number} is neither a header nor an event`;
        return problem === undefined;
      }
      const result = checkSpoolLine(line, lineMac, budget);
      if (result.kind === "event") events.push(result.event);
      // A last line without its newline is torn: its call was never forwarded.
      else if (whole) problem = `line ${number}: ${result.why}`;
      return problem === undefined;
    });
    refused = over ?? problem;
  } catch (error) {
    refused = `it cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  return refused === undefined ? { events, openedAt } : { events: [], openedAt, refused };
}

/** `#`, which a header line starts with. */
const HASH = 0x23;

/** The longest header line (`#spool_opened <ms>`) read as one. */
const HEADER_MAX_BYTES = 64;

/**
 * Calls `each` with every line of the regular file at `path` (its bytes,
 * without the newline, valid during the call only) and whether it ended in a
 * newline, until `each` returns false. Returns why the file was not read to
 * its end when it is over `limits` (then `each` has not seen the line over
 * the cap, nor any line of a file over its cap); throws when it cannot be read.
 *
 * @example
 * ```ts
 * const over = forEachSpoolLine(path, SPOOL_LIMITS, (line) => lines.push(line.slice()) > 0);
 * ```
 */
export function forEachSpoolLine(
  path: string,
  limits: SpoolLimits,
  each: (line: Uint8Array, whole: boolean) => boolean,
): string | undefined {
  const file = openRegularFileSync(path);
  try {
    const size = file.statSync().size;
    if (size > limits.fileBytes) return overFile(size, limits);
    const chunk = new Uint8Array(Math.min(CHUNK, limits.fileBytes + 1));
    /** The start of a line that runs past the chunks read so far. */
    let parts: Uint8Array[] = [];
    let partBytes = 0;
    let total = 0;
    for (;;) {
      const n = file.readSync(chunk);
      if (n === null) break;
      total += n;
      // It grew while it was read: never read whole.
      if (total > limits.fileBytes) return overFile(total, limits);
      const data = chunk.subarray(0, n);
      let start = 0;
      for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
        let line: Uint8Array = data.subarray(start, end);
        start = end + 1;
        if (partBytes > 0) {
          line = joined([...parts, line], partBytes + line.length);
          parts = [];
          partBytes = 0;
        }
        if (line.length > limits.lineBytes) return overLine(line.length, limits);
        if (!each(line, true)) return undefined;
      }
      if (start < data.length) {
        parts.push(data.slice(start));
        partBytes += data.length - start;
        if (partBytes > limits.lineBytes) return overLine(partBytes, limits);
      }
    }
    if (partBytes > 0) each(joined(parts, partBytes), false);
    return undefined;
  } finally {
    file.close();
  }
}

const NEWLINE = 0x0a;

function joined(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function overFile(size: number, limits: SpoolLimits): string {
  return `it is ${size} bytes, over the ${mib(limits.fileBytes)} a spool file may hold`;
}

function overLine(size: number, limits: SpoolLimits): string {
  return `a line of it runs past ${size} bytes, over the ${
    mib(limits.lineBytes)
  } a spool line may hold`;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes} bytes`;
}
