import assert from "node:assert/strict";
import { LARGE_LINE_BYTES, type RawResponse, RelaySession } from "../../src/proxy/relay_session.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { listTools } from "./_raw_relay.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const line = (value: unknown) => enc.encode(JSON.stringify(value) + "\n");

function harness(
  enforcer?: Enforcer,
  extra: Partial<ConstructorParameters<typeof RelaySession>[1]> = {},
  unlisted = false,
) {
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const notes: string[] = [];
  const calls: ToolCall[] = [];
  let n = 0;
  const session = new RelaySession(
    {
      toServer: (b) => toServer.push(b),
      toClient: (b) => toClient.push(b),
      note: (m) => notes.push(m),
    },
    {
      server: "srv",
      enforcer: enforcer ?? {
        decide: (call, ids) => {
          calls.push(call);
          return call.tool === "forbidden"
            ? {
              decision: "block",
              decisionId: ids(),
              ruleIds: ["no-forbidden"],
              reasons: ["not allowed here"],
            }
            : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] };
        },
      },
      newDecisionId: () => `d-${++n}`,
      nonce: "abc",
      maxLineBytes: 1024,
      ...extra,
    },
  );
  // The client lists the server's tools (none) first, as clients do: thoth lists none itself.
  if (!unlisted) {
    listTools(session);
    toServer.length = 0;
    toClient.length = 0;
  }
  const json = (list: Uint8Array[]) => list.map((b) => JSON.parse(dec.decode(b)));
  return { session, toServer, toClient, notes, calls, json };
}

Deno.test("RelaySession forwards the exact bytes of allowed messages", () => {
  const h = harness();
  const raw = enc.encode(
    '{ "jsonrpc" : "2.0", "id": 5, "method":"tools/call", "params":{"name":"echo","arguments":{"x":1}} }\r\n',
  );
  h.session.fromClient(raw);
  assert.equal(h.toServer.length, 1);
  assert.equal(h.toServer[0], raw, "the original buffer is forwarded, not a re-serialization");
  assert.equal(h.calls[0]?.tool, "echo");
});

Deno.test("RelaySession answers a BLOCK with an isError tool result carrying the client's id", () => {
  const h = harness();
  h.session.fromClient(
    line({
      jsonrpc: "2.0",
      id: "abc-1",
      method: "tools/call",
      params: { name: "forbidden", arguments: { secret: "hunter2" } },
    }),
  );
  assert.equal(h.toServer.length, 0, "a blocked call never reaches the server");
  const [reply] = h.json(h.toClient);
  assert.equal(reply.id, "abc-1");
  assert.equal(reply.result.isError, true);
  const text: string = reply.result.content[0].text;
  assert.match(text, /rule "no-forbidden"/);
  assert.match(text, /Decision d-1/);
  assert.match(text, /do not retry/);
  assert.ok(!text.includes("hunter2"), "no argument value is echoed");
});

Deno.test("RelaySession refuses an uninspectable tools/call instead of forwarding it", () => {
  const h = harness();
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { arguments: {} } }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: [1] } }),
  );
  assert.equal(h.toServer.length, 0);
  const replies = h.json(h.toClient);
  assert.deepEqual(replies.map((r) => [r.id, r.error.code]), [[1, -32602], [2, -32602]]);
});

Deno.test("RelaySession never forwards a tools/call it cannot answer as a request", () => {
  const h = harness();
  const call = { name: "echo", arguments: { x: 1 } };
  h.session.fromClient(line({ jsonrpc: "2.0", method: "tools/call", params: call }));
  assert.equal(h.toClient.length, 0, "a notification gets no answer");
  assert.match(h.notes.join("\n"), /dropped a tools\/call sent without an id/);
  for (const id of [null, { n: 1 }, true, [1]]) {
    h.session.fromClient(line({ jsonrpc: "2.0", id, method: "tools/call", params: call }));
  }
  // 1e400 parses to Infinity, which is not a JSON-RPC id.
  h.session.fromClient(
    enc.encode('{"jsonrpc":"2.0","id":1e400,"method":"tools/call","params":{"name":"echo"}}\n'),
  );
  assert.equal(h.toServer.length, 0, "none of them reaches the server");
  assert.equal(h.calls.length, 0);
  const replies = h.json(h.toClient);
  assert.equal(replies.length, 5);
  for (const reply of replies) {
    assert.equal(reply.id, null);
    assert.equal(reply.error.code, -32600);
  }
  for (const reply of replies.slice(0, 4)) {
    assert.match(reply.error.message, /id is not a string or a number/);
  }
  assert.match(replies[4].error.message, /a number too large for any double/);
});

Deno.test("RelaySession refuses a client line with a number too large for any double", () => {
  const h = harness();
  // Split, this batch would send the server "limit":null where thoth decided on Infinity.
  h.session.fromClient(
    enc.encode(
      '[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"forbidden"}},' +
        '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"limit":1e400}}}]\n',
    ),
  );
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"n":-' +
        "9".repeat(400) + "}}}\n",
    ),
  );
  assert.equal(h.toServer.length, 0);
  assert.equal(h.calls.length, 0);
  // The batch's refusals in one array line, then the lone call's.
  assert.deepEqual(h.json(h.toClient).flat().map((r) => [r.id, r.error.code]), [[1, -32600], [
    2,
    -32600,
  ], [
    3,
    -32600,
  ]]);
  // Large but finite numbers, and such text in strings, pass.
  const fine = enc.encode(
    '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":' +
      '{"a":1e300,"b":"1e400","c":1.5e-400}}}\n',
  );
  h.session.fromClient(fine);
  assert.deepEqual(h.toServer, [fine]);
});

