/**
 * Runs the enabled detectors over a call's arguments, nested objects and
 * arrays included: every string, every object key (as text, labelled by the
 * key the object sits under) and every integer, as its decimal digits
 * without a sign (`-4111…` hides no card): a safe integer, a bigint, or a
 * `JSON.rawJSON` number as the relay keeps one too large for a double
 * (`6212345678901234569`, also spelled `…569.0` or `6.2…e18`). A plain
 * number that large may have lost digits the client wrote: if it needs 16
 * significant digits it is not scanned, and the scan counts as `capped`.
 * Work is bounded: at most `maxChars` characters are scanned per call (1 MiB
 * by default) and nesting deeper than 64 levels is not entered (in JSON a
 * string holds too); either limit sets `capped`. Each (type, path) pair
 * appears once.
 *
 * Text is read as {@linkcode detectionText} puts it (styled and foreign
 * digits as ASCII, invisible characters dropped), within the same cap. Text
 * with `\uXXXX` or percent escapes is also read decoded (by every detector;
 * {@linkcode unicodeEscapesDecoded}, then its percent escapes), and runs of
 * base64, base64url or hex that decode to text are read decoded by the secret
 * detectors ({@linkcode percentDecoded}, {@linkcode base64Reading}; base64 of
 * percent-encoded text is read decoded twice, and base64 in base64 up to
 * {@linkcode MAX_BASE64_LEVELS} levels, {@linkcode MAX_BASE64_RUNS} runs per
 * string in all, and runs whose bytes are not all text read for the text
 * inside them, {@linkcode MAX_STRETCH_RUNS} as texts of their own and the
 * rest as one); these readings have a budget of
 * `maxChars` characters of their own. A limit that leaves encoded text unread
 * (more escape levels, runs or base64 levels, or the budget spent while a
 * text still holds an escape, a run that decodes, or binary with text
 * inside) sets `capped`: what it hides was not read. Binary data with no
 * text inside left unread does not.
 * Adjacent strings of an array that are a token's pieces are also read
 * joined ({@linkcode readJoined}: a token split across elements, or its hex
 * or base64 in pieces), with no key, by the secret detectors that found
 * nothing in the array's elements; a match that crosses from one element
 * into the next is reported at the array, naming the elements it needs
 * (`m (elements 0–1 read joined)`). These readings read `maxChars`
 * characters of strings in all, and `maxChars` of their decoded readings,
 * past which the scan is capped. A
 * value is labelled by its key, or by the name a pair gives it
 * ({@linkcode childLabel}: `{"name": "DB_PASSWORD", "value": …}`, FHIR
 * identifiers), and read beside the keys of the object it sits in (in an
 * array, of the nearest object around it), which a detector may be told
 * (`{"ticket": "512-34-7788", "employee": …}`); a pair's keys are no such
 * neighbours. A string that holds JSON or JSONC (an object or array, maybe
 * after a byte order mark or in a Markdown code fence, or one per line) is also read
 * as that JSON, and name/value pairs in YAML or JSON5 text ({@linkcode heldJson}) as
 * the same pairs in JSON, three levels deep at most and `maxChars` characters of it in
 * all, its findings reported at the string; a string these limits leave unread
 * that holds JSON sets `capped` (its escapes, `\"` or `\\\"`, hide from the
 * text reading what the JSON reading would see).
 *
 * A table labels its values by position ({@linkcode textTables}): a cell of
 * a CSV or TSV text, a Markdown table, an SQL `INSERT … (columns) VALUES`
 * or a 2-D array whose first row is all names is read again, by the
 * detectors that read labels, under its column's name. A finding in text is
 * reported at the string plus the column (`content[ssn]`, or `content[#c1]`
 * for a name {@linkcode keyInClear} would not show), unless the string was
 * found to hold the same already. An array element that is a private key's
 * header line alone is read joined with the two elements after it (a key's
 * lines as an array). These readings have a budget of their own,
 * {@linkcode tableBudget} of `maxChars`: each character read costs one and
 * each cell {@linkcode CELL_COST} more, and the budget is what a table of
 * `maxChars` characters can cost at most, so any table the text scan reads
 * whole is read whole by column too; a cell is read whole, however long.
 * When the budget leaves some of a table unread (a row of its header's
 * width, a new table, the rest of a string that may hold one, a key's
 * lines), or a header has more than 200 names, the scan is `capped`: a value
 * there may be labelled by its column alone. `cappedBy` says which limits
 * capped it ({@linkcode ScanCap}).
 *
 * Findings carry the argument path, never a value, and a path shows a key
 * only when {@linkcode keyInClear} allows it: any other key is written as its
 * position among its object's keys, `[#k0]`, `[#k1]`, …. A finding in a key
 * ends in `(key)`. Detectors that need digits are skipped for text with fewer
 * than they need ({@linkcode digitCensus}): a typical argument then runs a
 * handful of substring checks, not every detector's expressions.
 *
 * @example
 * ```ts
 * scanArguments({ note: "SSN 123-45-6789" }, { kinds: new Set(["phi"]) });
 * // { findings: [{ kind: "phi", type: "us_ssn", path: "note" }], scannedChars: 19,
 * //   capped: false, cappedBy: [] }
 * scanArguments({ cc: { "jane.doe@example.org": "x" } }, { kinds: new Set(["pii"]) });
 * // { findings: [{ kind: "pii", type: "email", path: "cc[#k0](key)" }], … }
 * ```
 */
