/**
 * What one scan of a call's arguments found ({@linkcode ScanResult}), and
 * the limits that left part of it unread ({@linkcode ScanCap}), each named
 * once, in the order the scan met them. Pure.
 *
 * @example
 * ```ts
 * const state: ScanResult = { findings: [], scannedChars: 0, capped: false, cappedBy: [] };
 * capBy(state, "size");
 * capBy(state, "size");
 * state.cappedBy; // ["size"]
 * cappedBy(state, "depth"); // false
 * ```
 */
import type { Finding } from "./finding.ts";

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

/** Marks `state` capped by `cause`. */
export function capBy(state: ScanResult, cause: ScanCap) {
  state.capped = true;
  if (!state.cappedBy.includes(cause)) state.cappedBy.push(cause);
}

/** Whether `cause` has capped `state` already. */
export function cappedBy(state: ScanResult, cause: ScanCap): boolean {
  return state.cappedBy.includes(cause);
}
