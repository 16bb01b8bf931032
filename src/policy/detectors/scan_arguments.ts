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
 * by default) and nesting deeper than 64 levels is not entered; either limit
 * sets `capped`. Each (type, path) pair appears once.
 *
 * Findings carry the argument path, never a value, and a path shows a key
 * only when {@linkcode keyInClear} allows it: any other key is written as its
 * position among its object's keys, `[#k0]`, `[#k1]`, …. A finding in a key
 * ends in `(key)`. Detectors that need a digit are skipped for text without
 * one: a typical argument then runs a handful of substring checks, not every
 * detector's expressions.
 *
 * @example
 * ```ts
 * scanArguments({ note: "SSN 123-45-6789" }, { kinds: new Set(["phi"]) });
 * // { findings: [{ kind: "phi", type: "us_ssn", path: "note" }], scannedChars: 19, capped: false }
 * scanArguments({ cc: { "jane.doe@example.org": "x" } }, { kinds: new Set(["pii"]) });
 * // { findings: [{ kind: "pii", type: "email", path: "cc[#k0](key)" }], … }
 * ```
 */
import { DETECTORS } from "./detectors.ts";
import type { DetectorSpec } from "./detector_spec.ts";
import type { DetectorKind, Finding } from "./finding.ts";
import { hasAsciiDigit } from "./has_ascii_digit.ts";
import { keyInClear } from "./key_in_clear.ts";
import { detectionText } from "./detection_text.ts";
import { namedValueLabel } from "./named_value_label.ts";
import { integerDigits, isRawJson } from "../../protocol/exact_integers.ts";

/** Default cap on characters scanned per call. */
export const MAX_SCAN_CHARS = 1024 * 1024;
const MAX_DEPTH = 64;
const MIN_INTERESTING = 3;
/** Longest string read as JSON it may hold (see `heldJson`). */
export const MAX_HELD_JSON = 64 * 1024;
/** How many levels of JSON held in strings are read (a message body that holds a record as text). */
export const MAX_HELD_LEVELS = 3;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** A key that can follow a `.` in a path without being mistaken for two. */
const DOTLESS_KEY = /^[A-Za-z_$][\w$-]*$/;

/** What to scan for and how much. */
export interface ScanOptions {
  kinds: ReadonlySet<DetectorKind>;
  maxChars?: number;
}

/** The outcome of one scan. */
export interface ScanResult {
  findings: Finding[];
  scannedChars: number;
  /** True when the character or depth limit stopped the scan early. */
  capped: boolean;
}