import { DETECTORS } from "./detectors.ts";
import type { DetectorSpec } from "./detector_spec.ts";
import type { DetectorKind, Finding } from "./finding.ts";
import { type DigitCensus, digitCensus, meetsDigitNeed } from "./digit_census.ts";
import { keyInClear } from "./key_in_clear.ts";
import { detectionText } from "./detection_text.ts";
import { childLabel, namedValueLabel } from "./named_value_label.ts";
import { besideKeys } from "./person_context.ts";
import { heldJson } from "./held_json.ts";
import { holdsPercentEscape } from "../percent_escape.ts";
import { base64Reading, MAX_BASE64_RUNS, MAX_STRETCH_RUNS } from "./encoded_readings.ts";
import { leftEscaped, percentDecoded } from "./percent_decoded.ts";
import { holdsUnicodeMark, leftUnicodeEscaped, unicodeEscapesDecoded } from "./unicode_escapes.ts";
import { type JoinedRoom, joinedRuns, joinedSpecs, readJoined } from "./joined_strings.ts";
import {
  CELL_COST,
  headerNames,
  LABEL_READERS,
  mayHoldTable,
  readTextTables,
  tableBudget,
  tooWideHeader,
} from "./positional_labels.ts";
import { integerDigits, isRawJson } from "../../protocol/exact_integers.ts";

/** Default cap on characters scanned per call. */
export const MAX_SCAN_CHARS = 1024 * 1024;
/** How deep the scan enters nested objects and arrays. */
export const MAX_DEPTH = 64;
/** Distinct texts whose percent-decoded reading a scan keeps. */
const MAX_DECODINGS_KEPT = 256;
const MIN_INTERESTING = 3;
/**
 * How many characters of JSON held in strings are read per call, in all (see
 * `heldJson`): as many as the scan's own cap, so reading them at most doubles its work.
 */
export const MAX_HELD_JSON = MAX_SCAN_CHARS;
/** How many levels of JSON held in strings are read (a message body that holds a record as text). */
export const MAX_HELD_LEVELS = 3;
/**
 * How many levels of base64 are read (a base64 config whose values are
 * base64 of text, as a kubeconfig's are, passed as base64 itself).
 */
export const MAX_BASE64_LEVELS = 3;
/** A PEM private key's header line alone, as an array of a key's lines holds it. */
const KEY_HEADER_LINE =
  /^\s*-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*$/;
/** How much of each of the two lines after a key header is read with it. */
const KEY_LINE_READ = 512;
/** A key that can follow a `.` in a path without being mistaken for two. */
const DOTLESS_KEY = /^[A-Za-z_$][\w$-]*$/;

/** What to scan for and how much. */
export interface ScanOptions {
  kinds: ReadonlySet<DetectorKind>;
  maxChars?: number;
}

/**
 * What left part of a call unread: the characters the scan reads (`size`),
 * its nesting (`depth`), a number too long to read exactly (`number`), a
 * limit of the readings of encoded text, of JSON held in strings or of
 * arrays' strings read joined (`encoding`), or of the readings by column (`table`: a table with more
 * cells than the table budget or more columns than a header may have, or a
 * key's lines past that budget).
 */