Deno.test("RelaySession takes unanswerable tool calls out of a batch and forwards the rest", () => {
  const h = harness();
  const call = { name: "echo", arguments: {} };
  h.session.fromClient(
    line([
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: call },
      { jsonrpc: "2.0", method: "tools/call", params: { name: "hidden" } },
      { jsonrpc: "2.0", id: null, method: "tools/call", params: { name: "hidden" } },
      [{ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "hidden" } }],
      { jsonrpc: "2.0", method: "notifications/initialized" },
    ]),
  );
  assert.deepEqual(h.calls.map((c) => c.tool), ["echo"], "the enforcer saw only the request");
  const forwarded = h.json(h.toServer);
  assert.deepEqual(forwarded, [[
    { jsonrpc: "2.0", id: 1, method: "tools/call", params: call },
    { jsonrpc: "2.0", method: "notifications/initialized" },
  ]]);
  const [replies, ...more] = h.json(h.toClient);
  assert.deepEqual(more, [], "one array line answers the batch");
  assert.deepEqual(
    replies.map((r: { id: unknown; error: { code: number } }) => [r.id, r.error.code]),
    [[null, -32600], [null, -32600]],
  );
  assert.match(replies[1].error.message, /a batch inside a batch/);
});

Deno.test("RelaySession still forwards other messages without a usable id untouched", () => {
  const h = harness();
  const raw = [
    enc.encode('{"jsonrpc":"2.0","method":"notifications/initialized"}\n'),
    enc.encode('{"jsonrpc":"2.0","id":null,"method":"ping"}\n'),
  ];
  for (const bytes of raw) h.session.fromClient(bytes);
  assert.deepEqual(h.toServer, raw);
  assert.equal(h.toClient.length, 0);
});

Deno.test("RelaySession refuses a client line with a carriage return inside or a byte order mark", () => {
  const h = harness(undefined, { maxLineBytes: 1 << 20 });
  const hidden = '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"forbidden"}}';
  h.session.fromClient(
    enc.encode(
      `{"jsonrpc":"2.0","method":"notifications/progress","params":{"x":\r${hidden}\r}}\n`,
    ),
  );
  h.session.fromClient(enc.encode(`{"jsonrpc":"2.0","id":3,"method":"ping","params":{\r}}\n`));
  h.session.fromClient(
    new Uint8Array([0xef, 0xbb, 0xbf, ...line({ jsonrpc: "2.0", id: 4, method: "ping" })]),
  );
  // A large request arrives in parts; a CR in any part is found.
  const big = enc.encode(
    JSON.stringify({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "x".repeat(300_000) } },
    }).replace('"params"', '\r"params"') + "\n",
  );
  h.session.fromClientParts([big.subarray(0, 70_000), big.subarray(70_000)]);
  assert.equal(h.toServer.length, 0, "none of it reaches the server");
  assert.equal(h.calls.length, 0, "the hidden call never looked decided");
  const replies = h.json(h.toClient);
  assert.deepEqual(replies.map((r) => [r.id, r.error.code]), [[3, -32600], [4, -32600], [
    5,
    -32600,
  ]]);
  assert.match(replies[0].error.message, /a carriage return inside it/);
  assert.match(replies[1].error.message, /a byte order mark at its start/);
  assert.equal(h.notes.filter((n) => /^refused a line from the client with/.test(n)).length, 4);
  // A CRLF-terminated line is still relayed byte for byte.
  const crlf = enc.encode('{"jsonrpc":"2.0","id":6,"method":"ping"}\r\n');
  h.session.fromClient(crlf);
  assert.deepEqual(h.toServer, [crlf]);
});

Deno.test("RelaySession refuses a client line with a key twice in one object", () => {
  const h = harness(undefined, { maxLineBytes: 1 << 20 });
  // A parser that keeps the first "method" runs a tool call thoth would read as a ping.
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"forbidden"},"method":"ping"}\n',
    ),
  );
  // Inside the arguments, and spelled with an escape.
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo",' +
        '"arguments":{"path":"/tmp/a","p\\u0061th":"/etc/shadow"}}}\n',
    ),
  );
  // In one element of a batch: no element is forwarded, each request is answered.
  h.session.fromClient(
    enc.encode(
      '[{"jsonrpc":"2.0","id":3,"method":"ping"},' +
        '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","name":"forbidden"}}]\n',
    ),
  );
  // A key that is data is not named in the note.
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":5,"method":"ping","params":{"a@b.example":1,"a@b.example":2}}\n',
    ),
  );
  // A large request in parts is checked too.
  const big = enc.encode(
    `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","arguments":{"t":"${
      "x".repeat(300_000)
    }","t":"y"}}}\n`,
  );
  h.session.fromClientParts([big.subarray(0, 70_000), big.subarray(70_000)]);
  assert.equal(h.toServer.length, 0, "none of it reaches the server");
  assert.equal(h.calls.length, 0, "nothing was decided on a value the server may not see");
  // The batch's two refusals come in one array line.
  const replies = h.json(h.toClient).flat();
  assert.deepEqual(replies.map((r) => [r.id, r.error.code]), [
    [1, -32600],
    [2, -32600],
    [3, -32600],
    [4, -32600],
    [5, -32600],
    [6, -32600],
  ]);
  assert.match(replies[0].error.message, /the key "method" twice in one object/);
  assert.match(replies[1].error.message, /the key "path" twice in one object/);
  assert.match(replies[3].error.message, /the key "name" twice in one object/);
  assert.match(replies[4].error.message, /a key twice in one object/);
  assert.ok(h.notes.every((n) => !n.includes("a@b.example")), "a key that is data stays out");
  // The same name in two different objects is no repeat.
  const fine = line({
    jsonrpc: "2.0",
    id: 7,
    method: "tools/call",
    params: { name: "echo", arguments: { name: "x", nested: { name: "y" }, list: [{ name: 1 }] } },
  });
  h.session.fromClient(fine);
  assert.deepEqual(h.toServer, [fine]);
});

