/**
 * A fault that escapes the sandboxed proxy core (an unhandled rejection, an
 * error thrown from a timer: a bug, with no known trigger left) does not
 * leave the client with a dead pipe: a real sandboxed session in front of
 * the fault server, whose core fails while a tool call waits for the
 * server, answers that call with a JSON-RPC error that names no path and
 * no stack, names the failure on stderr, forwards nothing more to the
 * server, writes the session's end to the audit log (`thoth audit verify`
 * passes) and exits 1. Temp THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, sandboxProbe, tempDir, testEnv } from "../e2e/_harness.ts";
import { auditRecords, profileWithRules } from "../e2e/_governed.ts";
import { auditVerify, until } from "./_spooled_session.ts";
import { FAULT_ID } from "../fixtures/sandbox/core_fault_worker.ts";

/** The messages the fault server logged (each one it received). */
function serverGot(log: string): Record<string, unknown>[] {
  let text = "";
  try {
    text = Deno.readTextFileSync(log);
  } catch {
    return [];
  }
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

function call(id: number, name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}

for (const how of ["reject", "throw"]) {
  Deno.test(`a fault that escapes the sandboxed proxy core (${how}) answers the pending call with an error, ends the audit session and exits 1`, async () => {
    await using dir = await tempDir("thoth-core-fault-");
    const home = await profileWithRules(dir.path, []);
    const log = `${dir.path}/server.log`;
    const peer = sandboxProbe(
      { worker: "core_fault_worker.ts", thothHome: home, how },
      faultArgv(["--log", log]),
      testEnv({ THOTH_HOME: home }),
    );
    let answer: Record<string, unknown>;
    let status: Deno.CommandStatus;
    try {
      await peer.send(initializeRequest(1));
      assert.ok("result" in await peer.responseTo(1, 60_000), peer.stderr);
      await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await peer.send(call(2, "slow", { ms: 120_000 }));
      await until(
        () => serverGot(log).some((message) => message["id"] === 2),
        `the call reaches the server; stderr:\n${peer.stderr}`,
      );
      // The core fails once it has written the answer to this ping.
      await peer.send({ jsonrpc: "2.0", id: FAULT_ID, method: "ping" });
      assert.ok("result" in await peer.responseTo(FAULT_ID), peer.stderr);
      answer = await peer.responseTo(2, 30_000);
      // Sent after the failure: it must not reach the server.
      await peer.send(call(3, "echo", { text: "after the failure" }));
      status = await peer.finish(60_000);
    } finally {
      await peer.finish();
    }
    const error = answer["error"] as { code: number; message: string } | undefined;
    assert.equal(error?.code, -32000, JSON.stringify(answer));
    assert.match(error.message, /thoth's proxy core failed/);
    assert.doesNotMatch(error.message, /injected|\/|\bat /, "no error text, path or stack");
    assert.equal(status.code, 1, peer.stderr);
    assert.match(
      peer.stderr,
      /thoth: error: the proxy core failed: Error: injected core fault; answering the client's pending requests with an error/,
    );
    assert.match(peer.stderr, /answered 1 pending request\(s\) with an error/);
    assert.ok(
      !serverGot(log).some((message) => message["id"] === 3),
      JSON.stringify(serverGot(log)),
    );
    const records = await auditRecords(home);
    const start = records.find((record) => record["type"] === "session_start");
    assert.ok(start !== undefined, JSON.stringify(records));
    const mine = records.filter((record) => record["session"] === start["session"]);
    const end = mine.at(-1);
    assert.equal(end?.["type"], "session_end", JSON.stringify(mine));
    assert.equal(end["exitCode"], 1, JSON.stringify(end));
    const verified = await auditVerify(home);
    assert.equal(verified.code, 0, verified.said);
  });
}
