/**
 * Adjacent strings of one array read joined, for a token split across
 * elements (`["ghp_ZRwY…", "6e5B…"]`, or its hex or base64 in pieces). Only
 * pieces of a token's alphabet are joined ({@linkcode tokenFragment}: no
 * spaces, `:` or `@`, so words, URLs and e-mail addresses stay apart), only
 * runs of 2 or more of them with {@linkcode MIN_JOINED_CHARS} characters in
 * all, and only by the secret detectors that judge the text alone: the text
 * is read with no key (the array's key judged each element already), and a
 * detector that reads a URL's or a header's parts is left out. A finding
 * counts only when its match crosses from one element into the next: it is
 * narrowed to the fewest adjacent elements that still hold it, and one
 * element alone was judged on its own. Pure.
 *
 * @example
 * ```ts
 * joinedRuns(["ghp_ZRwYhCxzScmYCnVo", "6e5BZSV4M3x0dI4N4KDQ"]); // [{ start: 0, end: 2 }]
 * joinedRuns(["I", "have", "2", "cats"]); // undefined (too short)
 * joinedRuns(["http://localhost:8080", "admin@example.com"]); // undefined (no token's pieces)
 * ```
 */
import type { DetectorSpec } from "./detector_spec.ts";
import { detectionText } from "./detection_text.ts";
import { base64Reading, MAX_BASE64_RUNS, MAX_STRETCH_RUNS } from "./encoded_readings.ts";
import { leftEscaped, percentDecoded } from "./percent_decoded.ts";
import { holdsUnicodeMark, leftUnicodeEscaped, unicodeEscapesDecoded } from "./unicode_escapes.ts";
import { keptAcross, WORD_PIECES } from "./kept_across_pieces.ts";
import { MIN_JOINED_CHARS, readGlued, tokenStarts } from "./glued_windows.ts";

/**
 * Detectors that never read joined text: they read a URL's, a header's or a
 * key's parts, which strings joined make up (`["http://localhost:8080",
 * "admin@example.com"]`); a key's lines as an array's elements are read
 * apart, joined by line breaks.
 */
const NOT_JOINED = new Set(["url_credentials", "http_authorization", "private_key"]);

/** Each ASCII character a piece of a token may hold: letters, digits and `_ - + / = . % \`. */
const FRAGMENT = (() => {
  const table = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) table[c] = 1;
  for (let c = 65; c <= 90; c++) table[c] = table[c + 32] = 1;
  for (const c of "_-+/=.%\\") table[c.charCodeAt(0)] = 1;
  return table;
})();

/**
 * Whether `piece` may be part of a token split across strings: not empty,
 * and only letters, digits and the characters of base64, of percent and
 * `\u` escapes and of a `NAME=` before a value (`_ - + / = . % \`).
 */
export function tokenFragment(piece: string): boolean {
  if (piece.length === 0) return false;
  for (let i = 0; i < piece.length; i++) {
    const code = piece.charCodeAt(i);
    if (code >= 128 || FRAGMENT[code] === 0) return false;
  }
  return true;
}

/** Adjacent strings `items[start, end)` to read joined. */
export interface JoinedRun {
  start: number;
  end: number;
}

/**
 * The runs of 2 or more adjacent strings of `items` that are a token's
 * pieces, {@linkcode MIN_JOINED_CHARS} characters or more in all; `undefined`
 * when there is none (most arrays: their strings' lengths are added up
 * before any is looked at).
 */
export function joinedRuns(items: readonly unknown[]): JoinedRun[] | undefined {
  let runs: JoinedRun[] | undefined;
  for (let i = 0; i < items.length;) {
    let end = i;
    let length = 0;
    while (end < items.length && typeof items[end] === "string") {
      length += (items[end++] as string).length;
    }
    if (end - i >= 2 && length >= MIN_JOINED_CHARS) {
      let start = i;
      let chars = 0;
      for (let k = i; k <= end; k++) {
        const piece = k < end ? items[k] as string : "";
        const fragment = tokenFragment(piece);
        if (fragment) chars += piece.length;
        // A run ends before a piece that is no token's, or with a word that is one of its own.
        if (fragment && !WORD_PIECES.has(piece)) continue;
        const stop = fragment ? k + 1 : k;
        if (stop - start >= 2 && chars >= MIN_JOINED_CHARS) {
          (runs ??= []).push({ start, end: stop });
        }
        // A word starts the next run too: a key id split after its prefix (`keptAcross`).
        start = fragment ? k : k + 1;
        chars = fragment ? piece.length : 0;
      }
    }
    i = end === i ? i + 1 : end;
  }
  return runs;
}

