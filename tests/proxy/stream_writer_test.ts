import assert from "node:assert/strict";
import { StreamWriter } from "../../src/proxy/stream_writer.ts";

/** A writable stream that keeps every chunk it is given, as given. */
function sink() {
  const chunks: Uint8Array[] = [];
  const stream = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
  return { chunks, writer: new StreamWriter(stream, (error) => assert.fail(String(error))) };
}

Deno.test("StreamWriter sends the lines of one chunk as one write, without copying", async () => {
  const s = sink();
  const chunk = new TextEncoder().encode('{"a":1}\n{"b":2}\n');
  s.writer.cork();
  s.writer.write(chunk.subarray(0, 8));
  s.writer.write(chunk.subarray(8));
  s.writer.uncork();
  await s.writer.close();
  assert.equal(s.chunks.length, 1);
  assert.equal(s.chunks[0]!.buffer, chunk.buffer, "a view of the chunk, not a copy");
  assert.deepEqual(s.chunks[0], chunk);
});

Deno.test("StreamWriter joins small held writes from different buffers into one", async () => {
  const s = sink();
  s.writer.cork();
  s.writer.write(new Uint8Array([1, 2]));
  s.writer.write(new Uint8Array([3]));
  s.writer.uncork();
  await s.writer.close();
  assert.deepEqual(s.chunks, [new Uint8Array([1, 2, 3])]);
});

Deno.test("StreamWriter sends the held pieces of a long line one by one, in order, uncopied", async () => {
  const s = sink();
  const pieces = Array.from({ length: 6 }, (_, i) => new Uint8Array(64 * 1024).fill(i));
  s.writer.cork();
  for (const piece of pieces) s.writer.write(piece);
  s.writer.uncork();
  await s.writer.close();
  assert.equal(s.chunks.length, pieces.length);
  pieces.forEach((piece, i) => assert.equal(s.chunks[i], piece, `piece ${i} as it was`));
});
