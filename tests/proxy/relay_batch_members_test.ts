/**
 * What JSON-RPC reads as no request at all never reaches the server: an
 * empty batch gets one `-32600` error with a `null` id (not an array, as
 * JSON-RPC answers it), and each batch element that is not an object (a
 * string, a number, `null`, a batch inside the batch) an error of its own;
 * such elements are said on stderr and recorded as a refused request once
 * per line, with the digest of the line. The batch's other elements are
 * governed as before.
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

Deno.test("a batch's elements that are not objects are refused one by one; the rest go on", () => {
  const h = recorded();
  const ping = { jsonrpc: "2.0", id: 6, method: "ping" };
  const bytes = line([call(52, "echo"), "tools/call", 5, null, [call(53, "echo")], ping]);
  h.session.fromClient(bytes);
  assert.deepEqual(h.json(h.toServer), [[call(52, "echo"), ping]]);
  const answers = h.json(h.toClient);
  assert.deepEqual(answers.map((a) => [a.id, a.error.code]), [
    [null, -32600],
    [null, -32600],
    [null, -32600],
    [null, -32600],
  ]);
  const wire = answers.map((a) => a.error.message);
  assert.match(wire[0], /thoth refused a batch element that is not a JSON object/);
  assert.match(wire[3], /thoth refused a batch inside a batch/);
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
  assert.equal(h.json(h.toClient).length, 1);
  assert.deepEqual(h.notes, [
    "refused a batch element that is not a JSON object (a string) (not valid JSON-RPC); " +
    "none was forwarded",
  ]);
  assert.deepEqual(h.requests.map((r) => r.method), [""]);
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
