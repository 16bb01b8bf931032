import assert from "node:assert/strict";
import { StreamWriter } from "../../src/proxy/stream_writer.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("StreamWriter hands every write it did not make to onDropped, saying why", async () => {
  let calls = 0;
  const sink = {
    writeSync(chunk: Uint8Array): number {
      if (++calls > 1) throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
      return Math.min(chunk.length, 2);
    },
  };
  const dropped: [string, string][] = [];
  const errors: unknown[] = [];
  const writer = new StreamWriter(
    sink,
    (error) => errors.push(error),
    (bytes, why) => dropped.push([dec.decode(bytes), why]),
  );
  writer.write(enc.encode("abcd\n")); // 2 bytes go, then the pipe breaks
  writer.write(enc.encode("efg\n"));
  assert.deepEqual(dropped, [["cd\n", "failed"], ["efg\n", "failed"]]);
  assert.equal(errors.length, 1, "the failure itself is reported once");

  const chunks: string[] = [];
  const open = new StreamWriter(
    new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(dec.decode(chunk)) }),
    () => assert.fail("no failure"),
    (bytes, why) => dropped.push([dec.decode(bytes), why]),
  );
  open.write(enc.encode("kept\n"));
  await open.close();
  open.write(enc.encode("late\n"));
  assert.deepEqual(chunks, ["kept\n"]);
  assert.deepEqual(dropped.at(-1), ["late\n", "closed"]);
});

Deno.test("StreamWriter reports the writes queued when its stream fails", async () => {
  const dropped: string[] = [];
  let fail: (error: Error) => void = () => {};
  const stream = new WritableStream<Uint8Array>({
    write: () => new Promise<void>((_, reject) => fail = reject),
  });
  const errors: unknown[] = [];
  const writer = new StreamWriter(
    stream,
    (error) => errors.push(error),
    (bytes) => dropped.push(dec.decode(bytes)),
  );
  writer.write(enc.encode("one\n"));
  writer.write(enc.encode("two\n"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  fail(new Deno.errors.BrokenPipe("Broken pipe"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  writer.write(enc.encode("three\n"));
  assert.deepEqual(dropped.sort(), ["one\n", "three\n", "two\n"]);
  assert.equal(errors.length, 1);
});

Deno.test("StreamWriter.endLine() ends a line written without its newline, and only then", async () => {
  const chunks: string[] = [];
  const writer = new StreamWriter(
    new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(dec.decode(chunk)) }),
    () => assert.fail("no failure"),
  );
  writer.endLine();
  assert.equal(writer.endsLine, true, "nothing written is a finished line");
  writer.write(enc.encode('{"id":1}\n'));
  writer.endLine();
  writer.write(enc.encode('{"id":2}'));
  assert.equal(writer.endsLine, false);
  writer.endLine();
  writer.endLine();
  writer.write(enc.encode('{"id":3}\n'));
  await writer.close();
  assert.equal(chunks.join(""), '{"id":1}\n{"id":2}\n{"id":3}\n');
});
