import assert from "node:assert/strict";
import {
  LineDecoder,
  OVERSIZE_WINDOW,
  type OversizeLine,
} from "../../src/protocol/line_decoder.ts";
import { joinParts } from "../../src/protocol/byte_parts.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function collect(max: number) {
  const lines: string[] = [];
  const oversize: OversizeLine[] = [];
  const decoder = new LineDecoder(max, {
    line: (b) => lines.push(dec.decode(b)),
    oversize: (i) => oversize.push(i),
  });
  return { decoder, lines, oversize };
}

Deno.test("LineDecoder keeps each line's terminator, LF or CRLF", () => {
  const c = collect(100);
  c.decoder.push(enc.encode('{"a":1}\n{"b":2}\r\n'));
  assert.deepEqual(c.lines, ['{"a":1}\n', '{"b":2}\r\n']);
});

Deno.test("LineDecoder reassembles a line split across many chunks, byte by byte", () => {
  const c = collect(1000);
  const text = '{"text":"héllo ✓ 🎉"}\n{"next":true}\n';
  for (const byte of enc.encode(text)) c.decoder.push(new Uint8Array([byte]));
  assert.deepEqual(c.lines, ['{"text":"héllo ✓ 🎉"}\n', '{"next":true}\n']);
});

Deno.test("LineDecoder delivers an unterminated last line at end()", () => {
  const c = collect(100);
  c.decoder.push(enc.encode('{"a":1}\n{"tail":'));
  c.decoder.push(enc.encode("true}"));
  assert.deepEqual(c.lines, ['{"a":1}\n']);
  c.decoder.end();
  assert.deepEqual(c.lines, ['{"a":1}\n', '{"tail":true}']);
});

Deno.test("LineDecoder allows a line of exactly the cap and drops one byte more", () => {
  const c = collect(10);
  c.decoder.push(enc.encode("0123456789\r\n01234567890\n"));
  assert.deepEqual(c.lines, ["0123456789\r\n"]);
  assert.equal(c.oversize.length, 1);
  assert.equal(c.oversize[0]?.size, 11);
});

Deno.test("LineDecoder never holds more than the cap of an endless line, and keeps its ends", () => {
  const max = 64 * 1024;
  const c = collect(max);
  c.decoder.push(enc.encode('{"id":17,"result":"'));
  const chunk = enc.encode("y".repeat(16 * 1024));
  let peak = 0;
  for (let i = 0; i < 200; i++) {
    c.decoder.push(chunk);
    peak = Math.max(peak, c.decoder.buffered);
  }
  c.decoder.push(enc.encode('","end":1}\r\n{"ok":1}\n'));
  assert.ok(peak <= max + 2 * OVERSIZE_WINDOW, `held ${peak} bytes`);
  assert.equal(c.oversize.length, 1);
  const info = c.oversize[0]!;
  assert.equal(info.size, 19 + 200 * 16 * 1024 + 10);
  assert.ok(dec.decode(info.head).startsWith('{"id":17,'));
  assert.ok(dec.decode(info.tail).endsWith('","end":1}'), "the tail excludes the CRLF");
  assert.deepEqual(c.lines, ['{"ok":1}\n'], "framing recovers on the next line");
});

Deno.test("LineDecoder rejects a cap that is not a positive integer", () => {
  assert.throws(() => new LineDecoder(0, { line() {}, oversize() {} }), RangeError);
});

/** Everything a decoder reports, as text, with parts joined: two decoders can be compared. */
function recorder(max: number, partsFrom?: number) {
  const events: string[] = [];
  const partCounts: number[] = [];
  const sink = {
    line: (b: Uint8Array) => events.push(`line ${dec.decode(b)}`),
    oversize: (i: OversizeLine) =>
      events.push(`over ${i.size} ${dec.decode(i.head)} ${dec.decode(i.tail)}`),
  };
  const decoder = partsFrom === undefined ? new LineDecoder(max, sink) : new LineDecoder(max, {
    ...sink,
    lineParts: (parts) => {
      partCounts.push(parts.length);
      events.push(`line ${dec.decode(joinParts(parts))}`);
    },
  }, partsFrom);
  return { decoder, events, partCounts };
}

Deno.test("LineDecoder hands a long line that came in chunks to lineParts, unjoined", () => {
  const r = recorder(1000, 32);
  const chunks: Uint8Array[] = [];
  const long = enc.encode(`{"result":"${"z".repeat(80)}"}\n`);
  for (let i = 0; i < long.length; i += 15) chunks.push(long.slice(i, i + 15));
  r.decoder.push(enc.encode('{"short":1}\n{"a":'));
  r.decoder.push(enc.encode('"b"}\n'));
  for (const chunk of chunks) r.decoder.push(chunk);
  r.decoder.push(long.slice());
  assert.deepEqual(r.events, [
    'line {"short":1}\n',
    'line {"a":"b"}\n',
    `line ${dec.decode(long)}`,
    `line ${dec.decode(long)}`,
  ]);
  assert.deepEqual(r.partCounts, [chunks.length], "only the long line in chunks came as parts");
});

Deno.test("LineDecoder reports the same lines and drops with parts as without, for any chunking", () => {
  let state = 11;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const max = 60;
  for (let round = 0; round < 400; round++) {
    let text = "";
    const count = 1 + Math.floor(next() * 5);
    for (let i = 0; i < count; i++) {
      const size = Math.floor(next() * 90);
      text += "x".repeat(size) + (next() < 0.5 ? "\r\n" : "\n");
    }
    if (next() < 0.3) text += "y".repeat(Math.floor(next() * 90));
    const bytes = enc.encode(text);
    const plain = recorder(max);
    const parted = recorder(max, 1 + Math.floor(next() * 40));
    let offset = 0;
    while (offset < bytes.length) {
      const size = 1 + Math.floor(next() * 20);
      const chunk = bytes.slice(offset, offset + size);
      plain.decoder.push(chunk);
      parted.decoder.push(chunk.slice());
      offset += size;
    }
    plain.decoder.end();
    parted.decoder.end();
    assert.deepEqual(parted.events, plain.events, `round ${round}: ${JSON.stringify(text)}`);
  }
});

Deno.test("LineDecoder counts a CRLF split across chunks once when a long line is handed over in parts", () => {
  const r = recorder(50, 10);
  r.decoder.push(enc.encode("a".repeat(30)));
  r.decoder.push(enc.encode("b".repeat(20) + "\r"));
  r.decoder.push(enc.encode("\n"));
  r.decoder.push(enc.encode("c".repeat(30)));
  r.decoder.push(enc.encode("d".repeat(21) + "\r"));
  r.decoder.push(enc.encode("\n"));
  assert.deepEqual(r.events, [
    `line ${"a".repeat(30)}${"b".repeat(20)}\r\n`,
    `over 51 ${"c".repeat(30)}${"d".repeat(21)} ${"c".repeat(30)}${"d".repeat(21)}`,
  ]);
  assert.deepEqual(r.partCounts, [3]);
});