Deno.test("RelaySession refuses a client line with a NUL character in a string", () => {
  const h = harness();
  // A C-string parser cuts "method\u0000" to a second "method", and a path at the NUL.
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":1,"method":"ping","method\\u0000":"tools/call",' +
        '"params":{"name":"forbidden"}}\n',
    ),
  );
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo",' +
        '"arguments":{"path":"/etc/shadow\\u0000.txt"}}}\n',
    ),
  );
  assert.equal(h.toServer.length, 0);
  assert.equal(h.calls.length, 0);
  const replies = h.json(h.toClient);
  assert.deepEqual(replies.map((r) => [r.id, r.error.code]), [[1, -32600], [2, -32600]]);
  assert.match(replies[0].error.message, /a NUL character \(\\u0000\) in a string/);
  // A backslash followed by the letters u0000 is text, and passes.
  const fine = enc.encode(
    '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo",' +
      '"arguments":{"text":"C:\\\\u0000"}}}\n',
  );
  h.session.fromClient(fine);
  assert.deepEqual(h.toServer, [fine]);
});

Deno.test("RelaySession still decides a call nested too deep for the digit-keeping parse", () => {
  const h = harness(undefined, { maxLineBytes: 1 << 22 });
  const deep = "[".repeat(20_000) + "1" + "]".repeat(20_000);
  const sent = enc.encode(
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo",' +
      `"arguments":{"n":12345678901234567891,"deep":${deep}}}}\n`,
  );
  h.session.fromClient(sent);
  assert.equal(h.calls.length, 1, "decided, not dropped");
  assert.equal(h.calls[0]!.exactArguments, undefined, "with the plain numbers");
  assert.equal(h.toServer[0], sent);
});

Deno.test("RelaySession answers a request it cannot read as JSON instead of leaving it waiting", () => {
  const h = harness();
  // Python's json reads NaN; JSON does not.
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"n":NaN}}}\n',
    ),
  );
  h.session.fromClient(enc.encode('{"jsonrpc":"2.0","id":"p-1","method":"ping","params":{},}\n'));
  // Not a request (no method), or no id to answer: dropped with a note only.
  h.session.fromClient(enc.encode('{"jsonrpc":"2.0","id":5,"result":{NaN}}\n'));
  h.session.fromClient(enc.encode("hello\n"));
  assert.equal(h.toServer.length, 0);
  assert.deepEqual(h.json(h.toClient).map((r) => [r.id, r.error.code]), [[4, -32700], [
    "p-1",
    -32700,
  ]]);
  assert.equal(h.notes.filter((n) => n.startsWith("dropped a line from the client")).length, 4);
  assert.match(h.notes[0]!, /request id 4, answered with an error/);
});

Deno.test("RelaySession gives the enforcer the digits of integers too large for a double", () => {
  const h = harness();
  const card = "6212345678901234567"; // 19 digits; JSON.parse keeps ...4560
  const sent = enc.encode(
    `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"pay",` +
      `"arguments":{"card":${card},"small":42,"id":12345678901234567891}}}\n`,
  );
  h.session.fromClient(sent);
  assert.equal(h.toServer[0], sent, "the line itself is forwarded untouched");
  const call = h.calls[0]!;
  assert.notEqual(String(call.arguments?.["card"]), card, "the plain parse lost the digits");
  assert.equal(
    JSON.stringify(call.exactArguments),
    `{"card":${card},"small":42,"id":12345678901234567891}`,
  );
  // A call without long integers carries no second copy.
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 2,
    method: "tools/call",
    params: { name: "pay", arguments: { amount: 123456789012345 } },
  }));
  assert.equal(h.calls[1]!.exactArguments, undefined);
});

Deno.test("RelaySession keeps long integers digit for digit in a batch it splits", () => {
  const h = harness();
  h.session.fromClient(
    enc.encode(
      '[{"jsonrpc":"2.0","id":12345678901234567891,"method":"tools/call","params":{"name":"forbidden"}},' +
        '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo",' +
        '"arguments":{"n":98765432109876543210}}}]\n',
    ),
  );
  assert.equal(
    dec.decode(h.toServer[0]),
    '[{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo",' +
      '"arguments":{"n":98765432109876543210}}}]\n',
  );
  assert.equal(
    JSON.stringify(h.calls[1]!.exactArguments),
    '{"n":98765432109876543210}',
    "the element's own digits, found by its place in the batch",
  );
});

Deno.test("RelaySession answers a request under the id the client wrote, also past 2^53", () => {
  const h = harness();
  // Blocked: thoth's own answer.
  h.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":12345678901234567891,"method":"tools/call","params":{"name":"forbidden"}}\n',
    ),
  );
  assert.match(dec.decode(h.toClient[0]), /^\{"jsonrpc":"2\.0","id":12345678901234567891,"result"/);
  // Forwarded, then the server goes: the error carries the exact id too.
  h.session.fromClient(
    enc.encode(
      '[{"jsonrpc":"2.0","id":98765432109876543211,"method":"tools/call","params":{"name":"echo"}},' +
        '{"jsonrpc":"2.0","id":7,"method":"ping"}]\n',
    ),
  );
  assert.equal(h.session.upstreamGone("gone"), 2);
  const answers = h.toClient.slice(1).map((b) => dec.decode(b));
  assert.ok(answers.some((a) => a.includes('"id":98765432109876543211,')), answers.join(""));
  assert.ok(answers.some((a) => a.includes('"id":7,')));
  // The server's own answer, read with the id rounded, still finds its request.
  const i = harness();
  i.session.fromClient(
    enc.encode(
      '{"jsonrpc":"2.0","id":98765432109876543211,"method":"tools/call","params":{"name":"echo"}}\n',
    ),
  );
  const reply = enc.encode(
    '{"jsonrpc":"2.0","id":98765432109876543211,"result":{"content":[]}}\n',
  );
  i.session.fromServer(reply);
  assert.deepEqual(i.toClient, [reply], "relayed as sent");
  assert.equal(i.session.inFlight, 0, "and the request is no longer pending");
});

Deno.test("RelaySession tells equal long numbers in a split batch apart by their place", () => {
  const h = harness();
  const note = (n: string) => `{"jsonrpc":"2.0","method":"notifications/n","params":{"n":${n}}}`;
  const kept = [note("12345678901234567890"), note("12345678901234567891")];
  h.session.fromClient(
    enc.encode(
      '[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"forbidden"}},' +
        `${kept.join(",")}]\n`,
    ),
  );
  assert.equal(dec.decode(h.toServer[0]), `[${kept.join(",")}]\n`);
});

