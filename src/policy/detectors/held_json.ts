/**
 * The values a string holds as JSON or JSONC, or as name/value pairs in
 * YAML or JSON5 text, as the scan reads them ({@linkcode heldJson}). Pure.
 *
 * @example
 * ```ts
 * heldJson('{"ssn": "078051120"}'); // [{ ssn: "078051120" }]
 * heldJson("```json\n[1, 2]\n```"); // [[1, 2]]
 * heldJson("plain text"); // undefined
 * ```
 */
import { heldPairs } from "./held_pairs.ts";
import { readStrictJsonc } from "../../config/strict_jsonc.ts";
import { parsePythonJson } from "../python_json.ts";

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xfeff]);

/**
 * The values a string holds as JSON or JSONC (a file's content, a record
 * passed as text), read so that their keys label their values as they would in the
 * arguments themselves: the object or array it holds (after a byte order
 * mark, or inside a Markdown code fence), or each line of one object or
 * array per line (NDJSON); else the name/value pairs it writes in YAML or
 * JSON5 ({@linkcode heldPairs}); undefined for any other string.
 */
export function heldJson(text: string): unknown[] | undefined {
  if (text.length < 7) return undefined;
  const whole = parsedContainer(text);
  if (whole !== undefined) return [whole];
  const fenced = FENCED.exec(text);
  if (fenced !== null) {
    const inner = parsedContainer(fenced[1]!);
    if (inner !== undefined) return [inner];
  }
  // One record per line starts with one.
  const opens = text.charCodeAt(skipSpace(text));
  if ((opens === 0x7b || opens === 0x5b) && text.includes("\n")) {
    const lines: unknown[] = [];
    for (const line of text.split("\n")) {
      const one = parsedContainer(line);
      if (one !== undefined) lines.push(one);
    }
    if (lines.length > 0) return lines;
  }
  return heldPairs(text);
}

/** A Markdown code fence around a text (```json … ```). */
const FENCED = /^\s{0,8}```[A-Za-z0-9_-]{0,16}[ \t]*\r?\n([^]*)\n[ \t]*```\s{0,8}$/;

/** The object or array `text` is, white space and a byte order mark around it allowed. */
function parsedContainer(text: string): object | undefined {
  const start = skipSpace(text);
  let end = text.length - 1;
  while (end > start && WHITESPACE.has(text.charCodeAt(end))) end--;
  const open = text.charCodeAt(start);
  const close = text.charCodeAt(end);
  if (!((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d))) return undefined;
  const body = text.slice(start, end + 1);
  let held: unknown;
  try {
    // As Python's json.loads reads it too (NaN, Infinity), as a Python server would.
    held = parsePythonJson(body);
  } catch {
    // JSONC, as configuration files are written: comments and trailing commas.
    held = readStrictJsonc(body)?.value;
  }
  return held !== null && typeof held === "object" ? held : undefined;
}

/** Where `text` starts once its white space and byte order mark are passed. */
function skipSpace(text: string): number {
  let at = 0;
  while (at < text.length && WHITESPACE.has(text.charCodeAt(at))) at++;
  return at;
}
