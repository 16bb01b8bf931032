/**
 * `LinesFromEnd` reads a file's lines from its end backwards and finds the
 * lines `splitLogLines` finds reading forwards, whatever the chunk size:
 * lines cut across chunks, UTF-8 characters of two to four bytes cut between
 * them, empty lines, a first line with no newline before it, and the bytes
 * after the last newline (a line still being written), which are no line.
 */
import assert from "node:assert/strict";
import { LinesFromEnd } from "../../src/audit/lines_from_end.ts";
import { type LogLine, splitLogLines } from "../../src/audit/read_records.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Every line of `bytes` read backwards `chunkBytes` at a time, in file order, and where the last ends. */
function readBackwards(
  bytes: Uint8Array,
  chunkBytes: number,
): { lines: string[]; end: number | undefined } {
  const split = new LinesFromEnd();
  const newestFirst: Uint8Array[] = [];
  for (let at = bytes.length; at > 0; at = Math.max(0, at - chunkBytes)) {
    const start = Math.max(0, at - chunkBytes);
    // A copy, as a file read gives: views of it must not see the next chunk.
    newestFirst.push(...split.push(bytes.slice(start, at), start));
  }
  const first = split.finish();
  if (first !== undefined) newestFirst.push(first);
  // Decoded only whole: a character cut by a chunk boundary must be whole here.
  return { lines: newestFirst.reverse().map((l) => decoder.decode(l)), end: split.end };
}

/** What reading forwards finds: the lines, and where the last ends (undefined for none). */
function readForwards(bytes: Uint8Array): { lines: string[]; end: number | undefined } {
  const out: LogLine[] = [];
  const used = splitLogLines("seg", bytes, out);
  return { lines: out.map((l) => decoder.decode(l.bytes)), end: out.length > 0 ? used : undefined };
}

Deno.test("LinesFromEnd finds the lines splitLogLines finds, for every chunk size", () => {
  const texts = [
    "",
    "\n",
    "\n\n",
    "no newline at all",
    "one\n",
    "\nafter an empty first line\n",
    'a\n{"k":"é✓😀"}\npartial é',
    "é\n✓\n😀\n\n😀😀✓é\n",
    "line\n🙂 still being writ",
    "x".repeat(50) + "\n" + "y".repeat(3) + "\n",
  ];
  for (const text of texts) {
    const bytes = encoder.encode(text);
    const want = readForwards(bytes);
    for (let chunkBytes = 1; chunkBytes <= bytes.length + 1; chunkBytes++) {
      assert.deepEqual(
        readBackwards(bytes, chunkBytes),
        want,
        `${JSON.stringify(text)} by ${chunkBytes}`,
      );
    }
  }
});

Deno.test("LinesFromEnd agrees with splitLogLines on generated texts of multibyte characters and newlines", () => {
  const pieces = ["\n", "\n", "a", "é", "✓", "😀", "{}", "\n\n"];
  // A fixed sequence (no Math.random): the same texts every run.
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  for (let t = 0; t < 200; t++) {
    let text = "";
    for (let n = next(30); n > 0; n--) text += pieces[next(pieces.length)];
    const bytes = encoder.encode(text);
    const want = readForwards(bytes);
    for (const chunkBytes of [1, 2, 3, 5, 8, 13]) {
      assert.deepEqual(
        readBackwards(bytes, chunkBytes),
        want,
        `${JSON.stringify(text)} by ${chunkBytes}`,
      );
    }
  }
});

Deno.test("LinesFromEnd keeps no byte after the last newline and notes where the last line ends", () => {
  const split = new LinesFromEnd();
  // "a\nbc\npart" read from its end: "part" is a line still being written.
  const bytes = encoder.encode("a\nbc\npart");
  assert.deepEqual(split.push(bytes.slice(2), 2), []);
  assert.equal(split.end, 5);
  assert.deepEqual(split.push(bytes.slice(0, 2), 0).map((l) => decoder.decode(l)), ["bc"]);
  assert.equal(decoder.decode(split.finish()), "a");
});