export type ScanCap = "size" | "depth" | "number" | "encoding" | "table";

/** The outcome of one scan. */
export interface ScanResult {
  findings: Finding[];
  scannedChars: number;
  /**
   * True when a limit stopped the scan early: the character or depth limit,
   * or one that left encoded text, JSON held in a string or part of a table
   * unread.
   */
  capped: boolean;
  /** The limits that did, each once, in the order the scan met them (empty when not capped). */
  cappedBy: ScanCap[];
}

/** Scans `args` with the detectors of `options.kinds`. */
export function scanArguments(args: unknown, options: ScanOptions): ScanResult {
  const detectors: DetectorSpec[] = DETECTORS.filter((d) => options.kinds.has(d.kind));
  const state: ScanResult = { findings: [], scannedChars: 0, capped: false, cappedBy: [] };
  if (detectors.length === 0) return state;
  const budget = options.maxChars ?? MAX_SCAN_CHARS;
  const seen = new Set<string>();
  // The path to the text being scanned, one array index or object key per
  // step, turned into text only when a detector fires; for a key, also its
  // position among its object's keys and the label its object sits under.
  const path: Path = { steps: [], positions: [], labels: [] };
  // The keys of the object the value being scanned sits in (none for a name/value pair's).
  let siblings: readonly string[] | undefined;
  // Inside a JSON text held in a string (how many levels deep): its characters
  // were counted as the string's, findings are the string's (the path stays
  // at it), and reading it is a bonus: its own limits end it quietly.
  let held = 0;
  let heldChars = 0;
  // Characters of decoded readings (percent escapes, base64) scanned, in all.
  let decodedChars = 0;
  const secretDetectors = detectors.filter((d) => d.kind === "secret");
  // Tables and a key's lines, read when a call holds them (most hold neither).
  let positional: PositionalReading | undefined;
  // Each distinct text is percent-decoded once per call: a value repeated across
  // keys, or met again in JSON a string holds, costs one decoding.
  const decodings = new Map<string, string | undefined>();
  const decode = (text: string): string | undefined => {
    if (text.indexOf("%") === -1) return undefined;
    if (decodings.has(text)) return decodings.get(text);
    const decoded = percentDecoded(text);
    if (decodings.size < MAX_DECODINGS_KEPT) decodings.set(text, decoded);
    return decoded;
  };

  const scanText = (value: string, label: string | undefined, isKey: boolean) => {
    let text = value;
    if (held === 0) {
      if (state.scannedChars >= budget) {
        if (value.length > 0) capBy(state, "size");
        return;
      }
      const room = budget - state.scannedChars;
      if (text.length > room) {
        text = text.slice(0, room);
        capBy(state, "size");
      }
      text = detectionText(text, room);
      // Normalizing can lengthen text (one character can become eighteen).
      if (text.length > room) {
        text = text.slice(0, room);
        capBy(state, "size");
      }
      state.scannedChars += Math.max(text.length, Math.min(value.length, room));
    } else {
      text = detectionText(text, budget);
    }
    if (text.length < MIN_INTERESTING) return;
    runDetectors(text, detectors, label, isKey);
    // What a server or a reader decodes: `\uXXXX` and percent escapes (every detector),
    // and base64 or hex runs that decode to text (the secret detectors), within their own
    // budget.
    const unicode = readUnicode(text, detectors, label, isKey);
    const unescaped = readEscaped(unicode ?? text, detectors, label, isKey);
    if (secretDetectors.length === 0) return;
    // One count of runs for every level of the string's base64.
    runsLeft = MAX_BASE64_RUNS;
    stretchesLeft = MAX_STRETCH_RUNS;
    readBase64(unescaped ?? unicode ?? text, label, isKey, 1, secretDetectors);
  };

  /**
   * Runs `specs` on `text`'s reading with its `\uXXXX` escapes decoded, if
   * it has one, and returns that reading; marks the scan capped when a limit
   * leaves some of it unread (escape levels, or the decoded readings' budget).
   * A reading that holds percent escapes is returned unread, for
   * `readEscaped` to read with them decoded.
   */
  const readUnicode = (
    text: string,
    specs: readonly DetectorSpec[],
    label: string | undefined,
    isKey: boolean,
  ): string | undefined => {
    if (!holdsUnicodeMark(text)) return undefined;
    if (budget - decodedChars <= 0) {
      if (!cappedBy(state, "encoding") && leftUnicodeEscaped(text)) capBy(state, "encoding");
      return undefined;
    }
    const decoded = unicodeEscapesDecoded(text);
    if (decoded === undefined) return undefined;
    // Text with percent escapes too is read once, with both decoded (`readEscaped`): its
    // percent escapes are all the two readings differ in.
    if (holdsPercentEscape(decoded)) {
      if (leftUnicodeEscaped(decoded)) capBy(state, "encoding");
      return decoded;
    }
    const room = budget - decodedChars;
    if (decoded.length > room || leftUnicodeEscaped(decoded)) capBy(state, "encoding");
    const reading = detectionText(decoded.slice(0, room), room);
    decodedChars += reading.length;
    runDetectors(reading, specs, label, isKey);
    return decoded;
  };

  /**
   * Runs `specs` on `text`'s percent-decoded reading, if it has one, and
   * returns that reading; marks the scan capped when a limit leaves some of
   * it unread (escape levels, or the decoded readings' budget).
   */
  const readEscaped = (
    text: string,
    specs: readonly DetectorSpec[],
    label: string | undefined,
    isKey: boolean,
  ): string | undefined => {
    const room = budget - decodedChars;
    if (room <= 0) {
      // The budget is spent: a text that still holds an escape goes unread (once encoded
      // text was left unread, there is no need to look).
      if (!cappedBy(state, "encoding") && holdsPercentEscape(text)) capBy(state, "encoding");
      return undefined;
    }
    const unescaped = decode(text);
    if (unescaped === undefined) return undefined;
    if (unescaped.length > room || leftEscaped(unescaped)) capBy(state, "encoding");
    const reading = detectionText(unescaped.slice(0, room), room);
    decodedChars += reading.length;
    runDetectors(reading, specs, label, isKey);
    return unescaped;
  };

  // Runs that decode to text still to read in the string being scanned, across its levels,
  // and runs of bytes that are not all text to read the text inside.
  let runsLeft = 0;
  let stretchesLeft = 0;
  /**
   * Runs the secret detectors on the texts base64 runs in `source` decode to,
   * then on each one's percent-decoded reading and on its own base64 runs,
   * `level` counting the base64 levels; marks the scan capped when a limit
   * leaves a run that decodes to text unread.
   */
  const readBase64 = (
    source: string,
    label: string | undefined,
    isKey: boolean,
    level: number,
    specs: readonly DetectorSpec[],
  ) => {
    const read = base64Reading(source, budget - decodedChars, runsLeft, undefined, stretchesLeft);
    if (read.capped) capBy(state, "encoding");
    runsLeft -= read.texts.length - read.stretched;
    stretchesLeft -= read.stretched;
    for (const inner of read.texts) {
      const reading = detectionText(inner, budget);
      decodedChars += reading.length;
      runDetectors(reading, specs, label, isKey);
      // Base64 of percent-encoded text (`btoa(encodeURIComponent(env))`).
      const innerUnescaped = readEscaped(reading, specs, label, isKey);
      const next = innerUnescaped ?? reading;
      if (level < MAX_BASE64_LEVELS) {
        readBase64(next, label, isKey, level + 1, specs);
      } else if (!cappedBy(state, "encoding") && base64Reading(next, 0, 0).capped) {
        // Base64 deeper than thoth reads.
        capBy(state, "encoding");
      }
    }
  };

  const runDetectors = (
    text: string,
    specs: readonly DetectorSpec[],
    label: string | undefined,
    isKey: boolean,
  ) => {
    let digits: DigitCensus | undefined;
    for (const d of specs) {
      if (d.digits !== undefined && !meetsDigitNeed(digits ??= digitCensus(text), d.digits)) {
        continue;
      }
      if (d.detect(text, label, siblings)) {
        const where = pathText(path, isKey && held === 0);
        const id = `${d.type}\u0000${where}`;
        if (!seen.has(id)) {
          seen.add(id);
          state.findings.push({ kind: d.kind, type: d.type, path: where });
        }
      }
    }
  };

  // What is left of the budgets of arrays' strings read joined: characters read, and of
  // their decoded readings (the same as a string's).
  const joinedRoom: JoinedRoom = { read: budget, decoded: budget };
  // The secret detectors that read strings joined.
  let joiners: DetectorSpec[] | undefined;
  /**
   * Reads each run of adjacent strings of `items` that are a token's pieces
   * joined ({@linkcode readJoined}: `["ghp_ZRwY…", "6e5B…"]`), with the secret
   * detectors that found nothing in the array already (its findings start at
   * `before`). A finding is reported at the array, naming the elements it
   * needs. What the budget leaves unread caps the scan.
   */
  const readJoinedRuns = (items: unknown[], before: number) => {
    const runs = joinedRuns(items);
    if (runs === undefined) return;
    const found = new Set<string>();
    for (let f = before; f < state.findings.length; f++) found.add(state.findings[f]!.type);
    const specs = (joiners ??= joinedSpecs(secretDetectors)).filter((d) => !found.has(d.type));
    if (specs.length === 0) return;
    for (const { start, end } of runs) {
      if (joinedRoom.read <= 0) {
        capBy(state, "encoding");
        return;
      }
      const pieces = items.slice(start, end) as string[];
      const read = readJoined(pieces, specs, joinedRoom, MAX_BASE64_LEVELS);
      joinedRoom.read -= read.read;
      joinedRoom.decoded -= read.decoded;
      if (read.capped) capBy(state, "encoding");
      for (const { type, first, last } of read.findings) {
        // In JSON a string holds, at the string.
        const where = pathText(path, false) +
          (held === 0 ? ` (elements ${start + first}\u2013${start + last} read joined)` : "");
        const id = `${type}\u0000${where}`;
        if (seen.has(id)) continue;
        seen.add(id);
        state.findings.push({ kind: "secret", type, path: where });
      }
    }
  };

  const readHeld = (value: string, label: string | undefined, depth: number) => {
    if (held >= MAX_HELD_LEVELS || heldChars + value.length > budget) {
      // Left unread: not checked, if it holds JSON (once encoded text was left unread, no need
      // to look).
      if (!cappedBy(state, "encoding") && heldJson(value) !== undefined) capBy(state, "encoding");
      return;
    }
    const inner = heldJson(value);
    if (inner === undefined) return;
    heldChars += value.length;
    held++;
    try {
      for (const item of inner) visit(item, label, depth + 1);
    } finally {
      held--;
    }
  };

  const visit = (value: unknown, label: string | undefined, depth: number) => {
    if (held === 0 && state.scannedChars >= budget) {
      if (value !== null && (typeof value === "object" || scannable(value))) capBy(state, "size");
      return;
    }
    if (typeof value === "string") {
      scanText(value, label, false);
      readHeld(value, label, depth);
      if (mayHoldTable(value)) {
        (positional ??= new PositionalReading(detectors, path, seen, state, budget))
          .tables(value, label, held);
      }
      return;
    }
    if (typeof value === "number") {
      if (Number.isSafeInteger(value)) return scanText(String(Math.abs(value)), label, false);
      if (!Number.isInteger(value)) return;
      // A double this large keeps at most 15 to 17 digits of what was written.
      const digits = integerDigits(String(Math.abs(value)));
      if (digits === undefined || digits.replace(/0+$/, "").length >= 16) {
        if (held === 0) capBy(state, "number");
      } else scanText(digits, label, false);
      return;
    }
    if (typeof value === "bigint") {
      return scanText((value < 0n ? -value : value).toString(), label, false);
    }
    if (value === null || typeof value !== "object") return;
    if (isRawJson?.(value) === true) {
      const raw = (value as { rawJSON?: unknown }).rawJSON;
      const digits = typeof raw === "string" ? integerDigits(raw) : undefined;
      if (digits !== undefined) scanText(digits, label, false);
      return;
    }
    if (depth >= MAX_DEPTH) {
      // Inside JSON a string holds too: its escapes (`\"`) hide from the text reading.
      capBy(state, "depth");
      return;
    }
    if (Array.isArray(value)) {
      // A 2-D array whose first row names its columns (a sheet's values).
      const first = value.length > 1 && Array.isArray(value[0]) ? value[0] : undefined;
      const header = first !== undefined ? headerNames(first) : undefined;
      // A first row of more than 200 names: a sheet too wide to read by position.
      if (header === undefined && first !== undefined && tooWideHeader(first)) {
        capBy(state, "table");
      }
      if (header !== undefined) {
        positional ??= new PositionalReading(detectors, path, seen, state, budget);
      }
      const columns = header?.map((name) => childLabel(name, undefined));
      const before = state.findings.length;
      for (let i = 0; i < value.length; i++) {
        if (held === 0) enter(path, i, i, label);
        const item = value[i];
        visit(item, label, depth + 1);
        if (columns !== undefined && i > 0 && Array.isArray(item)) {
          positional!.row(item, columns, label, held);
        } else if (
          typeof item === "string" && item.length >= 27 && item.length <= 128 &&
          secretDetectors.length > 0 && KEY_HEADER_LINE.test(item)
        ) {
          // A key's lines as an array's elements: the header read with the two after it.
          const joined = keyLines(value, i);
          positional ??= new PositionalReading(detectors, path, seen, state, budget);
          if (positional.spend(joined.length)) {
            runDetectors(
              joined,
              secretDetectors.filter((d) => d.type === "private_key"),
              label,
              false,
            );
          } else capBy(state, "table");
        }
        if (held === 0) leave(path);
      }
      if (secretDetectors.length > 0) readJoinedRuns(value, before);
      return;
    }
    const object = value as Record<string, unknown>;
    const named = namedValueLabel(object);
    const keys = Object.keys(object);
    const beside = named === undefined ? besideKeys(object, keys) : undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (held === 0) enter(path, k, i, label);
      // A key no detector of any kind flags (known after its first sight) needs no scan.
      if (
        held > 0
          ? keyInClear(k, label)
          : state.scannedChars + k.length <= budget && keyInClear(k, label)
      ) {
        if (held === 0) state.scannedChars += k.length;
      } else scanText(k, label, true);
      const outer = siblings;
      siblings = beside;
      visit(object[k], childLabel(k, named), depth + 1);
      siblings = outer;
      if (held === 0) leave(path);
    }
  };
  visit(args, undefined, 0);
  return state;
}

