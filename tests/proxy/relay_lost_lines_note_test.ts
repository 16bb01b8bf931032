/**
 * A server that prints its logs to stdout: each such line is dropped, and the
 * first few are noted as they come, the rest only counted (with a running
 * count at 100, 1,000…), so the client's log is not filled with one note per
 * line. A line that answers a waiting request is always noted, as that
 * request gets an error; so is a line over the cap (its note says how to
 * raise the cap) and one whose bytes show a message's id or method (a batch
 * of answers cut short).
 */
import assert from "node:assert/strict";
import { call, enforcerOf, rawRelay, settle } from "./_raw_relay.ts";
import { LOST_LINES_NOTED } from "../../src/proxy/relay_session.ts";

const logLine = (i: number) => new TextEncoder().encode(`[info] server log line ${i}\n`);

Deno.test("RelaySession notes the first lines a server logs to stdout, then counts them", () => {
  const h = rawRelay({ enforcer: enforcerOf({}) });
  for (let i = 0; i < 2000; i++) h.session.fromServer(logLine(i));
  assert.equal(h.toClient.length, 0, "no log line reaches the client");
  const each = h.notes.filter((n) => /^dropped a line from the server that is not JSON/.test(n));
  assert.equal(each.length, LOST_LINES_NOTED, h.notes.slice(0, 8).join("\n"));
  assert.match(each.at(-1)!, /further such lines are counted, not noted/);
  const counts = h.notes.filter((n) => /^dropped \d+ lines from the server/.test(n));
  assert.deepEqual(counts.map((n) => Number(/^dropped (\d+)/.exec(n)![1])), [100, 1000]);
  assert.equal(h.notes.length, LOST_LINES_NOTED + 2);
  assert.equal(h.session.dropped.fromServer, 2000);
});

Deno.test("RelaySession still notes a dropped line that answers a waiting call, after many logs", async () => {
  const h = rawRelay({ enforcer: enforcerOf({}) });
  h.session.fromClient(call(7, "echo"));
  await settle();
  assert.equal(h.toServer.length, 1);
  for (let i = 0; i < 50; i++) h.session.fromServer(logLine(i));
  const before = h.notes.length;
  // The call's answer, cut: not JSON, but its first bytes show the id.
  h.session.fromServer(new TextEncoder().encode('{"jsonrpc":"2.0","id":7,"result":{"content":[\n'));
  assert.equal(h.notes.length, before + 1);
  assert.match(h.notes.at(-1)!, /answered request 7 with an error/);
  const [reply] = h.json(h.toClient);
  assert.equal(reply.id, 7);
  assert.ok(reply.error, "the waiting call got an error");
});

/** The log lines a server started by a script prints first. */
function banner(h: ReturnType<typeof rawRelay>) {
  for (let i = 0; i < LOST_LINES_NOTED + 1; i++) h.session.fromServer(logLine(i));
  assert.equal(h.notes.length, LOST_LINES_NOTED);
}

Deno.test("RelaySession notes a line over the cap after many logs, with how to raise the cap", () => {
  const h = rawRelay({ enforcer: enforcerOf({}) });
  banner(h);
  const enc = new TextEncoder();
  h.session.fromServerOversize({
    size: 70 * 1024 * 1024,
    head: enc.encode('{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"xx'),
    tail: enc.encode('xx"}}'),
  });
  h.session.fromServerOversize({
    size: 70 * 1024 * 1024,
    head: enc.encode('[{"jsonrpc":"2.0","id":7,"result":{"content":[{"text":"yy'),
    tail: enc.encode('yy"}]}}]'),
  });
  const notes = h.notes.slice(LOST_LINES_NOTED);
  assert.equal(notes.length, 2, notes.join("\n"));
  for (const note of notes) {
    assert.match(note, /over the .* line cap; raise it with --max-line-bytes/);
  }
});

Deno.test("RelaySession notes a cut batch of answers after many logs", async () => {
  const h = rawRelay({ enforcer: enforcerOf({}) });
  h.session.fromClient(call(7, "echo"));
  h.session.fromClient(call(8, "echo"));
  await settle();
  banner(h);
  h.session.fromServer(
    new TextEncoder().encode(
      '[{"jsonrpc":"2.0","id":7,"result":{"content":[]}},{"jsonrpc":"2.0","id":8,"result":{"content":[\n',
    ),
  );
  const notes = h.notes.slice(LOST_LINES_NOTED);
  assert.equal(notes.length, 1, notes.join("\n"));
  assert.match(notes[0]!, /dropped a line from the server that is not JSON/);
  // Log lines after it are still only counted.
  for (let i = 0; i < 10; i++) h.session.fromServer(logLine(i));
  assert.equal(h.notes.length, LOST_LINES_NOTED + 1);
});
