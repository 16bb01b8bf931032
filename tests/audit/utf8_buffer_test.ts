import assert from "node:assert/strict";
import { Utf8Buffer } from "../../src/audit/utf8_buffer.ts";

Deno.test("Utf8Buffer appends UTF-8 and returns a view of exactly each text", () => {
  const buffer = new Utf8Buffer(4);
  const texts = ["plain", "é and ü", "𝄞 clef", "", "x".repeat(5000)];
  const views = texts.map((text) => new TextDecoder().decode(buffer.append(text).slice()));
  assert.deepEqual(views, texts);
  const all = new TextDecoder().decode(buffer.bytes());
  assert.equal(all, texts.join(""));
  assert.equal(buffer.length, new TextEncoder().encode(texts.join("")).length);
});

Deno.test("Utf8Buffer.clear() forgets the contents and keeps a bounded allocation", () => {
  const buffer = new Utf8Buffer(8);
  buffer.append("a".repeat(100));
  buffer.clear(16);
  assert.equal(buffer.length, 0);
  assert.equal(new TextDecoder().decode(buffer.append("ok")), "ok");
  assert.equal(new TextDecoder().decode(buffer.bytes()), "ok");
});