/** The secret detectors of `specs` that read strings joined. */
export function joinedSpecs(specs: readonly DetectorSpec[]): DetectorSpec[] {
  return specs.filter((d) => d.kind === "secret" && !NOT_JOINED.has(d.type));
}

/** A detector's finding in strings read joined: its type and the elements of the run it needs. */
export interface JoinedFinding {
  type: string;
  /** The first and last of the run's pieces the match needs (first < last). */
  first: number;
  last: number;
}

/** What {@linkcode readJoined} found, how much of its budgets it used, and whether it was cut short. */
export interface JoinedReading {
  findings: JoinedFinding[];
  /** Characters of the pieces read. */
  read: number;
  /** Characters of their decoded readings read. */
  decoded: number;
  capped: boolean;
}

/** How many characters of strings joined, and of their decoded readings, are left to read. */
export interface JoinedRoom {
  read: number;
  decoded: number;
}

/**
 * Runs `specs` on `pieces` joined, with no key, and on its readings: with
 * its `\uXXXX` and percent escapes decoded (one reading when it holds both),
 * and the runs of base64 or hex that cross from one piece into the next
 * decoded (and what they decode to, as a string's are, `levels` levels of
 * base64 deep at most); runs inside one piece are neither read nor counted.
 * The joined text costs `room.read` its length, and each decoded reading
 * (a run: its length), and each window a token glued to the pieces around
 * it is read in ({@linkcode readGlued}), costs `room.decoded` as much, as a
 * string's readings cost the scan's budgets; a reading or window that does
 * not fit, or encoded text left unread, sets `capped`. Each finding is narrowed to the fewest pieces
 * that still hold it, and kept only when that is 2 or more that
 * {@linkcode keptAcross} keeps (a match in short codes is looked for again
 * before its last piece, {@linkcode MAX_NARROWINGS} times at most).
 */
export function readJoined(
  pieces: readonly string[],
  specs: readonly DetectorSpec[],
  room: JoinedRoom,
  levels: number,
): JoinedReading {
  const whole = typesIn(pieces, specs, room, levels);
  const findings: JoinedFinding[] = [];
  for (const type of whole.types) {
    const spec = specs.filter((d) => d.type === type);
    const holds = (first: number, last: number) =>
      typesIn(pieces.slice(first, last + 1), spec, UNBOUNDED, levels).types.size > 0;
    // A match in short codes only is looked for again in the pieces before its last one.
    let end = pieces.length - 1;
    for (let tries = 0; tries < MAX_NARROWINGS; tries++) {
      if (tries > 0 && (end < 1 || !holds(0, end))) break;
      const { first, last } = narrowed(holds, end);
      // One piece alone: a match inside one element, which was judged there.
      if (first === last) break;
      if (keptAcross(pieces, first, last)) {
        findings.push({ type, first, last });
        break;
      }
      end = last - 1;
    }
  }
  return { findings, read: whole.read, decoded: whole.decoded, capped: whole.capped };
}

/**
 * The fewest pieces of `[0, end]` that still hold a match, when `holds(0,
 * end)`: the last first piece that still holds it, then the first last
 * piece; either is kept only when one piece fewer does not hold it, so the
 * match needs both ends.
 */
function narrowed(
  holds: (first: number, last: number) => boolean,
  end: number,
): { first: number; last: number } {
  let first = 0;
  let high = end;
  while (first < high) {
    const mid = (first + high + 1) >> 1;
    if (holds(mid, end)) first = mid;
    else high = mid - 1;
  }
  let low = first;
  let last = end;
  while (low < last) {
    const mid = (low + last) >> 1;
    if (holds(first, mid)) last = mid;
    else low = mid + 1;
  }
  return { first, last };
}

/** How many times a finding is narrowed in one run at most (see {@linkcode keptAcross}). */
const MAX_NARROWINGS = 4;
/** Narrowing a finding reads what the whole run's reading read, again: bounded by it. */
const UNBOUNDED: JoinedRoom = { read: Infinity, decoded: Infinity };

interface Types {
  types: Set<string>;
  read: number;
  decoded: number;
  capped: boolean;
}

