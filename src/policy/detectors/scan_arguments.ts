/**
 * Runs the enabled detectors over every string in a call's arguments (nested
 * objects and arrays included), with bounded work: at most `maxChars`
 * characters are scanned per call (1 MiB by default) and nesting deeper than
 * 64 levels is not entered; either limit sets `capped`. Findings carry the
 * argument path, never the value, and each (type, path) pair appears once.
 * Detectors that need a digit are skipped for a string without one: a
 * typical argument then runs a handful of substring checks, not every
 * detector's expressions.
 *
 * @example
 * ```ts
 * scanArguments({ note: "SSN 123-45-6789" }, { kinds: new Set(["phi"]) });
 * // { findings: [{ kind: "phi", type: "us_ssn", path: "note" }], scannedChars: 15, capped: false }
 * ```
 */
import { DETECTORS } from "./detectors.ts";
import type { DetectorSpec } from "./detector_spec.ts";
import type { DetectorKind, Finding } from "./finding.ts";

/** Default cap on characters scanned per call. */
export const MAX_SCAN_CHARS = 1024 * 1024;
const MAX_DEPTH = 64;
const MIN_INTERESTING = 3;
const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

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

  const visit = (value: unknown, path: string, key: string | undefined, depth: number) => {
    if (state.scannedChars >= budget) {
      if (typeof value === "string" || (value !== null && typeof value === "object")) {
        state.capped = true;
      }
      return;
    }
    if (typeof value === "string") {
      let text = value;
      if (state.scannedChars + text.length > budget) {
        text = text.slice(0, budget - state.scannedChars);
        state.capped = true;
      }
      state.scannedChars += text.length;
      if (text.length < MIN_INTERESTING) return;
      let digit: boolean | undefined;
      for (const d of detectors) {
        if (d.needsDigit === true && !(digit ??= hasAsciiDigit(text))) continue;
        if (d.detect(text, key)) {
          const id = `${d.type}\u0000${path}`;
          if (!seen.has(id)) {
            seen.add(id);
            state.findings.push({ kind: d.kind, type: d.type, path: path === "" ? "$" : path });
          }
        }
      }
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (depth >= MAX_DEPTH) {
      state.capped = true;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], `${path}[${i}]`, key, depth + 1);
      return;
    }
    for (const k of Object.keys(value)) {
      const step = SIMPLE_KEY.test(k)
        ? (path === "" ? k : `${path}.${k}`)
        : `${path}[${JSON.stringify(k)}]`;
      visit((value as Record<string, unknown>)[k], step, k, depth + 1);
    }
  };
  visit(args, "", undefined, 0);
  return state;
}

/** Whether `text` contains 0-9 (what `\d` matches in these patterns). */
function hasAsciiDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
