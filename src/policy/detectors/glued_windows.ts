/**
 * The windows of strings read joined that a token glued to the strings
 * around it is read in (`["x", "AKIA", "KZ7X…", "y"]`: `xAKIAKZ7X…y` holds
 * no key id, the window `AKIAKZ7X…` does), opened only where a token may
 * start. Pure.
 *
 * @example
 * ```ts
 * const text = ["x", "AKIA", "KZ7XQ2MNPL", "RSTUVW", "y"].join("");
 * tokenStarts(text, DETECTORS); // [1]
 * ```
 */
import type { DetectorSpec } from "./detector_spec.ts";

/**
 * The fewest characters a run of strings holds to be read joined, and a
 * window between two places: no secret's shape is shorter.
 */
export const MIN_JOINED_CHARS = 16;

/** The most characters a window read from a piece's start, or up to a piece's end, holds. */
const WINDOW_CHARS = 160;

/** Whether `code` may stand next to a token and hide its edge: a letter, a digit, `_ . -`. */
function glue(code: number): boolean {
  return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122) ||
    code === 95 || code === 46 || code === 45;
}

/**
 * The most characters a window between two such places holds: a token of
 * fixed length's (a SendGrid key's 69 among them).
 */
const BETWEEN_CHARS = 100;

/**
 * Where in `text` a match of `specs` may start: each place one of their
 * {@linkcode DetectorSpec.starts} begins (`ghp_`, `AKIA`, `xoxb-`, …), in
 * order, the pieces' edges aside (`["AK", "IA…"]` starts a key id).
 */
export function tokenStarts(text: string, specs: readonly DetectorSpec[]): number[] {
  const out: number[] = [];
  for (const d of specs) {
    for (const start of d.starts ?? []) {
      for (let at = text.indexOf(start); at !== -1; at = text.indexOf(start, at + 1)) out.push(at);
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * Reads with `read` the parts of `text`, `pieces` joined, that a token glued
 * to the pieces around it is read in, until `read` returns `false` (its
 * budget ran out). Only where a token may start (`starts`, see
 * {@linkcode tokenStarts}), so an array of words, letters or hex bytes opens
 * none: where one piece ends and the next starts with characters a token's
 * edge cannot follow or precede (`["x", "ghp_ZRwY…", "6e5B…"]`: `xghp_…` is
 * no token), the text from the later piece's start when a token may start
 * there, and the text up to the earlier piece's end when one may start in
 * it, {@linkcode WINDOW_CHARS} characters of it at most, each when it holds
 * 2 pieces or more. A token glued on both sides (`["x", "AKIA", "KZ7X…",
 * "y"]`: one of variable length reads on into the glue, one of fixed length
 * does not) is read between such a place where a token may start and each
 * later one, {@linkcode MIN_JOINED_CHARS} to {@linkcode BETWEEN_CHARS}
 * characters apart with 2 pieces or more between them. Every place is
 * looked at, however many come before it.
 */
export function readGlued(
  pieces: readonly string[],
  text: string,
  starts: readonly number[],
  read: (window: string, between: boolean) => boolean,
) {
  if (pieces.length < 3 || starts.length === 0) return;
  // The places found so far where a token may start (each a piece's start), for the windows
  // between two places.
  const places: number[] = [];
  const pieceAt: number[] = [];
  // The first token start not before the window up to the current place.
  let next = 0;
  let at = 0;
  for (let i = 0; i < pieces.length - 1; i++) {
    at += pieces[i]!.length;
    if (!glue(text.charCodeAt(at - 1)) || !glue(text.charCodeAt(at))) continue;
    while (next < starts.length && starts[next]! < at - WINDOW_CHARS) next++;
    let startsHere = false;
    for (let k = next; k < starts.length && starts[k]! <= at; k++) {
      if (starts[k] === at) startsHere = true;
    }
    // A window within one piece reads nothing that piece alone was not read for.
    if (
      startsHere && i + 1 <= pieces.length - 2 && pieces[i + 1]!.length < WINDOW_CHARS &&
      !read(text.slice(at, at + WINDOW_CHARS), false)
    ) return;
    if (
      next < starts.length && starts[next]! < at && i >= 1 &&
      pieces[i]!.length < WINDOW_CHARS &&
      !read(text.slice(Math.max(0, at - WINDOW_CHARS), at), false)
    ) return;
    for (let k = places.length - 1; k >= 0; k--) {
      const from = places[k]!;
      if (at - from > BETWEEN_CHARS) break;
      if (at - from < MIN_JOINED_CHARS || i + 1 - pieceAt[k]! < 2) continue;
      if (!read(text.slice(from, at), true)) return;
    }
    if (startsHere) {
      places.push(at);
      pieceAt.push(i + 1);
    }
  }
}