Deno.test("RelaySession refuses a request whose id an unanswered request still uses", async () => {
  let release!: (v: Verdict) => void;
  const h = harness({
    decide: (call, ids) =>
      call.tool === "slow"
        ? new Promise<Verdict>((r) => release = r)
        : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] },
  });
  h.session.fromClient(line({ jsonrpc: "2.0", id: 7, method: "ping" }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 7, method: "tools/list" }));
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: "h", method: "tools/call", params: { name: "slow" } }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: "h", method: "tools/call", params: { name: "echo" } }),
  );
  assert.deepEqual(h.json(h.toServer).map((m) => [m.id, m.method]), [[7, "ping"]]);
  assert.deepEqual(h.json(h.toClient).map((r) => [r.id, r.error.code]), [[7, -32600], [
    "h",
    -32600,
  ]]);
  assert.match(h.notes.join("\n"), /id 7, which an unanswered request still uses/);
  // A valid request, refused for its id: the note says so, not that it is invalid JSON-RPC.
  assert.match(h.notes.join("\n"), /still uses \(its answer could be taken for another's\)/);
  assert.doesNotMatch(h.notes.join("\n"), /still uses \(not valid JSON-RPC\)/);
  // Once answered, the id is free again.
  h.session.fromServer(line({ jsonrpc: "2.0", id: 7, result: {} }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 7, method: "tools/list" }));
  release({ decision: "allow", decisionId: "d-slow", ruleIds: [], reasons: [] });
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(h.json(h.toServer).map((m) => [m.id, m.method]), [
    [7, "ping"],
    [7, "tools/list"],
    ["h", "tools/call"],
  ]);
});

Deno.test("RelaySession refuses keys that a case-insensitive server would read as protocol keys", () => {
  const h = harness();
  const messages = [
    '{"jsonrpc":"2.0","id":1,"Method":"tools/call","params":{"name":"forbidden"}}',
    '{"jsonrpc":"2.0","id":2,"method":"ping","METHOD":"tools/call","params":{"name":"forbidden"}}',
    '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","NAME":"forbidden"}}',
    '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo"},"param\u017f":{"name":"forbidden"}}',
    '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","Arguments":{}}}',
    '{"jsonrpc":"2.0","Method":"tools/call","params":{"name":"forbidden"}}',
  ];
  for (const text of messages) h.session.fromClient(enc.encode(text + "\n"));
  assert.equal(h.toServer.length, 0);
  assert.equal(h.calls.length, 0);
  const replies = h.json(h.toClient);
  assert.deepEqual(replies.map((r) => [r.id, r.error.code]), [
    [1, -32600],
    [2, -32600],
    [3, -32600],
    [4, -32600],
    [5, -32600],
    [null, -32600],
  ]);
  assert.match(replies[2].error.message, /params have the key "NAME"/);
  // Ordinary keys that are not protocol keys pass, in arguments too.
  const fine = enc.encode(
    '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"Name":"x"},"extra":1}}\n',
  );
  h.session.fromClient(fine);
  assert.deepEqual(h.toServer, [fine]);
});

Deno.test("RelaySession answers a request with an error when its response has a carriage return inside", () => {
  const outcomes: [unknown, boolean][] = [];
  const h = harness(undefined, {
    maxLineBytes: 1 << 20,
    events: { outcome: (id, _tool, isError) => outcomes.push([id, isError]) },
  });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromServer(
    enc.encode('{"jsonrpc":"2.0","id":1,"result":{"content":[]}\r,"x":1}\n'),
  );
  const huge = enc.encode(
    '{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"' +
      "y".repeat(300_000) + '"}]},\r"z":0}\n',
  );
  h.session.fromServerParts([huge.subarray(0, 100_000), huge.subarray(100_000)]);
  const replies = h.json(h.toClient);
  assert.deepEqual(replies.map((r) => [r.id, r.error?.code]), [[1, -32000], [2, -32000]]);
  assert.match(replies[0].error.message, /a carriage return inside it/);
  assert.deepEqual(outcomes, [[1, true], [2, true]]);
  assert.equal(h.session.inFlight, 0);
});

Deno.test("RelaySession fails closed when the enforcer throws", async () => {
  const h = harness({
    decide: () => {
      throw new Error("engine exploded");
    },
  });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  const rejecting = harness({ decide: () => Promise.reject(new Error("remote down")) });
  rejecting.session.fromClient(
    line({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo" } }),
  );
  await new Promise((r) => setTimeout(r, 0));
  for (const x of [h, rejecting]) {
    assert.equal(x.toServer.length, 0);
    const [reply] = x.json(x.toClient);
    assert.equal(reply.result.isError, true);
    assert.match(reply.result.content[0].text, /enforcer\.error/);
  }
});

Deno.test("RelaySession keeps tool annotations from the last tools/list, across pages", () => {
  const h = harness();
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
  h.session.fromServer(
    line({
      jsonrpc: "2.0",
      id: 1,
      result: { tools: [{ name: "rm", annotations: { destructiveHint: true } }], nextCursor: "p2" },
    }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 2, method: "tools/list", params: { cursor: "p2" } }),
  );
  h.session.fromServer(
    line({
      jsonrpc: "2.0",
      id: 2,
      result: { tools: [{ name: "ls", annotations: { readOnlyHint: true } }] },
    }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "rm" } }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "ls" } }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "never-listed" } }),
  );
  assert.deepEqual(h.calls.map((c) => [c.tool, c.listed, c.annotations]), [
    ["rm", true, { destructiveHint: true }],
    ["ls", true, { readOnlyHint: true }],
    ["never-listed", false, undefined],
  ]);
  // A fresh first page replaces the map.
  h.session.fromClient(line({ jsonrpc: "2.0", id: 6, method: "tools/list" }));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 6, result: { tools: [{ name: "ls" }] } }));
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "rm" } }),
  );
  assert.equal(h.calls.at(-1)?.listed, false);
});