/**
 * Reads tables a call holds, cell by cell under their column's name, with
 * the detectors that read labels, and keeps the budget of these readings
 * (and of a key's lines joined): {@linkcode tableBudget} of the scan's
 * `maxChars`, what a table of that much text can cost at most.
 */
class PositionalReading {
  #chars = 0;
  readonly #room: number;
  #readers: DetectorSpec[] | undefined;
  constructor(
    readonly detectors: readonly DetectorSpec[],
    readonly path: Path,
    readonly seen: Set<string>,
    /** The scan's result: its findings, and `capped` when the budget leaves a table unread. */
    readonly state: ScanResult,
    /** The scan's `maxChars`: no text longer is read as a table. */
    readonly budget: number,
  ) {
    this.#room = tableBudget(budget);
  }

  /** Counts `cost` against the budget; false when it does not fit. */
  spend(cost: number): boolean {
    if (this.#chars + cost > this.#room) return false;
    this.#chars += cost;
    return true;
  }

  /**
   * Reads the tables `value` holds (CSV, Markdown, SQL inserts), the scan
   * `held` levels deep; what the budget leaves unread caps the scan.
   */
  tables(value: string, label: string | undefined, held: number) {
    // Past the room, the text is still looked through for a table's row left unread; past
    // the budget (a string the text scan caps too), not at all.
    const room = Math.max(0, this.#room - this.#chars);
    if (value.length > this.budget) capBy(this.state, "size");
    const read = readTextTables(
      value.length > this.budget ? value.slice(0, this.budget) : value,
      room,
    );
    if (read.stopped) capBy(this.state, "table");
    if (read.tables.length === 0) return;
    // Reading the tables charged each cell: its characters and CELL_COST.
    this.#chars += read.used;
    for (const { header, rows } of read.tables) {
      const columns = header.map((name) => childLabel(name, undefined));
      // A column is shown by its name as a key would be, else by its position.
      const suffixes = header.map((name, j) => keyInClear(name, label) ? `[${name}]` : `[#c${j}]`);
      for (const row of rows) {
        for (let j = 0; j < row.length; j++) {
          const column = columns[j];
          if (column !== undefined) this.#cell(row[j]!, column, suffixes[j]!, held);
        }
      }
    }
  }

  /** Reads a row of a 2-D array after its header row, each cell under its column's name. */
  row(row: unknown[], columns: (string | undefined)[], label: string | undefined, held: number) {
    for (let j = 0; j < row.length && j < columns.length; j++) {
      const column = columns[j];
      const cell = cellText(row[j]);
      if (column === undefined || cell === undefined) continue;
      if (!this.spend(cell.length + CELL_COST)) {
        // The budget leaves this row's cells, and the rows after it, unread.
        capBy(this.state, "table");
        return;
      }
      if (held === 0) enter(this.path, j, j, label);
      this.#cell(cell, column, "", held);
      if (held === 0) leave(this.path);
    }
  }

  /**
   * Runs the label readers on one cell under its column's name. A finding is
   * reported at the path the scan is at plus `suffix` (the column, for a
   * table in text), unless the text there was found to hold the same already.
   */
  #cell(cell: string, column: string, suffix: string, held: number) {
    const text = detectionText(cell, this.budget);
    if (text.length < MIN_INTERESTING) return;
    this.#readers ??= this.detectors.filter((d) => LABEL_READERS.has(d.type));
    let digits: DigitCensus | undefined;
    for (const d of this.#readers) {
      if (d.digits !== undefined && !meetsDigitNeed(digits ??= digitCensus(text), d.digits)) {
        continue;
      }
      if (!d.detect(text, column)) continue;
      const at = pathText(this.path, false);
      if (suffix !== "" && this.seen.has(`${d.type}\u0000${at}`)) continue;
      const where = held === 0 ? at + suffix : at;
      const id = `${d.type}\u0000${where}`;
      if (!this.seen.has(id)) {
        this.seen.add(id);
        this.state.findings.push({ kind: d.kind, type: d.type, path: where });
      }
    }
  }
}

/** Marks `state` capped by `cause`. */
function capBy(state: ScanResult, cause: ScanCap) {
  state.capped = true;
  if (!state.cappedBy.includes(cause)) state.cappedBy.push(cause);
}

/** Whether `cause` has capped `state` already. */
function cappedBy(state: ScanResult, cause: ScanCap): boolean {
  return state.cappedBy.includes(cause);
}

/** A key's header line at `items[at]` joined by line breaks with the one or two strings after it. */
function keyLines(items: unknown[], at: number): string {
  let joined = items[at] as string;
  for (let k = at + 1; k <= at + 2 && k < items.length; k++) {
    const line = items[k];
    if (typeof line !== "string") break;
    joined += "\n" + line.slice(0, KEY_LINE_READ);
  }
  return joined;
}

/** Where the scan is: parallel arrays, so that entering a key allocates nothing. */
interface Path {
  steps: (string | number)[];
  /** Each step's position among its object's keys (an index for an array). */
  positions: number[];
  /** The label each step's object sits under, as the scan read its keys. */
  labels: (string | undefined)[];
}

function enter(path: Path, step: string | number, position: number, label: string | undefined) {
  path.steps.push(step);
  path.positions.push(position);
  path.labels.push(label);
}

function leave(path: Path) {
  path.steps.pop();
  path.positions.pop();
  path.labels.pop();
}

/** A table cell as the scan reads it: a string, or an integer's digits. */
function cellText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? String(Math.abs(value)) : undefined;
  }
  if (typeof value === "bigint") return (value < 0n ? -value : value).toString();
  if (isRawJson?.(value) === true) {
    const raw = (value as { rawJSON?: unknown }).rawJSON;
    return typeof raw === "string" ? integerDigits(raw) : undefined;
  }
  return undefined;
}

function scannable(value: unknown): boolean {
  return typeof value === "string" || typeof value === "bigint" ||
    (typeof value === "number" && Number.isInteger(value));
}

/**
 * The path the scan is at, as findings show it (with `isKey`, the path of the
 * last key itself). A key is shown when {@linkcode keyInClear} allows it under
 * the label the scan read it under; any other key shows its position.
 */
function pathText(path: Path, isKey: boolean): string {
  let out = "";
  const { steps, positions, labels } = path;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string | number;
    if (typeof step === "number") {
      out += `[${step}]`;
    } else if ((isKey && i === steps.length - 1) || !keyInClear(step, labels[i])) {
      out += `[#k${positions[i]}]`;
    } else if (DOTLESS_KEY.test(step)) {
      out += out === "" ? step : `.${step}`;
    } else {
      out += `[${JSON.stringify(step)}]`;
    }
  }
  if (isKey) out += "(key)";
  return out === "" ? "$" : out;
}
