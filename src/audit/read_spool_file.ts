/**
 * Reading a spool file another session left, bounded: a file over
 * {@linkcode SPOOL_FILE_MAX_BYTES} is never read, a line over
 * {@linkcode SPOOL_LINE_MAX_BYTES} stops the read, and the file is read a
 * chunk at a time, each line decoded on its own (never the file whole). Its
 * header must be the one the session named by the file's name wrote for it
 * (see `spool_header.ts`), and every line one that session wrote, each after
 * the one before it in the file's chain (see `spool_mac.ts`,
 * `spool_line.ts`); a header or a line that is not, a line missing between
 * two, or lines in another order, refuse the whole file: none of its events
 * is taken in, and the caller sets it aside. A torn last line (a kill
 * mid-write: its call was never forwarded) is left out, as before. Whole
 * lines taken off the end of a file are not seen (see `spool_mac.ts`).
 *
 * @example
 * ```ts
 * const file = readSpoolFile(`${DecisionSpool.dir(thothHome)}/s-1a2b-1.jsonl`, spoolMac);
 * if (file.refused !== undefined) setAside(file.refused);
 * ```
 */
import { headerTime } from "./spool_header.ts";
import { checkSpoolLine, type SpooledEvent } from "./spool_line.ts";
import {
  type SessionSpoolMac,
  splitSignedLine,
  type SpoolChain,
  type SpoolMac,
} from "./spool_mac.ts";
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
  const name = spoolFileName(path);
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
  const file = spoolFileName(path);
  const budget = { bytes: limits.lineBytes };
  const events: SpooledEvent[] = [];
  let chain: SpoolChain | undefined;
  let problem: string | undefined;
  let refused: string | undefined;
  let number = 0;
  try {
    const over = forEachSpoolLine(path, limits, (line, whole) => {
      number++;
      if (line.length === 0) return true;
      if (chain === undefined && line[0] === HASH) {
        const header = checkHeader(line, lineMac, file);
        if (typeof header === "string") {
          // A torn header (a kill while the file was made) is its last line: nothing follows.
          if (whole) problem = `line ${number}${header}`;
        } else {
          chain = header.chain;
          openedAt = header.at;
        }
        return problem === undefined;
      }
      // A file made without a header (see `writeSpoolFile`) starts a chain of its own.
      chain ??= lineMac.undated(file);
      if (line[0] === HASH) {
        if (whole) problem = `line ${number} is neither a header nor an event`;
        return problem === undefined;
      }
      const result = checkSpoolLine(line, lineMac, chain, budget);
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

/**
 * The name a spool file at `path` was written under (a claim's suffix left
 * out): what its header's MAC binds it to.
 *
 * @example
 * ```ts
 * spoolFileName("/p/audit/spool/s-1a2b-3.jsonl.claimed-s-9"); // "s-1a2b-3.jsonl"
 * ```
 */
export function spoolFileName(path: string): string {
  return (path.split("/").pop() ?? path).replace(/\.claimed-[^/]*$/, "");
}

/**
 * The chain and time of a file's first line, `line`, when it is the header
 * `mac`'s session wrote for the file named `file`; what is wrong with it (to
 * follow "line 1"), when it is not.
 *
 * @example
 * ```ts
 * const header = checkHeader(firstLine, mac.forSession("s-1a2b"), "s-1a2b-1.jsonl");
 * ```
 */
export function checkHeader(
  line: Uint8Array,
  mac: SessionSpoolMac,
  file: string,
): { chain: SpoolChain; at: number } | string {
  // A header is under a hundred bytes: a longer line is none, and is not decoded.
  const signed = line.length <= HEADER_MAX_BYTES ? splitSignedLine(line) : undefined;
  const text = signed?.content ?? (line.length <= HEADER_MAX_BYTES ? line : undefined);
  const at = text === undefined ? undefined : headerTime(new TextDecoder().decode(text));
  if (at === undefined) return " is neither a header nor an event";
  if (signed === undefined) {
    return ": its header carries no MAC (a spool file of an earlier release, or not written by thoth)";
  }
  const chain = mac.headerChain(file, signed.content, signed.mac);
  if (chain === undefined) {
    return `: its header's MAC does not verify for ${JSON.stringify(file)} under the key of ` +
      `session ${mac.session} (a header changed, or taken from another file)`;
  }
  return { chain, at };
}

/** `#`, which a header line starts with. */
const HASH = 0x23;

/** The longest header line (`#spool_opened <ms>\t<MAC>`) read as one. */
const HEADER_MAX_BYTES = 128;

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