Deno.test("RelaySession tells the enforcer the protocol era of each call", async () => {
  const h = harness();
  // No initialize at all (the client listed the tools): still governed.
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  await new Promise((r) => setTimeout(r, 0));
  h.session.fromClient(
    line({
      jsonrpc: "2.0",
      id: 2,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {} },
    }),
  );
  h.session.fromServer(
    line({ jsonrpc: "2.0", id: 2, result: { protocolVersion: "2025-06-18", capabilities: {} } }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 4,
    method: "tools/call",
    params: { name: "echo", _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
  }));
  assert.deepEqual(h.calls.map((c) => [c.era, c.protocolVersion]), [
    ["initialize", undefined],
    ["initialize", "2025-06-18"],
    ["stateless", "2026-07-28"],
  ]);
});

Deno.test("RelaySession splits a batch only when an element is refused", () => {
  const h = harness();
  const allowed = enc.encode(
    JSON.stringify([
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } },
      {
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken: 1, progress: 1 },
      },
    ]) + "\n",
  );
  h.session.fromClient(allowed);
  assert.equal(h.toServer[0], allowed, "an all-allowed batch is forwarded untouched");
  h.session.fromClient(line([
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "forbidden" } },
    { jsonrpc: "2.0", id: 3, method: "ping" },
  ]));
  assert.deepEqual(h.json(h.toServer.slice(1)), [[{ jsonrpc: "2.0", id: 3, method: "ping" }]]);
  const [[reply]] = h.json(h.toClient);
  assert.equal(reply.id, 2);
  assert.equal(reply.result.isError, true);
});

Deno.test("RelaySession consumes responses to its own requests and never collides ids", async () => {
  const h = harness();
  const answer = h.session.requestClient("elicitation/create", { message: "approve?" });
  const [request] = h.json(h.toClient);
  assert.match(request.id, /^thoth-abc-\d+$/);
  // A server request under another thoth's nonce (a thoth it governs, say) is the server's.
  h.session.fromServer(line({ jsonrpc: "2.0", id: "thoth-xyz-1", method: "roots/list" }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: "thoth-xyz-1", result: { roots: [] } }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: request.id, result: { action: "accept" } }));
  assert.deepEqual((await answer)["result"], { action: "accept" });
  assert.deepEqual(h.json(h.toServer), [{
    jsonrpc: "2.0",
    id: "thoth-xyz-1",
    result: { roots: [] },
  }]);
});

Deno.test("RelaySession ends a held call on notifications/cancelled without forwarding either", async () => {
  let release!: (v: Verdict) => void;
  const h = harness({ decide: () => new Promise<Verdict>((r) => release = r) });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "slow" } }),
  );
  assert.equal(h.session.inFlight, 1);
  h.session.fromClient(
    line({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 9, reason: "user" },
    }),
  );
  assert.equal(h.session.inFlight, 0);
  release({ decision: "allow", decisionId: "d-x", ruleIds: [], reasons: [] });
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(h.toServer.length, 0);
  assert.equal(h.toClient.length, 0);
});

Deno.test("RelaySession drops non-JSON lines with a note and answers pending requests when the server goes", () => {
  const h = harness();
  h.session.fromServer(enc.encode("Server listening on stdio\n"));
  assert.equal(h.toClient.length, 0);
  assert.match(h.notes[0] ?? "", /not JSON/);
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromClient(line({ jsonrpc: "2.0", id: 2, method: "resources/list" }));
  assert.equal(h.session.upstreamGone("gone"), 2);
  assert.deepEqual(h.json(h.toClient).map((r) => [r.id, r.error.code]), [[1, -32000], [2, -32000]]);
});

Deno.test("RelaySession answers the request whose response was over the cap", () => {
  const h = harness();
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 41, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromServerOversize({
    size: 5000,
    head: enc.encode('{"result":{"content":[{"type":"text","text":"xxxx'),
    tail: enc.encode('xxxx"}]},"jsonrpc":"2.0","id":41}'),
  });
  const [reply] = h.json(h.toClient);
  assert.equal(reply.id, 41);
  assert.match(reply.error.message, /over thoth's line cap of 1 KiB/);
});

/** A JSON-RPC result line bigger than the envelope-only threshold, cut in 64 KiB pieces. */
function largeResult(
  id: number,
  tail: string,
  end = "\n",
): { parts: Uint8Array[]; bytes: Uint8Array } {
  const bytes = enc.encode(
    `{"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text","text":"${
      "q".repeat(LARGE_LINE_BYTES)
    }"}]${tail}}}${end}`,
  );
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) parts.push(bytes.slice(i, i + 64 * 1024));
  return { parts, bytes };
}

Deno.test("RelaySession forwards a large tools/call result as the pieces it came in, and records it", () => {
  const outcomes: [unknown, boolean][] = [];
  const raws: (RawResponse | undefined)[] = [];
  const h = harness(undefined, {
    events: {
      outcome: (id, _tool, isError, _ms, _result, raw) => {
        outcomes.push([id, isError]);
        raws.push(raw);
      },
    },
  });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "echo" } }),
  );
  const ok = largeResult(4, "");
  const failed = largeResult(5, ',"isError":true', "\r\n");
  h.session.fromServerParts(ok.parts);
  assert.equal(h.toClient.length, ok.parts.length);
  ok.parts.forEach((part, i) => assert.equal(h.toClient[i], part, `piece ${i} forwarded as is`));
  h.session.fromServerParts(failed.parts);
  assert.deepEqual(outcomes, [[4, false], [5, true]]);
  assert.equal(raws[0]?.parts, ok.parts, "the audit gets the bytes as they were read");
  assert.equal(raws[0]?.bytes, ok.bytes.length - 1, "without the line terminator");
  assert.equal(raws[1]?.bytes, failed.bytes.length - 2, "without a CRLF either");
  assert.equal(h.session.upstreamGone("gone"), 0, "both requests count as answered");
});

