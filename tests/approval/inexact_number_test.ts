/**
 * Numbers that `JSON.parse` may have changed (beyond 2^53, or not finite)
 * make the argument digest ambiguous: no session grant may cover such a
 * call, and the person is asked each time.
 */
import assert from "node:assert/strict";
import type { ApprovalChannel, ChannelAsk } from "../../src/approval/approval_channel.ts";
import { argumentDigest } from "../../src/approval/argument_digest.ts";
import { createApprover } from "../../src/approval/create_approver.ts";
import { inexactNumber, isInexactNumber } from "../../src/approval/inexact_number.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { stepUpRequest } from "./_relay_harness.ts";

function request(args: Record<string, unknown>, decisionId = "d-1"): ApprovalRequest {
  return stepUpRequest(
    { server: "chat", tool: "delete_message", era: "initialize", protocolVersion: undefined },
    args,
    decisionId,
    "deletes",
  );
}

/** A channel where the person always picks "allow for this session"; records each question. */
function sessionChannel(asks: ChannelAsk[]): ApprovalChannel {
  return {
    name: "queue",
    available: () => true,
    ask: (ask) => {
      asks.push(ask);
      return Promise.resolve({
        kind: "approve",
        scope: "session",
        approver: "ana",
        digest: ask.question.digest,
      });
    },
  };
}

Deno.test("inexactNumber() finds numbers JSON.parse may have changed, and names only plain keys", () => {
  const parsed = (text: string) => JSON.parse(text) as Record<string, unknown>;
  assert.equal(inexactNumber(parsed('{"message_id":9007199254740993}')), "message_id");
  assert.equal(inexactNumber(parsed('{"message_id":-9007199254740992}')), "message_id");
  assert.equal(inexactNumber(parsed('{"n":1e400}')), "n");
  assert.equal(inexactNumber(parsed('{"n":-1e400}')), "n");
  assert.equal(inexactNumber(parsed('{"q":{"ids":[1,2,18446744073709551615]}}')), "q.ids[2]");
  assert.equal(inexactNumber(parsed('{"jane@example.org":[1e999]}')), "[?][0]");
  assert.equal(inexactNumber(parsed('{"message_id":9007199254740991}')), undefined);
  assert.equal(inexactNumber(parsed('{"message_id":"9007199254740993"}')), undefined);
  assert.equal(inexactNumber(parsed('{"ratio":1.5,"x":-0.1,"n":null,"e":1e-300}')), undefined);
  // Every double past 2^53 is an integer, and many texts read as the same one.
  assert.equal(inexactNumber(parsed('{"big":1.5e300}')), "big");
  assert.equal(inexactNumber(undefined), undefined);
  assert.equal(isInexactNumber(Number.NaN), true);
  assert.equal(isInexactNumber(Number.MAX_SAFE_INTEGER), false);
});

Deno.test("argumentDigest() cannot tell 9007199254740992 from 9007199254740993 (why grants must not)", async () => {
  const a = await argumentDigest("chat", "t", JSON.parse('{"message_id":9007199254740992}'));
  const b = await argumentDigest("chat", "t", JSON.parse('{"message_id":9007199254740993}'));
  assert.equal(a, b);
});

Deno.test("createApprover(): a session grant never covers a call with a number beyond 2^53", async () => {
  const asks: ChannelAsk[] = [];
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    channels: [sessionChannel(asks)],
  });
  const first = await approver(request(JSON.parse('{"message_id":9007199254740992}')));
  assert.equal(first.approved, true, "the held call itself may run once");
  assert.equal(first.scope, "once", "the session answer is narrowed to this call");
  assert.match(first.why, /allowed it once \(a number in the arguments is too large/);
  assert.equal(asks[0]?.allowSession, false, "allow-for-session is not offered");
  const other = await approver(request(JSON.parse('{"message_id":9007199254740993}'), "d-2"));
  assert.equal(asks.length, 2, "the person is asked again for the other message");
  assert.equal(other.channel, "queue", "no grant admitted it");
  const infinite = await approver(request(JSON.parse('{"n":1e400}'), "d-3"));
  assert.equal(infinite.channel, "queue");
  assert.equal(asks.length, 3);
});

Deno.test("createApprover(): a session grant for null does not cover 1e400, which parses to Infinity", async () => {
  const asks: ChannelAsk[] = [];
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    channels: [sessionChannel(asks)],
  });
  assert.equal((await approver(request({ n: null }))).scope, "session");
  const infinite = await approver(request(JSON.parse('{"n":1e400}'), "d-2"));
  assert.equal(asks.length, 2, "asked again: canonical JSON writes Infinity as null");
  assert.notEqual(infinite.channel, "grant");
});

Deno.test("createApprover(): ordinary arguments still get and use a session grant", async () => {
  const asks: ChannelAsk[] = [];
  const approver = createApprover({
    thothHome: "/nonexistent",
    env: { USER: "ana" },
    channels: [sessionChannel(asks)],
  });
  const args = { message_id: 9007199254740991, ratio: 0.25 };
  const first = await approver(request(args));
  assert.equal(asks[0]?.allowSession, true);
  assert.deepEqual([first.kind, first.scope], ["approved", "session"]);
  const again = await approver(request({ ...args }, "d-2"));
  assert.equal(asks.length, 1);
  assert.deepEqual([again.channel, again.kind, again.scope], ["grant", "approved", "grant"]);
});