/** The types of `specs` that fire on `pieces` joined or on its readings (see {@linkcode readJoined}). */
function typesIn(
  pieces: readonly string[],
  specs: readonly DetectorSpec[],
  room: JoinedRoom,
  levels: number,
): Types {
  const out: Types = { types: new Set(), read: 0, decoded: 0, capped: false };
  const spend = (chars: number): boolean => {
    if (out.decoded + chars > room.decoded) {
      out.capped = true;
      return false;
    }
    out.decoded += chars;
    return true;
  };
  const run = (text: string) => {
    for (const d of specs) {
      if (!out.types.has(d.type) && d.detect(text, undefined)) out.types.add(d.type);
    }
  };
  const text = pieces.join("");
  if (text.length > room.read) {
    out.capped = true;
    return out;
  }
  out.read = text.length;
  // The pieces are ASCII with no invisible character: the text is read as it is.
  run(text);
  // Each window costs the decoded budget its length: past it, the scan is capped. A window
  // between two places is read only for tokens of fixed length.
  let fixed: DetectorSpec[] | undefined;
  readGlued(pieces, text, tokenStarts(text, specs), (window, between) => {
    if (!spend(window.length)) return false;
    if (!between) run(window);
    else {
      for (const d of fixed ??= specs.filter((d) => !READS_ON.has(d.type))) {
        if (!out.types.has(d.type) && d.detect(window, undefined)) out.types.add(d.type);
      }
    }
    return true;
  });
  let last = text;
  const unicode = holdsUnicodeMark(text) ? unicodeEscapesDecoded(text) : undefined;
  if (unicode !== undefined) {
    if (leftUnicodeEscaped(unicode)) out.capped = true;
    last = unicode;
  }
  const unescaped = last.indexOf("%") === -1 ? undefined : percentDecoded(last);
  if (unescaped !== undefined && leftEscaped(unescaped)) out.capped = true;
  // Text with both escapes is read once, with both decoded: its percent escapes are all
  // the two readings differ in.
  last = unescaped ?? last;
  if (last !== text) {
    const reading = detectionText(last, room.decoded - out.decoded);
    if (!spend(reading.length)) return out;
    run(reading);
  }
  // Where one piece ends and the next starts, in the reading the runs are read in (an escape
  // split across pieces moves it by a character or two).
  const crossing: number[] = [];
  let at = 0;
  for (let i = 0; i < pieces.length - 1; i++) {
    at += last === text ? pieces[i]!.length : decodedPiece(pieces[i]!).length;
    crossing.push(at);
  }
  let runsLeft = MAX_BASE64_RUNS;
  let stretchesLeft = MAX_STRETCH_RUNS;
  const readRuns = (source: string, level: number, bounds: readonly number[] | undefined) => {
    const read = base64Reading(source, room.decoded - out.decoded, runsLeft, bounds, stretchesLeft);
    if (read.capped) out.capped = true;
    runsLeft -= read.texts.length - read.stretched;
    stretchesLeft -= read.stretched;
    for (const inner of read.texts) {
      const reading = detectionText(inner, room.decoded - out.decoded);
      if (!spend(reading.length)) return;
      run(reading);
      // Base64 of percent-encoded text.
      let next = reading;
      const innerUnescaped = reading.indexOf("%") === -1 ? undefined : percentDecoded(reading);
      if (innerUnescaped !== undefined) {
        const decoded = detectionText(innerUnescaped, room.decoded - out.decoded);
        if (!spend(decoded.length)) return;
        run(decoded);
        next = innerUnescaped;
      }
      if (level < levels) readRuns(next, level + 1, undefined);
      else if (base64Reading(next, 0, 0).capped) out.capped = true;
    }
  };
  readRuns(last, 1, crossing);
  return out;
}

/**
 * Detectors whose tokens have no fixed length and read on into the glue
 * after them (`eyJ….eyJ….sigy`, `xoxb-…y`, `API_KEY=…y`): a window from a
 * piece's start finds them, and no window between two places is read for them.
 */
const READS_ON = new Set(["jwt", "slack_token", "api_key_assignment"]);

/** One piece as the joined text's escapes read it. */
function decodedPiece(piece: string): string {
  const unicode = holdsUnicodeMark(piece) ? unicodeEscapesDecoded(piece) ?? piece : piece;
  return unicode.indexOf("%") === -1 ? unicode : percentDecoded(unicode) ?? unicode;
}
