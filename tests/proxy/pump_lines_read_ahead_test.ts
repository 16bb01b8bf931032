/**
 * pumpLines() while the writer its lines go to is blocked (a peer that
 * stopped reading): the end of the input is still seen, reading ahead stops
 * at its bound, and a long wait is reported.
 */
import assert from "node:assert/strict";
import { pumpLines, READ_AHEAD_BYTES } from "../../src/proxy/pump_lines.ts";
import { StreamWriter } from "../../src/proxy/stream_writer.ts";

const enc = new TextEncoder();

/** A writer whose peer never takes a write: the first one waits for good. */
function stuckWriter(): StreamWriter {
  const stuck = new WritableStream<Uint8Array>({ write: () => new Promise<void>(() => {}) });
  return new StreamWriter(stuck, () => {});
}

/** A source the test feeds; `pulled` counts the bytes the pump took. */
function source() {
  const chunks: Uint8Array[] = [];
  let pulled = 0;
  let ended = false;
  let wake: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (chunks.length === 0 && !ended) await new Promise<void>((r) => wake = r);
      const chunk = chunks.shift();
      if (chunk === undefined) {
        controller.close();
        return;
      }
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return {
    stream,
    pulled: () => pulled,
    push(text: string) {
      chunks.push(enc.encode(text));
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
  };
}

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("pumpLines() sees the end of its input while its writer is blocked", async () => {
  const input = source();
  const out = stuckWriter();
  let ended = false;
  const pump = pumpLines(
    input.stream,
    1024 * 1024,
    { line: (line) => out.write(line), oversize: () => {} },
    out,
    [out],
    { ended: () => ended = true },
  );
  input.push("one\ntwo\n");
  await tick();
  assert.ok(out.blocked, "the writer is blocked");
  input.push("three\n");
  input.end();
  const finished = await Promise.race([pump.done.then(() => true), tick(2000).then(() => false)]);
  assert.ok(finished, "the pump ended at the end of its input");
  assert.ok(ended);
});

Deno.test("pumpLines() reads no more than its bound ahead of a blocked writer, and says it waits", async () => {
  const input = source();
  const out = stuckWriter();
  const stalls: number[] = [];
  const pump = pumpLines(
    input.stream,
    1024 * 1024,
    { line: (line) => out.write(line), oversize: () => {} },
    out,
    [out],
    { stalled: (ms) => stalls.push(ms), stalledMs: 100 },
  );
  const line = "x".repeat(64 * 1024 - 1) + "\n";
  for (let i = 0; i < 64; i++) input.push(line);
  await tick(300);
  // The first chunk went to the writer; then the bound, then one read more at most.
  assert.ok(input.pulled() >= READ_AHEAD_BYTES, `read ahead ${input.pulled()} bytes`);
  assert.ok(
    input.pulled() <= READ_AHEAD_BYTES + 2 * line.length,
    `read ${input.pulled()} bytes ahead of a blocked writer`,
  );
  assert.deepEqual(stalls, [100], "one note for one long wait");
  // Giving the writes up ends the wait.
  out.abandon(new Error("the test gives up"));
  pump.cancel();
  await pump.done;
});
