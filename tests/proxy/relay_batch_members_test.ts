/**
 * What JSON-RPC reads as no request at all never reaches the server: an
 * empty batch gets one `-32600` error with a `null` id (not an array, as
 * JSON-RPC answers it), and each batch element that is not an object (a
 * string, a number, `null`, a batch inside the batch) an error of its own,
 * all of thoth's answers to one batch line in one array line (a JSON-RPC
 * batch response); such elements are said on stderr and recorded as a
 * refused request once per line, with the digest of the line, the record
 * naming the governed requests inside refused batches. The batch's other
 * elements are governed as before.
 */
import assert from "node:assert/strict";
import type { ClientRequestFacts } from "../../src/proxy/client_request_records.ts";
import { line, rawRelay } from "./_raw_relay.ts";

const enc = new TextEncoder();
const call = (id: number, name: string) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: {} },
});

interface Answer {
  id: unknown;
  error: { code: number; message: string };
}

/** The bytes of `parts` as one array. */
function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

function recorded() {
  const requests: ClientRequestFacts[] = [];
  const h = rawRelay({ events: { request: (facts) => void requests.push(facts) } });
  return { ...h, requests };
}

Deno.test("an empty batch gets one error with a null id, a record, and never reaches the server", () => {
  const h = recorded();
  const bytes = enc.encode("[ ]\n");
  h.session.fromClient(bytes);
  assert.deepEqual(h.toServer, []);
  const answers = h.json(h.toClient);
  assert.equal(answers.length, 1);
  assert.ok(!Array.isArray(answers[0]), "one Response object, as JSON-RPC answers `[]`");
  assert.deepEqual([answers[0].id, answers[0].error.code], [null, -32600]);
  assert.match(answers[0].error.message, /thoth refused an empty batch/);
  assert.match(h.notes.join("\n"), /refused an empty batch \(an empty array; not valid JSON-RPC\)/);
  assert.deepEqual(h.requests.map((r) => [r.method, r.requestId, r.forwarded, r.line?.bytes]), [
    ["", undefined, false, 3],
  ]);
  assert.match(h.requests[0]!.refusal!.reason, /an empty batch/);
});

Deno.test("a batch's elements that are not objects are refused, in one array line; the rest go on", () => {
  const h = recorded();
  const ping = { jsonrpc: "2.0", id: 6, method: "ping" };
  const bytes = line([call(52, "echo"), "tools/call", 5, null, [call(53, "echo")], ping]);
  h.session.fromClient(bytes);
  assert.deepEqual(h.json(h.toServer), [[call(52, "echo"), ping]]);
  // thoth's answers to the line: one JSON-RPC batch response, an error per refused element.
  const [answers, ...more] = h.json(h.toClient);
  assert.deepEqual(more, []);
  assert.ok(Array.isArray(answers));
  assert.deepEqual(answers.map((a: Answer) => [a.id, a.error.code]), [
    [null, -32600],
    [null, -32600],
    [null, -32600],
    [null, -32600],
  ]);
  const wire = answers.map((a: Answer) => a.error.message);
  assert.match(wire[0]!, /thoth refused a batch element that is not a JSON object/);
  assert.match(wire[3]!, /thoth refused a batch inside a batch/);
  // One note and one record for the line, however many such elements it holds.
  assert.deepEqual(h.notes, [
    "refused a batch inside a batch and 3 batch elements that are not JSON objects " +
    "(not valid JSON-RPC); none was forwarded",
  ]);
  assert.deepEqual(h.requests.map((r) => [r.method, r.forwarded, r.line?.bytes]), [
    ["tools/call", false, bytes.length - 1],
  ]);
});

Deno.test("a batch of nothing but non-objects reaches the server not at all", () => {
  const h = recorded();
  h.session.fromClient(line(["tools/call"]));
  assert.deepEqual(h.toServer, []);
  const answers = h.json(h.toClient);
  assert.equal(answers.length, 1);
  assert.deepEqual(answers[0].map((a: Answer) => [a.id, a.error.code]), [[null, -32600]]);
  assert.deepEqual(h.notes, [
    "refused a batch element that is not a JSON object (a string) (not valid JSON-RPC); " +
    "none was forwarded",
  ]);
  assert.deepEqual(h.requests.map((r) => r.method), [""]);
});

