import assert from "node:assert/strict";
import {
  LineDecoder,
  OVERSIZE_WINDOW,
  type OversizeLine,
} from "../../src/protocol/line_decoder.ts";

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
