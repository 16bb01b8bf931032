import assert from "node:assert/strict";
import {
  firstBytes,
  joinParts,
  lastBytes,
  partsLength,
  terminatorLength,
} from "../../src/protocol/byte_parts.ts";

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Cuts `bytes` into pieces of random sizes, empty pieces included. */
function split(bytes: Uint8Array, next: () => number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const size = Math.floor(next() * 9);
    parts.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  if (next() < 0.3) parts.push(new Uint8Array(0));
  return parts;
}

Deno.test("byte parts answer like the joined bytes for every split and window", () => {
  const next = random(7);
  for (let round = 0; round < 300; round++) {
    const bytes = Uint8Array.from({ length: Math.floor(next() * 40) }, () => next() * 256);
    const parts = split(bytes, next);
    assert.equal(partsLength(parts), bytes.length);
    assert.deepEqual(joinParts(parts.length === 0 ? [new Uint8Array(0)] : parts), bytes);
    for (let n = 0; n <= bytes.length + 2; n++) {
      assert.deepEqual(firstBytes(parts, n), bytes.subarray(0, Math.min(n, bytes.length)));
      assert.deepEqual(lastBytes(parts, n), bytes.subarray(Math.max(0, bytes.length - n)));
    }
  }
});

Deno.test("byte parts copy nothing when one part answers", () => {
  const one = new Uint8Array([1, 2, 3, 4, 5]);
  const parts = [one, new Uint8Array([6, 7])];
  assert.equal(firstBytes(parts, 3).buffer, one.buffer, "the head is a view of the first part");
  assert.equal(lastBytes([new Uint8Array([9]), one], 2).buffer, one.buffer);
  assert.equal(joinParts([one]), one);
});

Deno.test("terminatorLength() finds LF or CRLF however the line was cut", () => {
  const cases: [string, number][] = [["a\r\n", 2], ["a\n", 1], ["\n", 1], ["a\r", 0], ["a", 0], [
    "",
    0,
  ]];
  const enc = new TextEncoder();
  for (const [text, expected] of cases) {
    const bytes = enc.encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const parts = [bytes.slice(0, cut), bytes.slice(cut), new Uint8Array(0)].slice(
        0,
        cut % 2 + 2,
      );
      assert.equal(terminatorLength(parts), expected, `${JSON.stringify(text)} cut at ${cut}`);
    }
  }
});
