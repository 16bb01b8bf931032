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
 * with `\uXXXX` or percent escapes, and runs of base64, base64url or hex that
 * decode to text, are also read decoded, within a budget of their own (see
 * `decoded_readings.ts`). Adjacent strings of an array that are a token's
 * pieces are also read joined by the secret detectors (see
 * `joined_runs_reading.ts`). A limit that leaves such text unread sets
 * `capped`. A value is labelled by its key, or by the name a pair gives it
 * ({@linkcode childLabel}: `{"name": "DB_PASSWORD", "value": …}`, FHIR
 * identifiers), and read beside the keys of the object it sits in (in an
 * array, of the nearest object around it), which a detector may be told
 * (`{"ticket": "512-34-7788", "employee": …}`); a pair's keys are no such
 * neighbours. A string that holds JSON or JSONC (an object or array, maybe
 * after a byte order mark or in a Markdown code fence, or one per line) is
 * also read as that JSON, and name/value pairs in YAML or JSON5 text
 * ({@linkcode heldJson}) as the same pairs in JSON, three levels deep at most
 * and `maxChars` characters of it in all, its findings reported at the
 * string; a string these limits leave unread that holds JSON sets `capped`
 * (its escapes, `\"` or `\\\"`, hide from the text reading what the JSON
 * reading would see).
 *
 * A table labels its values by position: a cell of a CSV, TSV, Markdown or
 * SQL table a string holds, or of a 2-D array whose first row is all names,
 * is read again under its column's name, and a private key's lines as an
 * array's elements are read joined, within a budget of their own (see
 * `positional_reading.ts` and `key_lines.ts`); what that budget leaves
 * unread, or a first row of more than 200 names, sets `capped`. `cappedBy`
 * says which limits capped it (`ScanCap` in `scan_result.ts`).
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
import type { DetectorKind } from "./finding.ts";
import { type DigitCensus, digitCensus, meetsDigitNeed } from "./digit_census.ts";
import { keyInClear } from "./key_in_clear.ts";
import { detectionText } from "./detection_text.ts";
import { childLabel, namedValueLabel } from "./named_value_label.ts";
import { besideKeys } from "./person_context.ts";
import { heldJson } from "./held_json.ts";
import { joinedRuns } from "./joined_strings.ts";
import { mayHoldTable } from "./positional_labels.ts";
import { headerNames, tooWideHeader } from "./text_table.ts";
import { integerDigits, isRawJson } from "../../protocol/exact_integers.ts";
import { capBy, cappedBy, type ScanResult } from "./scan_result.ts";
import { enterPath, leavePath, pathText, type ScanPath } from "./scan_path.ts";
import { MAX_DEPTH, MAX_HELD_LEVELS, MAX_SCAN_CHARS, MIN_INTERESTING } from "./scan_limits.ts";
import { DecodedReadings } from "./decoded_readings.ts";
import { JoinedRunsReading } from "./joined_runs_reading.ts";
import { PositionalReading } from "./positional_reading.ts";
import type { ScanContext } from "./scan_context.ts";
import { KEY_HEADER_LINE, keyLines } from "./key_lines.ts";

/** What to scan for and how much. */
export interface ScanOptions {
  kinds: ReadonlySet<DetectorKind>;
  maxChars?: number;
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
  const path: ScanPath = { steps: [], positions: [], labels: [] };
  // The keys of the object the value being scanned sits in (none for a name/value pair's).
  let siblings: readonly string[] | undefined;
  // Inside a JSON text held in a string (how many levels deep): its characters
  // were counted as the string's, findings are the string's (the path stays
  // at it), and reading it is a bonus: its own limits end it quietly.
  let held = 0;
  let heldChars = 0;
  const secretDetectors = detectors.filter((d) => d.kind === "secret");
  // What the readings below share, made when a call first needs one (most need neither).
  let scan: ScanContext | undefined;
  const context = () => scan ??= { detectors, path, seen, state, budget };
  // Tables and a key's lines, read when a call holds them (most hold neither).
  let positional: PositionalReading | undefined;
  // Arrays' strings read joined, when a call holds a run of a token's pieces (most hold none).
  let joinedReading: JoinedRunsReading | undefined;

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
    decoded.read(text, detectors, secretDetectors, label, isKey);
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

  // The readings of escapes and base64 in the texts read, with their own budget.
  const decoded = new DecodedReadings(state, budget, runDetectors);

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
        (positional ??= new PositionalReading(context()))
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
        positional ??= new PositionalReading(context());
      }
      const columns = header?.map((name) => childLabel(name, undefined));
      const before = state.findings.length;
      for (let i = 0; i < value.length; i++) {
        if (held === 0) enterPath(path, i, i, label);
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
          positional ??= new PositionalReading(context());
          if (positional.spend(joined.length)) {
            runDetectors(
              joined,
              secretDetectors.filter((d) => d.type === "private_key"),
              label,
              false,
            );
          } else capBy(state, "table");
        }
        if (held === 0) leavePath(path);
      }
      if (secretDetectors.length > 0) {
        const runs = joinedRuns(value);
        if (runs !== undefined) {
          (joinedReading ??= new JoinedRunsReading(context()))
            .read(value, runs, before, held);
        }
      }
      return;
    }
    const object = value as Record<string, unknown>;
    const named = namedValueLabel(object);
    const keys = Object.keys(object);
    const beside = named === undefined ? besideKeys(object, keys) : undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (held === 0) enterPath(path, k, i, label);
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
      if (held === 0) leavePath(path);
    }
  };
  visit(args, undefined, 0);
  return state;
}

function scannable(value: unknown): boolean {
  return typeof value === "string" || typeof value === "bigint" ||
    (typeof value === "number" && Number.isInteger(value));
}