/** Scans `args` with the detectors of `options.kinds`. */
export function scanArguments(args: unknown, options: ScanOptions): ScanResult {
  const detectors: DetectorSpec[] = DETECTORS.filter((d) => options.kinds.has(d.kind));
  const state: ScanResult = { findings: [], scannedChars: 0, capped: false };
  if (detectors.length === 0) return state;
  const budget = options.maxChars ?? MAX_SCAN_CHARS;
  const seen = new Set<string>();
  // The path to the text being scanned, one array index or object key per
  // step, turned into text only when a detector fires.
  const steps: (string | number)[] = [];

  // Inside a JSON text held in a string (how many levels deep): its characters
  // were counted as the string's, and findings are the string's (`steps` stay
  // at its path).
  let held = 0;
  const scanText = (value: string, label: string | undefined, isKey: boolean) => {
    let text = value;
    if (held === 0) {
      if (state.scannedChars >= budget) {
        if (value.length > 0) state.capped = true;
        return;
      }
      if (state.scannedChars + text.length > budget) {
        text = text.slice(0, budget - state.scannedChars);
        state.capped = true;
      }
      state.scannedChars += text.length;
    }
    if (text.length < MIN_INTERESTING) return;
    text = detectionText(text);
    if (label !== undefined) label = detectionText(label);
    let digit: boolean | undefined;
    let path: string | undefined;
    for (const d of detectors) {
      if (d.needsDigit === true && !(digit ??= hasAsciiDigit(text))) continue;
      if (d.detect(text, label)) {
        path ??= pathText(args, steps, isKey && held === 0);
        const id = `${d.type}\u0000${path}`;
        if (!seen.has(id)) {
          seen.add(id);
          state.findings.push({ kind: d.kind, type: d.type, path });
        }
      }
    }
  };

  const visit = (value: unknown, label: string | undefined, depth: number) => {
    if (held === 0 && state.scannedChars >= budget) {
      if (value !== null && (typeof value === "object" || scannable(value))) state.capped = true;
      return;
    }
    if (typeof value === "string") {
      scanText(value, label, false);
      const inner = held < MAX_HELD_LEVELS ? heldJson(value) : undefined;
      if (inner !== undefined) {
        held++;
        try {
          visit(inner, label, depth + 1);
        } finally {
          held--;
        }
      }
      return;
    }
    if (typeof value === "number") {
      if (Number.isSafeInteger(value)) return scanText(String(Math.abs(value)), label, false);
      if (!Number.isInteger(value)) return;
      // A double this large keeps at most 15 to 17 digits of what was written.
      const digits = integerDigits(String(Math.abs(value)));
      if (digits === undefined || digits.replace(/0+$/, "").length >= 16) state.capped = true;
      else scanText(digits, label, false);
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
      // JSON held in a string was scanned as text already: reading it is a bonus.
      if (held === 0) state.capped = true;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (held === 0) steps.push(i);
        visit(value[i], label, depth + 1);
        if (held === 0) steps.pop();
      }
      return;
    }
    const object = value as Record<string, unknown>;
    const named = namedValueLabel(object);
    for (const k of Object.keys(object)) {
      if (held === 0) steps.push(k);
      // A key no detector of any kind flags (known after its first sight) needs no scan.
      if (
        held > 0
          ? keyInClear(k, label)
          : state.scannedChars + k.length <= budget && keyInClear(k, label)
      ) {
        if (held === 0) state.scannedChars += k.length;
      } else scanText(k, label, true);
      visit(object[k], named?.valueKey === k ? named.label : k, depth + 1);
      if (held === 0) steps.pop();
    }
  };
  visit(args, undefined, 0);
  return state;
}

/**
 * The value of a string that holds a JSON object or array (a file's content,
 * a record passed as text), read so that its keys label its values as they
 * would in the arguments themselves; undefined for any other string, and for
 * one over {@linkcode MAX_HELD_JSON} characters.
 */
function heldJson(text: string): unknown {
  if (text.length < 7 || text.length > MAX_HELD_JSON) return undefined;
  let start = 0;
  while (start < text.length && WHITESPACE.has(text.charCodeAt(start))) start++;
  let end = text.length - 1;
  while (end > start && WHITESPACE.has(text.charCodeAt(end))) end--;
  const open = text.charCodeAt(start);
  const close = text.charCodeAt(end);
  if (!((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d))) return undefined;
  try {
    const held: unknown = JSON.parse(text);
    return held !== null && typeof held === "object" ? held : undefined;
  } catch {
    return undefined;
  }
}

function scannable(value: unknown): boolean {
  return typeof value === "string" || typeof value === "bigint" ||
    (typeof value === "number" && Number.isInteger(value));
}

/**
 * The path `steps` lead to in `args` as findings show it (with `isKey`, the
 * path of the last key itself). A key is labelled by the key its object sits
 * under, as the scan labelled it; one not in clear shows its position.
 */
function pathText(args: unknown, steps: readonly (string | number)[], isKey: boolean): string {
  let out = "";
  let node = args;
  let label: string | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string | number;
    if (typeof step === "number") {
      out += `[${step}]`;
    } else {
      if ((isKey && i === steps.length - 1) || !keyInClear(step, label)) {
        out += `[#k${Object.keys(node as object).indexOf(step)}]`;
      } else if (DOTLESS_KEY.test(step)) {
        out += out === "" ? step : `.${step}`;
      } else {
        out += `[${JSON.stringify(step)}]`;
      }
      label = step;
    }
    node = (node as Record<string | number, unknown>)[step];
  }
  if (isKey) out += "(key)";
  return out === "" ? "$" : out;
}