Deno.test("RelaySession parses a large line in pieces when its body matters, and a small one", () => {
  const seen: ToolCall[] = [];
  const h = harness({
    decide: (call, ids) => {
      seen.push(call);
      return { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] };
    },
  });
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }));
  const listing = enc.encode(
    JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      result: {
        tools: [{
          name: "wipe",
          description: "d".repeat(LARGE_LINE_BYTES),
          inputSchema: { type: "object" },
          annotations: { destructiveHint: true },
        }],
      },
    }) + "\n",
  );
  const pieces = [listing.slice(0, 1000), listing.slice(1000, 200_000), listing.slice(200_000)];
  h.session.fromServerParts(pieces);
  assert.equal(h.toClient.length, 1, "a tools/list page is parsed whole and forwarded once");
  assert.deepEqual(h.toClient[0], listing);
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "wipe" } }),
  );
  assert.deepEqual(seen[0]?.annotations, { destructiveHint: true });
  const small = enc.encode('{"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n');
  h.session.fromServerParts([small.slice(0, 9), small.slice(9)]);
  assert.deepEqual(h.toClient[1], small);
});

/** A line cut into pieces at odd places, multi-byte characters included. */
function pieces(text: string): { parts: Uint8Array[]; bytes: Uint8Array } {
  const bytes = enc.encode(text);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 40_001) parts.push(bytes.slice(i, i + 40_001));
  return { parts, bytes };
}

Deno.test("RelaySession decides a large request from its pieces and forwards those pieces", () => {
  const h = harness();
  const content = "é✓".repeat(LARGE_LINE_BYTES / 2);
  const call = (id: number, name: string) =>
    pieces(
      JSON.stringify({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name, arguments: { content } },
      }) + "\n",
    );
  const allowed = call(7, "write");
  h.session.fromClientParts(allowed.parts);
  assert.equal(h.calls[0]?.tool, "write");
  assert.equal((h.calls[0]?.arguments as { content: string }).content, content);
  assert.equal(h.toServer.length, allowed.parts.length);
  allowed.parts.forEach((part, i) => assert.equal(h.toServer[i], part, `piece ${i} as it came`));

  const blocked = call(8, "forbidden");
  h.session.fromClientParts(blocked.parts);
  assert.equal(h.toServer.length, allowed.parts.length, "a blocked request sends nothing");
  assert.equal(h.json(h.toClient)[0]?.id, 8);

  const broken = pieces(JSON.stringify({ jsonrpc: "2.0", id: 9, method: "x" }).slice(0, -1) + "\n");
  h.session.fromClientParts(broken.parts);
  assert.match(h.notes.at(-1) ?? "", /dropped a line from the client that is not JSON/);
  const badUtf8 = [
    enc.encode('{"jsonrpc":"2.0","method":"n","params":"'),
    new Uint8Array([0xff]),
    enc.encode('"}\n'),
  ];
  h.session.fromClientParts(badUtf8);
  assert.match(h.notes.at(-1) ?? "", /not JSON \(\d+ bytes\)/);
  assert.equal(h.toServer.length, allowed.parts.length, "neither reached the server");
});

Deno.test("RelaySession still relays a server line that starts with a byte order mark, as before", () => {
  const h = harness();
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, method: "ping" }));
  const withBom = new Uint8Array([
    0xef,
    0xbb,
    0xbf,
    ...line({ jsonrpc: "2.0", id: 1, result: {} }),
  ]);
  h.session.fromServer(withBom);
  assert.deepEqual(h.toClient, [withBom]);
  assert.equal(h.session.inFlight, 0, "and it answered the request");
});

Deno.test("RelaySession reports the client's answers to the server's roots/list, and relays them untouched", () => {
  const roots: unknown[] = [];
  const h = harness(undefined, { events: { rootsListed: (result) => roots.push(result) } });
  const rootsResult = { roots: [{ uri: "file:///data/b", name: "b" }] };
  h.session.fromServer(line({ jsonrpc: "2.0", id: 0, method: "roots/list" }));
  h.session.fromServer(line({ jsonrpc: "2.0", id: "x", method: "sampling/createMessage" }));
  // Answers to other requests and errors are no roots.
  h.session.fromClient(line({ jsonrpc: "2.0", id: "x", result: rootsResult }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 7, result: rootsResult }));
  assert.deepEqual(roots, []);
  const answer = line({ jsonrpc: "2.0", id: 0, result: rootsResult });
  h.session.fromClient(answer);
  assert.deepEqual(roots, [rootsResult]);
  assert.equal(h.toServer.at(-1), answer, "the answer reaches the server as it was");
  h.session.fromClient(line({ jsonrpc: "2.0", id: 0, result: { roots: [] } }));
  assert.equal(roots.length, 1, "one answer per request");
  h.session.fromServer(line({ jsonrpc: "2.0", id: 1, method: "roots/list" }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 1, error: { code: -1, message: "no" } }));
  assert.equal(roots.length, 1, "an error names no roots");
  // In a batch, too.
  h.session.fromServer(line({ jsonrpc: "2.0", id: 2, method: "roots/list" }));
  h.session.fromClient(line([{ jsonrpc: "2.0", id: 2, result: rootsResult }]));
  assert.equal(roots.length, 2);
});

Deno.test("RelaySession remembers only the latest unanswered roots/list requests", () => {
  const roots: unknown[] = [];
  const h = harness(undefined, { events: { rootsListed: (result) => roots.push(result) } });
  for (let id = 0; id < 40; id++) {
    h.session.fromServer(line({ jsonrpc: "2.0", id, method: "roots/list" }));
  }
  h.session.fromClient(line({ jsonrpc: "2.0", id: 0, result: { roots: [] } }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: 39, result: { roots: [] } }));
  assert.equal(roots.length, 1, "the oldest was forgotten, the newest reported");
});

