/**
 * The text of the lines a `RelaySession` (`relay_session.ts`) reads and
 * writes: decoding a line's bytes (strictly, piece by piece, or lossily for
 * a fragment), parsing it with its long integers kept, the spans of a
 * batch's elements as written, a progress notification's shifted text,
 * a value or an error as a note shows it, and sizes in words. Pure.
 *
 * @example
 * ```ts
 * decodeLine(new TextEncoder().encode('{"id":1}')); // '{"id":1}'
 * formatBytes(64 * 1024 * 1024); // "64 MiB"
 * ```
 */
import { type FragmentFacts, readFragments } from "../protocol/message_fragments.ts";
import { OVERSIZE_WINDOW, type OversizeLine } from "../protocol/line_decoder.ts";
import { mayHoldLongInteger, parseExactIntegers } from "../protocol/exact_integers.ts";
import { firstBytes, lastBytes, partsLength } from "../protocol/byte_parts.ts";
import { isPlainObject } from "../protocol/mcp_shapes.ts";
import { keyMentions } from "../protocol/id_key_mentions.ts";

/** Decodes a line that must be UTF-8: a byte that is not throws. */
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes bytes that may not be UTF-8 (a fragment, a cut line), replacing what is not. */
export const lossy = new TextDecoder();

/** Decodes a line whose bytes are spliced back together: a leading BOM is kept, not dropped. */
export const bomKeeping = new TextDecoder("utf-8", { ignoreBOM: true });

/** Encodes the lines thoth writes. */
export const encoder = new TextEncoder();

/** A value a peer chose, for a note: as JSON, escapes and all, at most 80 characters. */
export function shownText(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
}

/** What an error says: its message, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A line's text; undefined when it is not UTF-8. */
export function decodeLine(line: Uint8Array): string | undefined {
  try {
    return decoder.decode(line);
  } catch {
    return undefined;
  }
}

/** {@linkcode decodeLine} of the pieces of one line, decoded piece by piece. */
export function decodeParts(parts: readonly Uint8Array[]): string | undefined {
  const streaming = new TextDecoder("utf-8", { fatal: true });
  try {
    let text = "";
    for (const part of parts) text += streaming.decode(part, { stream: true });
    return text + streaming.decode();
  } catch {
    return undefined;
  }
}

/**
 * A line's value with its long integers' digits kept; undefined when the
 * second parse fails (nesting too deep for a reviver): the detectors then
 * see the plain numbers, and report the scan incomplete where digits may be lost.
 */
export function exactLine(
  value: unknown,
  text: string,
): { value: unknown; exact: unknown } | undefined {
  try {
    return { value, exact: parseExactIntegers(text) };
  } catch {
    return undefined;
  }
}

/** The JSON value of a line's text; undefined when it is not JSON. */
export function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a line's bytes may hold an `id` or `method` key (see
 * `id_key_mentions.ts`, which errs high): a message cut short or a batch,
 * never only a log line.
 */
export function showsMessageKeys(line: Uint8Array): boolean {
  const mentions = keyMentions([line]);
  return mentions.id > 0 || mentions.method > 0;
}

/**
 * The text of each of the `count` elements of the JSON array in `text`, as
 * written; undefined when they cannot be told apart (see `arrayItemSpans`).
 */
export function itemTexts(text: string, count: number): string[] | undefined {
  const spans = arrayItemSpans(text);
  if (spans === undefined || spans.length !== count) return undefined;
  return spans.map(([start, end]) => text.slice(start, end));
}

/** Where the JSON value in a line's text starts and ends (without the whitespace and terminator). */
export function valueSpan(text: string): [number, number] {
  return [text.length - text.trimStart().length, text.trimEnd().length];
}

/**
 * Where each element of the JSON array in `text` (text that parses) starts
 * and ends; undefined when it is not an array.
 */
export function arrayItemSpans(text: string): [number, number][] | undefined {
  let at = valueSpan(text)[0];
  if (text[at] !== "[") return undefined;
  const spans: [number, number][] = [];
  let depth = 0;
  let start = -1;
  let end = -1;
  for (at++; at < text.length; at++) {
    const c = text[at]!;
    if (c === '"') {
      if (start < 0) start = at;
      for (at++; at < text.length && text[at] !== '"'; at++) if (text[at] === "\\") at++;
      end = at + 1;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r") continue;
    if (depth === 0 && (c === "," || c === "]")) {
      if (start >= 0) spans.push([start, end]);
      start = -1;
      if (c === "]") return spans;
      continue;
    }
    if (start < 0) start = at;
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    end = at + 1;
  }
  return undefined;
}

/**
 * A progress notification's text with `offset` added to its `progress` (and
 * `total`), every long integer in it kept digit for digit; undefined when
 * its progress is no plain number (an integer past 2^53 stays untouched).
 */
export function shiftedProgressText(text: string, offset: number): string | undefined {
  let value: unknown;
  try {
    value = mayHoldLongInteger(text) ? parseExactIntegers(text) : JSON.parse(text);
  } catch {
    return undefined;
  }
  const params = isPlainObject(value) ? value["params"] : undefined;
  if (!isPlainObject(params) || typeof params["progress"] !== "number") return undefined;
  const shifted: Record<string, unknown> = { ...params, progress: params["progress"] + offset };
  if (typeof params["total"] === "number") shifted["total"] = params["total"] + offset;
  return JSON.stringify({ ...(value as Record<string, unknown>), params: shifted });
}

/**
 * What the first and last bytes of a line that is not JSON (`NaN` where a
 * number goes, a comment, a stray comma, a byte that is not UTF-8) show:
 * its id, and whether it is a request; whoever waits for it then gets an
 * answer instead of waiting for one that never comes.
 */
export function fragmentsOf(
  bytes: readonly Uint8Array[],
): FragmentFacts & { mentionsMethod: boolean } {
  const length = partsLength(bytes);
  const window = Math.min(OVERSIZE_WINDOW, length);
  const head = lossy.decode(firstBytes(bytes, window));
  const tail = lossy.decode(lastBytes(bytes, window));
  return {
    ...readFragments(head, tail),
    mentionsMethod: /"method"\s*:/.test(head) || /"method"\s*:/.test(tail),
  };
}

/** What the first and last bytes kept of a line past the size cap show (see `fragmentsOf`). */
export function fragmentsOfOversize(info: OversizeLine): FragmentFacts {
  return readFragments(lossy.decode(info.head), lossy.decode(info.tail));
}

/** "64 MiB", "512 KiB", "100 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
