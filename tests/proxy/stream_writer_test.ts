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

/** A file-like sink taking at most `max` bytes per call, failing once `failAfter` calls were made. */
function syncSink(max: number, failAfter = Infinity) {
  const bytes: number[] = [];
  const errors: unknown[] = [];
  let calls = 0;
  let closed = false;
  const sink = {
    writeSync(chunk: Uint8Array): number {
      if (++calls > failAfter) throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
      const taken = chunk.subarray(0, max);
      bytes.push(...taken);
      return taken.length;
    },
    close() {
      closed = true;
    },
  };
  const writer = new StreamWriter(sink, (error) => errors.push(error));
  return { bytes, errors, writer, calls: () => calls, closed: () => closed };
}

Deno.test("StreamWriter over a sync sink writes at once, finishing partial writes in order", async () => {
  const s = syncSink(3);
  s.writer.write(new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
  assert.deepEqual(s.bytes, [1, 2, 3, 4, 5, 6, 7], "written before write() returned");
  s.writer.cork();
  s.writer.write(new Uint8Array([8]));
  s.writer.write(new Uint8Array([9]));
  assert.equal(s.bytes.length, 7, "held while corked");
  s.writer.uncork();
  assert.deepEqual(s.bytes.slice(7), [8, 9]);
  assert.equal(s.calls(), 4, "3 + 3 + 1 bytes, then the joined pair in one call");
  await s.writer.ready();
  await s.writer.close();
  assert.ok(s.closed(), "close() closes the sink");
  assert.deepEqual(s.errors, []);
});

Deno.test("StreamWriter over a sync sink reports a broken pipe once and drops later writes", () => {
  const s = syncSink(1024, 1);
  s.writer.write(new Uint8Array([1]));
  s.writer.write(new Uint8Array([2]));
  s.writer.write(new Uint8Array([3]));
  assert.deepEqual(s.bytes, [1]);
  assert.equal(s.errors.length, 1);
  assert.ok(s.errors[0] instanceof Deno.errors.BrokenPipe);
  assert.ok(s.writer.failed);
  assert.equal(s.calls(), 2, "no write is tried after the failure");
});

Deno.test("StreamWriter over a sync sink fails, not spins, when the sink takes no bytes", () => {
  const s = syncSink(0);
  s.writer.write(new Uint8Array([1, 2]));
  assert.equal(s.errors.length, 1);
  assert.match(String(s.errors[0]), /accepted no bytes/);
});