Deno.test("a batch of ten thousand numbers is answered by one line of ten thousand errors", () => {
  const h = recorded();
  h.session.fromClient(enc.encode(`[${Array(10_000).fill("1").join(",")}]\n`));
  assert.deepEqual(h.toServer, []);
  const text = new TextDecoder().decode(concat(h.toClient));
  assert.equal(text.indexOf("\n"), text.length - 1, "one line");
  const answers = JSON.parse(text) as Answer[];
  assert.equal(answers.length, 10_000);
  assert.ok(answers.every((a) => a.id === null && a.error.code === -32600));
  assert.equal(h.notes.length, 1);
  assert.equal(h.requests.length, 1);
});

Deno.test("thoth's other refusals of a batch's elements join the same array line", () => {
  const h = recorded();
  const variant = { jsonrpc: "2.0", id: 7, method: "Tools/Call", params: { name: "echo" } };
  const badId = { jsonrpc: "2.0", id: true, method: "tools/call", params: { name: "echo" } };
  h.session.fromClient(line([variant, 5, badId, call(54, "echo")]));
  assert.deepEqual(h.json(h.toServer), [[call(54, "echo")]]);
  const [answers, ...more] = h.json(h.toClient);
  assert.deepEqual(more, []);
  assert.deepEqual(answers.map((a: Answer) => [a.id, a.error.code]), [
    [7, -32600],
    [null, -32600],
    [null, -32600],
  ]);
  // In the order thoth answered them (JSON-RPC lets a batch response come in any order).
  assert.match(answers[0].error.message, /"Tools\/Call"/);
  assert.match(answers[1].error.message, /whose id is not a string or a number/);
  assert.match(answers[2].error.message, /not a JSON object/);
});

Deno.test("a batch line with a defect has each request refused in one array line", () => {
  const h = recorded();
  h.session.fromClient(
    enc.encode(
      `[${JSON.stringify(call(55, "echo")).slice(0, -1)},"x":"\\u0000"},` +
        `${JSON.stringify(call(56, "echo"))}]\n`,
    ),
  );
  assert.deepEqual(h.toServer, []);
  const [answers, ...more] = h.json(h.toClient);
  assert.deepEqual(more, []);
  assert.deepEqual(answers.map((a: Answer) => [a.id, a.error.code]), [[55, -32600], [56, -32600]]);
  assert.match(answers[0].error.message, /a NUL character/);
});

Deno.test("the record of refused nested batches names the governed requests inside them", () => {
  const h = recorded();
  const bytes = line([
    1,
    call(10, "split"),
    [call(11, "echo"), call(12, "delete_everything")],
    "x",
    [[{ jsonrpc: "2.0", id: "r", method: "resources/read", params: { uri: "file:///a" } }], []],
  ]);
  h.session.fromClient(bytes);
  assert.deepEqual(h.requests.map((r) => [r.method, r.forwarded]), [["tools/call", false]]);
  assert.equal(
    h.requests[0]!.refusal!.reason,
    "thoth refused 2 batches inside a batch and 2 batch elements that are not JSON objects " +
      '(not valid JSON-RPC); the governed requests inside: tools/call "echo" (id 11), ' +
      'tools/call "delete_everything" (id 12), "resources/read" (id "r")',
  );
});

Deno.test("the record names at most 20 governed requests inside and counts the rest", () => {
  const h = recorded();
  const inner = Array.from({ length: 25 }, (_, i) => call(100 + i, `t${i}`));
  h.session.fromClient(line([[...inner, 7], call(1, "echo")]));
  const reason = h.requests[0]!.refusal!.reason;
  assert.match(reason, /tools\/call "t0" \(id 100\), /);
  assert.match(reason, /tools\/call "t19" \(id 119\), and 5 more \(25 in all\)$/);
  assert.doesNotMatch(reason, /"t20"/);
});

Deno.test("a line that is a lone JSON scalar is refused as a batch element is", () => {
  const h = recorded();
  h.session.fromClient(enc.encode("5\n"));
  assert.deepEqual(h.toServer, []);
  const answers = h.json(h.toClient);
  assert.deepEqual(answers.map((a) => [a.id, a.error.code]), [[null, -32600]]);
  assert.match(answers[0].error.message, /thoth refused a message that is not a JSON object/);
  assert.equal(h.requests.length, 1);
});
