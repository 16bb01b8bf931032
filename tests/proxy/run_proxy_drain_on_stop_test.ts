/**
 * runProxy() in process, against a real server that stops reading its input
 * and, when stopped with SIGTERM, reads what is left of it and runs it
 * (tests/fixtures/proxy/drain_on_term_server.ts). When the client closes its
 * input and the write to the server is given up, only requests in writes the
 * stream never started may be answered as undelivered: the write in progress
 * may be partly in the pipe, and a server that drains it runs those
 * requests. No request the server ran may be answered -32000 by thoth, nor
 * recorded as an error outcome; each request is answered exactly once.
 */
import assert from "node:assert/strict";
import type { JsonRpcId } from "../../src/protocol/jsonrpc_id.ts";
import { initializeRequest, ROOT, tempDir } from "../e2e/_harness.ts";
import { echoCall, proxiedSession, within } from "./_proxied_session.ts";

const FIXTURE = `${ROOT}/tests/fixtures/proxy/drain_on_term_server.ts`;

Deno.test("runProxy() answers no request as undelivered that a server draining its input on SIGTERM ran", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/ran.log`;
  const outcomes = new Map<string, boolean>();
  const s = proxiedSession(
    [Deno.execPath(), "run", "--quiet", "--allow-read", "--allow-write", FIXTURE, log],
    {
      events: {
        outcome: (id: JsonRpcId, _tool: string, isError: boolean) => {
          assert.ok(!outcomes.has(JSON.stringify(id)), `two outcomes for ${id}`);
          outcomes.set(JSON.stringify(id), isError);
        },
      },
    },
  );
  await s.send(initializeRequest(1));
  assert.ok((await s.next())["result"], "initialize answered");
  await s.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  assert.ok((await s.next())["result"], "tools listed");
  // 400 calls of about 1 KB, ten to a write (as a client writes what it has): far more than the
  // server's pipe holds, so a write of several calls is in progress when the client closes.
  const ids: number[] = [];
  const writes: Promise<void>[] = [];
  for (let group = 0; group < 40; group++) {
    const calls = Array.from({ length: 10 }, (_, i) => echoCall(100 + group * 10 + i, 1000));
    ids.push(...calls.map((call) => call.id));
    writes.push(s.send(...calls).catch(() => {}));
  }
  await within(Promise.all(writes), 10_000, "the client's writes");
  await s.close();
  const result = await within(s.done, 20_000, "the session after the client's EOF");
  assert.equal(result.reason, "client_closed");
  const answers = new Map<string, Record<string, unknown>>();
  for (;;) {
    let answer: Record<string, unknown>;
    try {
      answer = await s.next(500);
    } catch {
      break;
    }
    const key = JSON.stringify(answer["id"]);
    assert.ok(!answers.has(key), `request ${key} answered twice`);
    answers.set(key, answer);
  }
  assert.deepEqual(
    ids.filter((id) => !answers.has(String(id))),
    [],
    "every call answered",
  );
  const ran = (await Deno.readTextFile(log)).split("\n").filter((l) => l.startsWith("RAN "))
    .map((l) => l.split(" ")[2]!);
  assert.ok(ran.length > 0, "the server ran some calls when it drained its input");
  for (const id of ran) {
    const answer = answers.get(id);
    assert.ok(answer !== undefined, `request ${id} ran, and was not answered`);
    assert.equal(
      answer["error"],
      undefined,
      `request ${id} ran on the server, yet thoth answered it ${JSON.stringify(answer["error"])}`,
    );
    assert.equal(outcomes.get(id), false, `request ${id} ran, yet its outcome is an error`);
  }
  // The calls the server never got were answered by thoth, once, with an error.
  const refused = [...answers.values()].filter((a) => a["error"] !== undefined);
  assert.ok(refused.length > 0, "some calls never reached the server");
  for (const answer of refused) {
    assert.ok(!ran.includes(JSON.stringify(answer["id"])));
    assert.equal(outcomes.get(JSON.stringify(answer["id"])), true);
  }
  assert.ok(
    !s.notes.some((n) => /dropped a response from the server/.test(n)),
    s.notes.join("\n"),
  );
});
