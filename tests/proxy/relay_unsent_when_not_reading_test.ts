/**
 * What RelaySession sends nothing of once the client stopped reading its
 * output (a write to it failed): a live answer to the server's sampling
 * request whose chosen tools are decided after that is not sent to the
 * server, as a call decided then is not (the tools would run with no one to
 * see what they do): the server gets an error for its request instead,
 * stderr says why, and each chosen tool is told as ended unforwarded (its
 * audit record: a cancellation that says it did not run). And a call
 * allowed then, which progressive mode's first rung warned of as
 * "forwarded", is said on stderr not to have been forwarded after all.
 */
import assert from "node:assert/strict";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { call, line, rawRelay, settle } from "./_raw_relay.ts";
import { RESULT, sampling } from "./_sampling_answer.ts";

Deno.test("RelaySession refuses a sampling answer decided after the client stopped reading", async () => {
  let allow: (() => void) | undefined;
  const pending: Enforcer = {
    decide: (_call, ids) => {
      const decisionId = ids();
      return new Promise<Verdict>((resolve) =>
        allow = () => resolve({ decision: "allow", decisionId, ruleIds: [], reasons: [] })
      );
    },
  };
  const ended: string[] = [];
  const h = rawRelay({
    enforcer: pending,
    events: {
      toolUseEnded: (call, verdict, id, forwarded) =>
        ended.push(`${call.tool} ${verdict.decisionId} ${JSON.stringify(id)} ${forwarded}`),
    },
  });
  h.session.fromServer(line(sampling(0)));
  h.toClient.length = 0;
  h.session.fromClient(line({ jsonrpc: "2.0", id: 0, result: RESULT }));
  await settle();
  assert.ok(allow !== undefined, "the chosen tool is being decided");
  h.session.clientOutputBroke();
  await settle();
  allow();
  await settle();
  const toServer = h.json(h.toServer);
  assert.equal(toServer.length, 1, JSON.stringify(toServer));
  assert.equal(toServer[0].id, 0);
  assert.equal(toServer[0].result, undefined, "the answer itself was not sent");
  assert.match(toServer[0].error.message, /client stopped reading thoth's output/);
  assert.deepEqual(ended, ["delete_everything d-1 0 false"]);
  assert.ok(
    h.notes.some((n) =>
      /^refused the client's answer to the server's sampling request 0: the client stopped reading/
        .test(n)
    ),
    h.notes.join("\n"),
  );
});

Deno.test("RelaySession says a call allowed after the client stopped reading was not forwarded after all", async () => {
  let allow: (() => void) | undefined;
  const pending: Enforcer = {
    decide: (_call, ids) => {
      const decisionId = ids();
      // As progressive mode's first rung: allowed, with a warning that says "forwarded".
      return new Promise<Verdict>((resolve) =>
        allow = () =>
          resolve({
            decision: "allow",
            decisionId,
            ruleIds: ["policy.default"],
            reasons: ["progressive mode: violation 1: forwarded with a warning"],
          })
      );
    },
  };
  const h = rawRelay({ enforcer: pending });
  h.session.fromClient(call(2, "echo"));
  await settle();
  assert.ok(allow !== undefined, "the call is being decided");
  h.session.clientOutputBroke();
  await settle();
  allow();
  await settle();
  assert.deepEqual(h.toServer, [], "the call was not sent");
  const said = h.notes.find((n) => n.startsWith("did not send tools/call 2"));
  assert.match(
    String(said),
    /^did not send tools\/call 2 \(tool "echo"\) to the MCP server: the client stopped reading thoth's output while it was being decided, so it did not run: it was not forwarded after all, even if a warning said so$/,
    h.notes.join("\n"),
  );
});