Deno.test("RelaySession counts a roots answer whose id reads as the request's number, as the SDK does", () => {
  const roots: unknown[] = [];
  const h = harness(undefined, { events: { rootsListed: (result) => roots.push(result) } });
  for (const [request, answer] of [[0, "0"], [1, " 1"], [2, "2.0"], [3, ""]] as const) {
    h.session.fromServer(line({ jsonrpc: "2.0", id: request, method: "roots/list" }));
    h.session.fromClient(line({ jsonrpc: "2.0", id: answer, result: { roots: [] } }));
  }
  assert.equal(roots.length, 3, 'Number("") is 0, not 3: the last answer matches no request');
  h.session.fromServer(line({ jsonrpc: "2.0", id: "a", method: "roots/list" }));
  h.session.fromClient(line({ jsonrpc: "2.0", id: "A", result: { roots: [] } }));
  assert.equal(roots.length, 3, "string ids match exactly");
});

// ── lines lost on the way, and ids the two sides share ─────────────────────

const LONG_ID = "9007199254740993";

Deno.test("RelaySession never takes a large request of the server's for the answer to the client's call", () => {
  const outcomes: unknown[][] = [];
  const h = harness(undefined, { events: { outcome: (...args) => outcomes.push(args) } });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  // Client and server number their requests each from 1: a 300 KiB sampling request with id 1.
  const sampling = line({
    jsonrpc: "2.0",
    id: 1,
    method: "sampling/createMessage",
    params: { messages: [{ role: "user", content: { type: "text", text: "x".repeat(300_000) } }] },
  });
  h.session.fromServer(sampling);
  assert.equal(h.toClient.at(-1), sampling, "relayed to the client as it came");
  assert.equal(outcomes.length, 0, "no outcome for the call yet");
  assert.equal(h.session.inFlight, 1, "the call still waits for its answer");
  h.session.fromServer(line({ jsonrpc: "2.0", id: 1, result: { content: [] } }));
  assert.equal(outcomes.length, 1);
  assert.equal(h.session.inFlight, 0);
});

