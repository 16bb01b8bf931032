/**
 * A client that closes its input while the approver still looks for an
 * answer in hand (digesting the arguments to find a session grant) has
 * asked no person yet: the grant still decides the call, and a call with
 * none is refused without anyone being asked. The client's EOF is delivered
 * in the same turn as the approver starts, so it always lands while the
 * digest is under way (the race the end-to-end test hit about once in 20).
 */
import assert from "node:assert/strict";
import { createApprover } from "../../src/approval/create_approver.ts";
import type { ApprovalChannel, ChannelAsk } from "../../src/approval/approval_channel.ts";
import type { ApprovalOutcome, Approver } from "../../src/proxy/relay_session.ts";
import { type RelayHarness, startRelay, tempHome } from "./_relay_harness.ts";

type ToolText = { content: { type: string; text: string }[]; isError?: boolean };

const WRITE = { name: "write_file", arguments: { path: "/srv/plans.txt", content: "x" } };

/** A channel whose person allows every call for the session, counting each question. */
function sessionYes(asked: ChannelAsk[]): ApprovalChannel {
  return {
    name: "test",
    available: () => true,
    ask: (ask) => {
      asked.push(ask);
      return Promise.resolve({
        kind: "approve",
        scope: "session",
        approver: "ana",
        digest: ask.question.digest,
      });
    },
  };
}

/**
 * Starts a relay whose approver is `approver`; once `closing.now` is set, the
 * client's input closes right after the approver is called, before it can
 * await anything.
 */
async function relayClosingOnAsk(
  approver: Approver,
): Promise<{ h: RelayHarness; closing: { now: boolean }; outcomes: ApprovalOutcome[] }> {
  const closing = { now: false };
  const outcomes: ApprovalOutcome[] = [];
  // deno-lint-ignore prefer-const
  let h: RelayHarness;
  const wrapped: Approver = (request) => {
    const outcome = approver(request).then((o) => (outcomes.push(o), o));
    if (closing.now) h.session.clientInputClosed();
    return outcome;
  };
  h = await startRelay({ approver: wrapped });
  return { h, closing, outcomes };
}

/** An approver whose one channel allows for the session, noting each ask in `asked`. */
function approverAsking(home: string, asked: ChannelAsk[]): ReturnType<typeof createApprover> {
  return createApprover({
    thothHome: home,
    env: { USER: "tester", PATH: "" },
    channels: [sessionYes(asked)],
    timeoutMs: 10_000,
  });
}

/** What the client got for a call: the tool result's text, or the JSON-RPC error's message. */
async function callText(h: RelayHarness): Promise<{ text: string; isError: boolean }> {
  try {
    const result = await h.client.callTool(WRITE) as ToolText;
    return { text: result.content.map((c) => c.text).join("\n"), isError: !!result.isError };
  } catch (error) {
    return { text: error instanceof Error ? error.message : String(error), isError: true };
  }
}

Deno.test("a session grant decides a call whose client closed its input while the grant was looked up", async () => {
  const { home, remove } = await tempHome();
  const asked: ChannelAsk[] = [];
  const approver = approverAsking(home, asked);
  const { h, closing, outcomes } = await relayClosingOnAsk(approver);
  try {
    const first = await callText(h);
    assert.equal(first.isError, false, first.text);
    assert.equal(asked.length, 1, "a person allowed it for the session");
    closing.now = true;
    const second = await callText(h);
    assert.equal(second.isError, false, second.text);
    assert.match(second.text, /ran write_file/);
    assert.equal(h.ran.length, 2, "the granted call ran");
    assert.equal(asked.length, 1, "nobody was asked again");
    assert.deepEqual(outcomes.map((o) => o.channel), ["test", "grant"]);
  } finally {
    approver.endSession();
    await h.close();
    await remove();
  }
});

Deno.test("a call with no grant whose client closed its input while the grant was looked up asks no one and does not run", async () => {
  const { home, remove } = await tempHome();
  const asked: ChannelAsk[] = [];
  const approver = approverAsking(home, asked);
  const { h, closing, outcomes } = await relayClosingOnAsk(approver);
  try {
    closing.now = true;
    const answer = await callText(h);
    assert.equal(answer.isError, true, answer.text);
    assert.match(answer.text, /closed its input while the call waited for a person/);
    assert.deepEqual(h.ran, [], "nothing ran");
    assert.equal(asked.length, 0, "nobody was asked");
    assert.deepEqual(outcomes.map((o) => [o.approved, o.kind]), [[false, "cancelled"]]);
  } finally {
    approver.endSession();
    await h.close();
    await remove();
  }
});

Deno.test("a call whose approver starts asking a person after the client left is withdrawn, even if it approves", async () => {
  // An approver that ignores its aborted signal: it says it is looking, then asks and says yes.
  const started = Promise.withResolvers<() => void>();
  const careless: Approver = (request) => {
    request.stage?.("looking");
    return new Promise<ApprovalOutcome>((resolve) => {
      started.resolve(() => {
        request.stage?.("asking");
        resolve({ approved: true, kind: "approved", scope: "once", why: "a person allowed it" });
      });
    });
  };
  const { h, closing } = await relayClosingOnAsk(careless);
  try {
    closing.now = true;
    const answered = callText(h);
    (await started.promise)();
    const answer = await answered;
    assert.equal(answer.isError, true, answer.text);
    assert.match(answer.text, /closed its input while the call waited for a person/);
    assert.deepEqual(h.ran, [], "nothing ran");
  } finally {
    await h.close();
  }
});
