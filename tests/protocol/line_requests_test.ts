import assert from "node:assert/strict";
import { requestsInLine, UndeliveredLines } from "../../src/protocol/line_requests.ts";

const enc = new TextEncoder();
const line = (value: unknown) => enc.encode(JSON.stringify(value) + "\n");

Deno.test("requestsInLine() names the requests of a line, a batch's one by one", () => {
  assert.deepEqual(requestsInLine(line({ jsonrpc: "2.0", id: 5, method: "tools/call" })), {
    requests: [{ id: 5, method: "tools/call" }],
    messages: 1,
    batch: false,
  });
  assert.deepEqual(
    requestsInLine(line([
      { jsonrpc: "2.0", id: "a", method: "ping" },
      { jsonrpc: "2.0", method: "notifications/progress" },
      { jsonrpc: "2.0", id: 9, result: {} },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
    ])),
    {
      requests: [{ id: "a", method: "ping" }, { id: 2, method: "tools/list" }],
      messages: 4,
      batch: true,
    },
  );
  assert.deepEqual(
    requestsInLine(line({ jsonrpc: "2.0", method: "notifications/x" })).requests,
    [],
  );
});

Deno.test("requestsInLine() keeps the digits of an id past 2^53, and reads a broken line's id", () => {
  const long = requestsInLine(
    enc.encode('{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}'),
  );
  assert.equal(JSON.stringify({ id: long.requests[0]!.id }), '{"id":9007199254740993}');
  const broken = requestsInLine(
    enc.encode('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{'),
  );
  assert.deepEqual(broken, { requests: [{ id: 7, method: undefined }], messages: 0, batch: false });
  assert.deepEqual(requestsInLine(enc.encode("not json\n")).requests, []);
});

Deno.test("UndeliveredLines puts lines cut into pieces back together", () => {
  const lines = new UndeliveredLines();
  const bytes = enc.encode(
    JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) + "\n" +
      JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { big: "x".repeat(50) },
      }) +
      "\n",
  );
  const cut = 70;
  const first = lines.push(bytes.subarray(0, cut));
  assert.deepEqual(first.map((l) => l.requests), [[{ id: 1, method: "ping" }]]);
  assert.deepEqual(lines.push(bytes.subarray(cut, cut + 10)), [], "a piece without a line end");
  const rest = lines.push(bytes.subarray(cut + 10));
  assert.deepEqual(rest.map((l) => l.requests), [[{ id: 2, method: "tools/call" }]]);
});
