/**
 * A large server answer (over `LARGE_LINE_BYTES`) goes on unparsed only when
 * its top-level keys, found by tracking nesting across the whole line, are
 * those of a result JSON-RPC allows. An `error` beside the result is found
 * however far from the line's ends it stands (Go writes `error` after
 * `result`, and a long message pushes its key out of any window at the end),
 * and the answer is refused; an `error` key nested in the result (a tool's
 * `structuredContent`) is no reason to parse the line whole, so the result
 * goes on byte for byte, a byte that is not UTF-8 in a string and all.
 */
import assert from "node:assert/strict";
import { call, rawRelay, settle } from "./_raw_relay.ts";
import { LARGE_LINE_BYTES } from "../../src/proxy/relay_session.ts";

const enc = new TextEncoder();

/** `text` and a newline, in the 64 KiB chunks a reader gets it in. */
function chunked(text: string | Uint8Array): Uint8Array[] {
  const bytes = typeof text === "string" ? enc.encode(text + "\n") : text;
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024) {
    parts.push(bytes.subarray(at, at + 64 * 1024));
  }
  return parts;
}

async function calling() {
  const h = rawRelay();
  h.session.fromClient(call(5, "research"));
  await settle();
  return h;
}

const big = "b".repeat(300 * 1024);

Deno.test("RelaySession refuses a large result followed by an error with a long message", async () => {
  for (const size of [100, 5 * 1024, 64 * 1024]) {
    const h = await calling();
    const message = "panic: runtime error\\n\\tgoroutine 1 [running]:".padEnd(size, "x");
    const text = `{"jsonrpc":"2.0","id":5,"result":{"content":[{"type":"text","text":"${big}"}]},` +
      `"error":{"code":-32603,"message":"${message}"}}`;
    assert.ok(text.length > LARGE_LINE_BYTES);
    h.session.fromServerParts(chunked(text));
    assert.equal(h.toClient.length, 1, `${size}: one reply, not the server's line in chunks`);
    const replies = h.json(h.toClient);
    assert.equal(replies[0].id, 5);
    assert.ok(!("result" in replies[0]), `${size}: the result never reached the client`);
    assert.match(replies[0].error.message, /both result and error/);
    assert.ok(h.events.includes("outcome 5 research true undefined"), h.events.join("\n"));
  }
});

Deno.test("RelaySession refuses a large result without jsonrpc 2.0", async () => {
  for (const head of ['{"id":5', '{"jsonrpc":"1.0","id":5']) {
    const h = await calling();
    h.session.fromServerParts(
      chunked(`${head},"result":{"content":[{"type":"text","text":"${big}"}]}}`),
    );
    assert.equal(h.toClient.length, 1, "one reply, not the server's line in chunks");
    const replies = h.json(h.toClient);
    assert.match(replies[0].error.message, /jsonrpc/);
  }
});

Deno.test("RelaySession relays a large result with a nested error key unparsed, byte for byte", async () => {
  const h = await calling();
  const text =
    `{"jsonrpc":"2.0","id":5,"result":{"content":[{"type":"text","text":"${big}?${big}"}],` +
    `"structuredContent":{"ok":true,"error":null}}}`;
  const bytes = enc.encode(text + "\n");
  // A byte that is not UTF-8 in the text: relayed as it came, as for any large result.
  bytes[bytes.indexOf(0x3f)] = 0xff;
  const parts = chunked(bytes);
  h.session.fromServerParts(parts);
  assert.equal(h.toClient.length, parts.length, "the chunks went on one by one");
  h.toClient.forEach((part, index) => assert.equal(part, parts[index], `chunk ${index}`));
  // Its outcome is recorded from the envelope (no parsed value), as a success.
  assert.deepEqual(h.events.filter((e) => e.startsWith("outcome")), [
    "outcome 5 research false undefined",
  ]);
  assert.deepEqual(h.notes, []);
});
