/**
 * The names a request record quotes that the client chose, hidden when the
 * detectors flag them: the tool, prompt and string id of each request inside
 * a refused nested batch (a tool name the server listed excepted), and a
 * request's own string id.
 */
import assert from "node:assert/strict";
import { type ClientRequestFacts, requestEvent } from "../../src/proxy/client_request_records.ts";
import { line, rawRelay } from "./_raw_relay.ts";
import { recordedRequestIds } from "../../src/audit/recorded_request_ids.ts";

const GITHUB = "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";
const STRIPE = "sk_live_51Nq8ZbX2vKd7Rw4Tt9Lm3Pq6Ys1Hc0Ga";
const digest = (piece: string) => (piece === GITHUB ? "1a2b3c4d" : "5e6f7a8b").repeat(8);

function recorded(tools: string[] = []) {
  const requests: ClientRequestFacts[] = [];
  const h = rawRelay({ events: { request: (facts) => void requests.push(facts) } }, true);
  h.session.fromClient(line({ jsonrpc: "2.0", id: "t", method: "tools/list" }));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: "t",
    result: { tools: tools.map((name) => ({ name, inputSchema: { type: "object" } })) },
  }));
  return { ...h, requests };
}

Deno.test("a refused nested batch's record hides the flagged names of the requests inside", () => {
  const h = recorded();
  h.session.fromClient(line([[
    { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: GITHUB, arguments: {} } },
    { jsonrpc: "2.0", id: 8, method: "prompts/get", params: { name: STRIPE } },
    { jsonrpc: "2.0", id: GITHUB, method: "tools/call", params: { name: "echo", arguments: {} } },
  ]]));
  assert.equal(h.requests.length, 1);
  const event = requestEvent("s-1", "srv", h.requests[0]!, digest);
  const reason = event.reasons![0]!;
  assert.ok(!reason.includes(GITHUB) && !reason.includes(STRIPE), reason);
  assert.match(
    reason,
    /the governed requests inside: tools\/call "#k:1a2b3c4d\(40\)" \(id 7\), "prompts\/get" "#k:5e6f7a8b\(41\)" \(id 8\), tools\/call "echo" \(id "#k:1a2b3c4d\(40\)"\)$/,
  );
  // Nothing on stderr quotes them either.
  assert.ok(!h.notes.join("\n").includes(GITHUB), h.notes.join("\n"));
});

Deno.test("a tool name the server listed is quoted as it is, even one the detectors flag", () => {
  const h = recorded([GITHUB]);
  h.session.fromClient(line([[
    { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: GITHUB, arguments: {} } },
  ]]));
  const reason = requestEvent("s-1", "srv", h.requests[0]!, digest).reasons![0]!;
  assert.match(reason, new RegExp(`tools/call "${GITHUB}" \\(id 7\\)$`));
});

Deno.test("a request's record keeps its id for the session's writer, which hides a flagged one", () => {
  const facts = (requestId: string | number): ClientRequestFacts => ({
    method: "resources/read",
    requestId,
    params: { uri: "file:///tmp/notes.txt" },
    forwarded: true,
  });
  // Hidden as it is written, as in every record (see `recorded_request_ids.ts`).
  const event = requestEvent("s", "srv", facts(GITHUB), digest);
  assert.equal(event.requestId, GITHUB);
  assert.equal(recordedRequestIds(event, digest).requestId, "#k:1a2b3c4d(40)");
  assert.equal(requestEvent("s", "srv", facts("req-7"), digest).requestId, "req-7");
  assert.equal(requestEvent("s", "srv", facts(7), digest).requestId, 7);
});