Deno.test("RelaySession answers the server, not the client, when the server's request is over the cap", () => {
  const h = harness();
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  h.toServer.length = 0;
  h.session.fromServerOversize({
    size: 70_000_000,
    head: enc.encode('{"jsonrpc":"2.0","id":1,"method":"sampling/createMessage","params":{"m'),
    tail: enc.encode('xyz"}]}}'),
  });
  assert.deepEqual(h.toClient, [], "the client's call is not failed");
  assert.equal(h.session.inFlight, 1);
  const [answer] = h.json(h.toServer);
  assert.equal(answer.id, 1);
  assert.match(answer.error.message, /Request too large: 70000000 bytes/);
  assert.match(h.notes.at(-1)!, /a request of the server's, id 1: answered with an error/);
});

Deno.test("RelaySession answers the server when the client's answer to its request is lost", () => {
  const h = harness(undefined, { maxLineBytes: 2048 });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromServer(line({ jsonrpc: "2.0", id: 1, method: "sampling/createMessage" }));
  h.session.fromServer(line({ jsonrpc: "2.0", id: 2, method: "roots/list" }));
  h.toServer.length = 0;
  h.toClient.length = 0;
  h.session.fromClientOversize({
    size: 3000,
    head: enc.encode('{"jsonrpc":"2.0","id":1,"result":{"content":{"text":"'),
    tail: enc.encode('aaa"}}}'),
  });
  h.session.fromClient(enc.encode('{"jsonrpc":"2.0","id":2,"result":{"roots":[NaN]}}\n'));
  // An answer to nothing the server asked is only noted.
  h.session.fromClient(enc.encode('{"jsonrpc":"2.0","id":3,"result":{NaN}}\n'));
  assert.deepEqual(h.toClient, [], "the client's own call is not failed");
  assert.equal(h.session.inFlight, 1);
  const answers = h.json(h.toServer);
  assert.deepEqual(answers.map((a) => [a.id, a.error.code]), [[1, -32000], [2, -32000]]);
  assert.match(answers[0].error.message, /The client's answer \(3000 bytes\) is over/);
  assert.match(
    h.notes.at(-3)!,
    /the answer to the server's request 1; the server was sent an error/,
  );
  assert.doesNotMatch(h.notes.at(-1)!, /server was sent/);
});

Deno.test("RelaySession answers a call whose response it cannot read, and records the outcome", () => {
  const outcomes: unknown[][] = [];
  const h = harness(undefined, { events: { outcome: (...args) => outcomes.push(args) } });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromClient(line({ jsonrpc: "2.0", id: 5, method: "tools/list" }));
  // Python's json writes NaN; a byte that is not UTF-8 is no JSON text either.
  h.session.fromServer(enc.encode('{"jsonrpc":"2.0","id":4,"result":{"value":NaN}}\n'));
  h.session.fromServer(
    new Uint8Array([
      ...enc.encode('{"jsonrpc":"2.0","id":5,"result":{"tools":[],"x":"'),
      0xe9,
      ...enc.encode('"}}\n'),
    ]),
  );
  h.session.fromServer(enc.encode("listening on stdio\n"));
  const answers = h.json(h.toClient);
  assert.deepEqual(answers.map((a) => [a.id, a.error.code]), [[4, -32000], [5, -32000]]);
  assert.match(answers[0].error.message, /could not read the server's response as JSON/);
  assert.equal(h.session.inFlight, 0);
  assert.equal(outcomes.length, 1);
  assert.equal(outcomes[0]![2], true, "recorded as an error");
  assert.match(h.notes[0]!, /not JSON \(\d+ bytes\) \(answered request 4 with an error\)/);
  assert.doesNotMatch(h.notes[2]!, /answered/);
  assert.equal(h.session.dropped.fromServer, 3);
});

Deno.test("RelaySession answers under an id past 2^53 digit for digit when it refuses or cannot read a line", () => {
  const lines = [
    `{"jsonrpc":"2.0","id":${LONG_ID},"method":"tools/call","params":{"name":"echo","arguments":{"a":1,"a":2}}}`,
    `{"jsonrpc":"2.0","id":${LONG_ID},"method":"tools/call","params":{"name":"echo","arguments":{"a":"\\u0000"}}}`,
    `{"jsonrpc":"2.0","id":${LONG_ID},"method":"tools/call","params":{"name":"echo","arguments":{"a":NaN}}}`,
  ];
  for (const text of lines) {
    const h = harness();
    h.session.fromClient(enc.encode(text + "\n"));
    assert.equal(h.toServer.length, 0);
    assert.match(dec.decode(h.toClient[0]), new RegExp(`"id":${LONG_ID}[,}]`), text);
  }
  const h = harness();
  h.session.fromClientOversize({
    size: 5e7,
    head: enc.encode(`{"jsonrpc":"2.0","id":${LONG_ID},"method":"tools/call","params":{"x":"`),
    tail: enc.encode('"}}'),
  });
  assert.match(dec.decode(h.toClient[0]), new RegExp(`"id":${LONG_ID},`));
});

Deno.test("RelaySession forwards an approved stateless retry under the client's id, digit for digit", async () => {
  const h = harness({
    decide: (_call, ids) => ({
      decision: "step_up",
      decisionId: ids(),
      ruleIds: ["r"],
      reasons: ["ask"],
    }),
  }, {
    approver: Object.assign(() => Promise.resolve({ approved: false, why: "unused" }), {
      stateless: () =>
        Promise.resolve({
          kind: "decided" as const,
          outcome: { approved: true, why: "allowed once" },
          forwardParams: { name: "echo", arguments: { a: 1 } },
        }),
    }),
  });
  h.session.fromClient(enc.encode(
    `{"jsonrpc":"2.0","id":${LONG_ID},"method":"tools/call","params":{"name":"echo","arguments":{"a":1},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}\n`,
  ));
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(h.toServer.length, 1);
  assert.match(dec.decode(h.toServer[0]), new RegExp(`"id":${LONG_ID},`));
});

Deno.test("RelaySession keeps nothing of calls that ended: cancelled tools/list, blocked calls", async () => {
  const probe = new URL("../fixtures/proxy/retention_probe.ts", import.meta.url).pathname;
  const home = await Deno.makeTempDir({ prefix: "thoth-retention-" });
  for (const mode of ["tools-list-cancelled", "blocked-calls"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-config",
        `--allow-read=${home}`,
        `--allow-write=${home}`,
        "--v8-flags=--expose-gc",
        probe,
        mode,
        "100000",
        home,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = dec.decode(out.stdout);
    assert.equal(out.code, 0, dec.decode(out.stderr));
    const growth = Number(/growth (\S+) MiB/.exec(text)?.[1]);
    assert.ok(growth < 4, `${mode}: the heap grew ${growth} MiB over 100,000 calls`);
  }
});

Deno.test("RelaySession fails no call for a server log line that quotes a message", () => {
  const outcomes: unknown[][] = [];
  const h = harness(undefined, { events: { outcome: (...args) => outcomes.push(args) } });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  // The SDK's key order ends a logged request with "id":1; a log prefix makes the line no JSON.
  h.session.fromServer(enc.encode(
    '[debug] handling {"method":"tools/call","params":{"name":"echo"},"jsonrpc":"2.0","id":1}\n',
  ));
  h.session.fromServer(enc.encode('{"jsonrpc":"2.0","id":1,"x":{NaN}}\n'));
  assert.deepEqual(h.toClient, []);
  assert.equal(h.session.inFlight, 1);
  const answer = line({ jsonrpc: "2.0", id: 1, result: { content: [] } });
  h.session.fromServer(answer);
  assert.deepEqual(h.toClient, [answer]);
  assert.equal(outcomes.length, 1);
  assert.equal(outcomes[0]![2], false, "the real answer is the recorded one");
});

Deno.test("RelaySession parses a large server line whole when its bytes leave its id or kind in doubt", () => {
  const outcomes: unknown[][] = [];
  const h = harness(undefined, { events: { outcome: (...args) => outcomes.push(args) } });
  for (const [id, name] of [[1, "read_secret"], [2, "echo"]] as const) {
    h.session.fromClient(
      line({ jsonrpc: "2.0", id, method: "tools/call", params: { name } }),
    );
  }
  const big = JSON.stringify({ content: [{ type: "text", text: "x".repeat(300_000) }] });
  // A repeated id: the client's parser keeps the last one, and so must thoth.
  h.session.fromServer(enc.encode(`{"jsonrpc":"2.0","result":${big},"id":1,"id":2}\n`));
  assert.deepEqual(outcomes.map((o) => o[0]), [2]);
  // A method between two structured members: a request of the server's, not call 1's answer.
  h.session.fromServer(enc.encode(
    `{"jsonrpc":"2.0","id":1,"_meta":${big},"method":"sampling/createMessage","params":{}}\n`,
  ));
  assert.deepEqual(outcomes.map((o) => o[0]), [2]);
  assert.equal(h.session.inFlight, 1, "call 1 still waits");
});

Deno.test("RelaySession answers the client's unreadable request even when its method comes late", () => {
  const h = harness();
  h.session.fromServer(line({ jsonrpc: "2.0", id: 7, method: "roots/list" }));
  h.toClient.length = 0;
  h.session.fromClient(enc.encode(
    '{"jsonrpc":"2.0","id":7,"_meta":{},"method":"tools/call","params":{"name":"echo","arguments":{"n":NaN}}}\n',
  ));
  assert.deepEqual(h.toServer, [], "the server's roots/list is not failed");
  assert.deepEqual(h.json(h.toClient).map((r) => [r.id, r.error.code]), [[7, -32700]]);
});

Deno.test("RelaySession records the calls the server never answered when it goes", () => {
  const outcomes: unknown[][] = [];
  const h = harness(undefined, { events: { outcome: (...args) => outcomes.push(args) } });
  h.session.fromClient(
    line({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo" } }),
  );
  h.session.fromClient(line({ jsonrpc: "2.0", id: 2, method: "ping" }));
  assert.equal(h.session.upstreamGone("The MCP server exited (code 1)"), 2);
  assert.deepEqual(outcomes.map((o) => [o[0], o[1], o[2]]), [[1, "echo", true]]);
});
