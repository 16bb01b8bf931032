/**
 * The server's progress is shifted above thoth's own only for the call thoth
 * reported on while it waited, and only while the server runs that call:
 * once a call ends by any path (thoth's refusal, the client's cancellation,
 * the server's answer), a later request under the same token gets the
 * server's progress as it was sent. A rewrite touches only the notification
 * it shifts: every other element of a server batch keeps its exact bytes
 * (an integer past 2^53 too), and a token past 2^53, which parsing cannot
 * keep, is never rewritten at all.
 */
import assert from "node:assert/strict";
import type { ApprovalChannel } from "../../src/approval/approval_channel.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { parseExactIntegers } from "../../src/protocol/exact_integers.ts";
import { RelaySession } from "../../src/proxy/relay_session.ts";
import { listTools } from "./_raw_relay.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const BIG = "12345678901234567891";

/** A relay whose one approval channel answers `answer` after 150 ms. */
function relay(answer: () => "approve" | "deny") {
  const channel: ApprovalChannel = {
    name: "test",
    available: () => true,
    ask: async ({ question }) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return answer() === "approve"
        ? { kind: "approve", scope: "once", approver: "ana", digest: question.digest }
        : { kind: "deny", approver: "ana" };
    },
  };
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    os: "linux",
    progressIntervalMs: 40,
    channels: [channel],
  });
  const toClient: string[] = [];
  const toServer: string[] = [];
  const session = new RelaySession({
    toServer: (bytes) => toServer.push(dec.decode(bytes)),
    toClient: (bytes) => toClient.push(dec.decode(bytes)),
    note: () => {},
  }, {
    server: "s",
    enforcer: {
      decide: (call, ids) =>
        call.tool === "slow"
          ? { decision: "step_up", decisionId: ids(), ruleIds: ["ask"], reasons: [] }
          : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] },
    },
    newDecisionId: () => crypto.randomUUID(),
    nonce: "t",
    approver,
  });
  // The client has listed the server's tools (none), so thoth lists none itself.
  listTools(session);
  toServer.length = 0;
  toClient.length = 0;
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(done(), `timed out; client got ${JSON.stringify(toClient)}`);
  };
  return { session, toClient, toServer, until, end: () => approver.endSession() };
}

const call = (id: number, token: string, name = "slow") =>
  enc.encode(
    `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${name}",` +
      `"arguments":{},"_meta":{"progressToken":${token}}}}\n`,
  );
const progress = (token: string, value: number, total = 2) =>
  `{"jsonrpc":"2.0","method":"notifications/progress","params":` +
  `{"progressToken":${token},"progress":${value},"total":${total}}}`;

Deno.test("a call thoth refused leaves no shift behind: a later request under its token gets the server's progress as sent", async () => {
  const r = relay(() => "deny");
  try {
    r.session.fromClient(call(1, '"T"'));
    await r.until(() => r.toClient.some((l) => l.includes('"id":1,')));
    assert.ok(r.toClient.some((l) => l.includes('"progressToken":"T"')), "thoth reported on T");
    r.session.fromClient(
      enc.encode(
        '{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"file:///x",' +
          '"_meta":{"progressToken":"T"}}}\n',
      ),
    );
    r.toClient.length = 0;
    const line = progress('"T"', 1) + "\n";
    r.session.fromServer(enc.encode(line));
    assert.deepEqual(r.toClient, [line]);
    // A cancelled wait leaves nothing behind either.
    r.session.fromClient(call(3, '"V"'));
    await r.until(() => r.toClient.some((l) => l.includes('"progressToken":"V"')));
    r.session.fromClient(
      enc.encode(
        '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}\n',
      ),
    );
    r.session.fromClient(call(4, '"V"', "fast"));
    r.toClient.length = 0;
    r.session.fromServer(enc.encode(progress('"V"', 1) + "\n"));
    assert.deepEqual(r.toClient, [progress('"V"', 1) + "\n"]);
  } finally {
    r.end();
  }
});

Deno.test("a shifted notification in a server batch leaves every other element's bytes as they were", async () => {
  const r = relay(() => "approve");
  try {
    r.session.fromClient(call(1, '"U"'));
    await r.until(() => r.toServer.some((l) => l.includes('"id":1,')));
    const own = r.toClient.map((l) => JSON.parse(l)).filter((m) => m.method !== undefined);
    assert.ok(own.length >= 1);
    const shift = own.at(-1).params.progress + 1;
    r.session.fromClient(
      enc.encode('{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"x"}}\n'),
    );
    r.toClient.length = 0;
    const other = `{"jsonrpc": "2.0", "id": 2, "result": {"contents": [], "_meta": {"n": ${BIG}, ` +
      `"s": "\\u00e9\\/"}}}`;
    r.session.fromServer(enc.encode(`[${progress('"U"', 1)}, ${other}]\n`));
    assert.equal(r.toClient.length, 1);
    const sent = r.toClient[0]!;
    assert.ok(sent.includes(`, ${other}]\n`), `the response kept its bytes: ${sent}`);
    const [shifted] = parseExactIntegers(sent) as [{ params: { progress: number; total: number } }];
    assert.deepEqual([shifted.params.progress, shifted.params.total], [1 + shift, 2 + shift]);
  } finally {
    r.end();
  }
});

Deno.test("a progress token past 2^53 is neither reported on by thoth nor rewritten", async () => {
  const r = relay(() => "approve");
  try {
    r.session.fromClient(call(1, BIG));
    await r.until(() => r.toServer.some((l) => l.includes('"id":1,')));
    const own = r.toClient.filter((l) => l.includes("notifications/progress"));
    assert.deepEqual(own, [], "no progress under a token thoth would misspell");
    const line = `{"jsonrpc":"2.0","method":"notifications/progress","params":` +
      `{"progressToken":${BIG},"progress":9007199254740993}}\n`;
    r.session.fromServer(enc.encode(line));
    assert.deepEqual(r.toClient, [line]);
  } finally {
    r.end();
  }
});
