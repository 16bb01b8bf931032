/**
 * An answer to a request thoth sent itself (an elicitation form) is thoth's,
 * however late: consumed, never forwarded to the server, and noted, also
 * after so many forms were withdrawn that the relay no longer remembers
 * that one (it keeps the last 256). One it still remembers is handed to
 * whoever records late answers.
 */
import assert from "node:assert/strict";
import { RelaySession } from "../../src/proxy/relay_session.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("a late answer to a form withdrawn long ago is consumed and noted, never forwarded", async () => {
  const toServer: string[] = [];
  const notes: string[] = [];
  const late: unknown[] = [];
  const session = new RelaySession({
    toServer: (bytes) => toServer.push(dec.decode(bytes)),
    toClient: () => {},
    note: (message) => notes.push(message),
  }, {
    server: "s",
    enforcer: {
      decide: (_call, ids) => ({ decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] }),
    },
    newDecisionId: () => "d",
    nonce: "t",
  });
  for (let i = 0; i < 257; i++) {
    const withdrawn = new AbortController();
    const asked = session.requestClient("elicitation/create", {}, {
      signal: withdrawn.signal,
      late: (response) => late.push(response),
    }).catch(() => {});
    withdrawn.abort(new Error("timed out"));
    await asked;
  }
  const answer = (id: string) =>
    enc.encode(
      JSON.stringify({
        jsonrpc: "2.0",
        id,
        result: { action: "accept", content: { decision: "approve" } },
      }) + "\n",
    );
  // The first form was forgotten (257 withdrawn); the second is still remembered.
  session.fromClient(answer("thoth-t-1"));
  session.fromClient(answer("thoth-t-2"));
  assert.deepEqual(toServer, [], "no answer of thoth's reaches the server");
  assert.equal(late.length, 1, "the remembered one is recorded as late");
  assert.ok(
    notes.some((n) => /thoth's request "thoth-t-1" after thoth stopped waiting/.test(n)),
    notes.join("\n"),
  );
  // An id under thoth's prefix that thoth never used answers no one: the server may ask
  // nothing under thoth's ids, so it is dropped and noted, never forwarded.
  session.fromClient(answer("thoth-t-999"));
  assert.deepEqual(toServer, []);
  assert.ok(
    notes.some((n) => /"thoth-t-999".*thoth sent the client no request under it/.test(n)),
    notes.join("\n"),
  );
});
