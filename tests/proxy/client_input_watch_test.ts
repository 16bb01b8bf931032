/**
 * ClientInputWatch reads the client's input while the session does not relay
 * yet: it hears the input end at once, keeps what it read within its bound,
 * and hands the input on unchanged (what it read first, then the rest).
 * stoppedWaitPlan answers each request read before a stop, names no path to
 * the client, and exits as the stop says.
 */
import assert from "node:assert/strict";
import { ClientInputWatch } from "../../src/proxy/client_input_watch.ts";
import { stoppedWaitPlan } from "../../src/proxy/stopped_lock_wait.ts";
import { AppError } from "../../src/errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A stream the test writes to, chunk by chunk. */
function pipe() {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  return { readable, writer: writable.getWriter() };
}

async function all(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += dec.decode(chunk, { stream: true });
  return text;
}

/** Lets the watch take what was written. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

Deno.test("ClientInputWatch hands on what it read, then the rest, in order", async () => {
  const { readable, writer } = pipe();
  const watch = new ClientInputWatch(readable);
  await writer.write(enc.encode("one\n"));
  await writer.write(enc.encode("two\n"));
  await tick();
  assert.equal(dec.decode(watch.read().chunks[0]), "one\n");
  assert.equal(watch.ended.aborted, false);
  const stream = watch.stream();
  const text = all(stream);
  await writer.write(enc.encode("three\n"));
  await writer.close();
  assert.equal(await text, "one\ntwo\nthree\n");
});

Deno.test("ClientInputWatch hears the input end while it watches", async () => {
  const { readable, writer } = pipe();
  const watch = new ClientInputWatch(readable);
  await writer.write(enc.encode('{"jsonrpc":"2.0","id":1,"method":"ping"}'));
  await writer.close();
  await tick();
  assert.equal(watch.ended.aborted, true);
  assert.equal(watch.read().ended, true);
  // The relay, had it started, would still get every byte, then the end.
  assert.equal(await all(watch.stream()), '{"jsonrpc":"2.0","id":1,"method":"ping"}');
});

Deno.test("ClientInputWatch reads no further than its bound while it watches", async () => {
  const { readable, writer } = pipe();
  const watch = new ClientInputWatch(readable, 8);
  const written = (async () => {
    for (const part of ["12345", "67890", "abc", "def"]) await writer.write(enc.encode(part));
    await writer.close();
  })();
  await tick();
  const read = watch.read().chunks.map((chunk) => dec.decode(chunk)).join("");
  assert.equal(read, "1234567890", "it stopped once past 8 bytes");
  assert.equal(await all(watch.stream()), "1234567890abcdef");
  await written;
});

Deno.test("stoppedWaitPlan() answers every request read, as a batch where it was one, and exits as the stop says", () => {
  const error = new AppError(
    "audit.lock_wait_ended",
    'cannot write the audit log in "/h/audit": received SIGTERM while waiting for its lock "/h/audit/.lock", which another process holds',
    { hints: ['to see which process holds it, run: fuser -v "/h/audit/.lock"'] },
  );
  const lines = [
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}\n',
    '{"jsonrpc":"2.0","method":"notifications/initialized"}\r\n',
    '[{"jsonrpc":"2.0","id":"a","method":"ping"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]\n',
    '{"jsonrpc":"2.0","id":3,"method":"pi',
  ];
  const chunks = [enc.encode(lines.join("").slice(0, 30)), enc.encode(lines.join("").slice(30))];
  const plan = stoppedWaitPlan({ error, signal: "SIGTERM", read: { chunks, ended: false } });
  assert.equal(plan.exitCode, 143);
  const answers = plan.answers.map((bytes) => JSON.parse(dec.decode(bytes)));
  assert.equal(answers.length, 3, "the request cut off at the end is answered by its id too");
  assert.equal(answers[0].id, 1);
  assert.equal(answers[2].id, 3);
  assert.match(answers[0].error.message, /^thoth was stopped \(SIGTERM\) before it started/);
  assert.deepEqual(answers[1].map((a: { id: unknown }) => a.id), ["a", 2]);
  assert.ok(!JSON.stringify(answers).includes("/h/"), "the client is told no path");
  assert.match(
    plan.notes[0]!,
    /received SIGTERM while waiting for its lock .*; the session ends without starting the MCP server$/,
  );
  assert.match(plan.notes.join("\n"), /answered 4 request\(s\) the client sent meanwhile/);
  assert.match(plan.notes.at(-1)!, /^hint: to see which process holds it/);

  const closed = stoppedWaitPlan({
    error,
    signal: undefined,
    read: { chunks: [enc.encode('{"jsonrpc":"2.0","id":7,"method":"ping"}')], ended: true },
  });
  assert.equal(closed.exitCode, 0);
  assert.match(
    JSON.parse(dec.decode(closed.answers[0]!)).error.message,
    /the client closed its input while thoth waited to open its audit log/,
  );
});
