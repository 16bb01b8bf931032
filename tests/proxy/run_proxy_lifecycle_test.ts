/**
 * runProxy() in process, against the real fault server as a child process:
 * the end of a session (the client's EOF while calls are still being
 * decided, a server that stops reading, a last line without its newline)
 * and lines too deep to classify recursively. Every request gets exactly
 * one answer, and nothing is dropped without a note.
 */
import assert from "node:assert/strict";
import type { Approver } from "../../src/proxy/relay_session.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { faultArgv, initializeRequest, tempDir } from "../e2e/_harness.ts";
import { proxiedSession, type SessionOptions, within } from "./_proxied_session.ts";

const enc = new TextEncoder();

const call = (id: number, name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

const allow = (decisionId: string): Verdict => ({
  decision: "allow",
  decisionId,
  ruleIds: [],
  reasons: [],
});

/** An enforcer that allows every call, `ms` after it is asked (a synced audit record, say). */
function slowAllow(ms: number): Enforcer {
  return {
    name: "slow",
    decide: (_call, ids) => new Promise((resolve) => setTimeout(() => resolve(allow(ids())), ms)),
  };
}

/** A session over the fault server whose client keeps reading, as a client does. */
function proxied(serverFlags: string[], options: SessionOptions = {}) {
  return proxiedSession(faultArgv(serverFlags), { graceMs: 1000, eager: true, ...options });
}

function byId(lines: string[]): Map<unknown, Record<string, unknown>[]> {
  const answers = new Map<unknown, Record<string, unknown>[]>();
  for (const line of lines) {
    const message = JSON.parse(line);
    for (const item of Array.isArray(message) ? message : [message]) {
      answers.set(item.id, [...answers.get(item.id) ?? [], item]);
    }
  }
  return answers;
}

Deno.test("runProxy() forwards a call still being decided when the client closes its input", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const s = proxied(["--log", log], { enforcer: slowAllow(300) });
  await s.send(initializeRequest(1));
  await s.send(call(2, "echo", { n: 2 }));
  const { result, lines } = await s.end(); // EOF at once: the decision is still pending
  const answers = byId(lines);
  assert.equal(result.exitCode, 0);
  assert.deepEqual(answers.get(2)?.length, 1, `one answer for the call: ${lines.join("\n")}`);
  assert.match(JSON.stringify(answers.get(2)![0]!["result"]), /echo: \{\\"n\\":2\}/);
  const received = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
  // thoth listed the tools itself once the server had answered initialize, then let the call go.
  assert.deepEqual(received.map((m) => m.params?.name ?? m.method), [
    "initialize",
    "tools/list",
    "echo",
  ]);
  assert.deepEqual(s.notes.filter((n) => /exited|could not deliver/.test(n)), []);
});

Deno.test("runProxy() withdraws a call waiting for a person when the client closes its input", async () => {
  const stepUp: Enforcer = {
    decide: (_call, ids) => ({
      decision: "step_up",
      decisionId: ids(),
      ruleIds: ["ask"],
      reasons: ["ask a person"],
    }),
  };
  // A person who would say yes later: the client that asked has left by then.
  let asked!: () => void;
  const waiting = new Promise<void>((resolve) => asked = resolve);
  const approver: Approver = () => {
    asked();
    return new Promise((resolve) =>
      setTimeout(() => resolve({ approved: true, why: "approved" }), 300)
    );
  };
  const s = proxied([], { enforcer: stepUp, approver });
  await s.send(initializeRequest(1));
  await s.send(call(2, "echo", { n: 2 }));
  // The call waits for a person (once thoth has listed the tools) when the client leaves.
  await waiting;
  const { lines } = await s.end();
  const answer = byId(lines).get(2);
  assert.equal(answer?.length, 1, "answered once");
  assert.match(
    JSON.stringify(answer![0]!["error"]),
    /the client closed its input while the call waited for a person/,
  );
  assert.doesNotMatch(JSON.stringify(answer), /echo: /, "the call did not run");
});

Deno.test("runProxy() stops waiting for undecided calls at its bound, and says so", async () => {
  const never: Enforcer = { decide: () => new Promise<Verdict>(() => {}) };
  const s = proxied([], { enforcer: never, settleMs: 300 });
  await s.send(initializeRequest(1));
  await s.send(call(2, "echo"));
  // Without the bound the session never ends: the 30 s only guard that hang; the 300 ms is
  // what the note below names.
  const { result, lines } = await within(s.end(), 30_000, "the session's end past its bound");
  assert.equal(result.reason, "client_closed");
  assert.equal(byId(lines).get(2)?.length, 1, "the held call is still answered, once");
  assert.ok(
    s.notes.some((n) => /still undecided 300 ms after the client closed its input/.test(n)),
    s.notes.join("\n"),
  );
});

Deno.test("runProxy() answers each request a server that closed its input can no longer get", async () => {
  const s = proxiedSession(
    ["sh", new URL("../fixtures/proxy/closed_input_server.sh", import.meta.url).pathname],
    { server: "closed-input", eager: true },
  );
  await s.send(initializeRequest(1));
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let id = 3; id <= 6; id++) {
    await s.send(call(id, "echo", { n: id }));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await s.send([{ jsonrpc: "2.0", id: 7, method: "ping" }, {
    jsonrpc: "2.0",
    method: "notifications/progress",
  }]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { lines } = await s.end();
  const answers = byId(lines);
  assert.ok(answers.get(1)?.[0]?.["result"], "initialize was answered by the server");
  for (let id = 3; id <= 7; id++) {
    const answer = answers.get(id);
    assert.equal(answer?.length, 1, `request ${id} is answered once: ${lines.join("\n")}`);
    const error = answer![0]!["error"] as { code: number; message: string };
    assert.equal(error.code, -32000);
    assert.match(error.message, /could not deliver this request: the MCP server no longer reads/);
  }
  assert.equal(s.notes.filter((n) => /^cannot write to the MCP server/.test(n)).length, 1);
  for (let id = 3; id <= 7; id++) {
    assert.ok(
      s.notes.some((n) => n.startsWith(`could not deliver request ${id} to the MCP server`)),
      `a note for request ${id}:\n${s.notes.join("\n")}`,
    );
  }
});

Deno.test("runProxy() answers a request with the server's exit when the server closed its input and exits a moment later", async () => {
  await using dir = await tempDir();
  const closed = `${dir.path}/closed`;
  // Closes its input (a later write breaks the pipe), says so, and exits 50 ms later: the
  // broken pipe is seen before the exit, as with a server that dies at once.
  const s = proxiedSession(
    ["sh", "-c", 'exec 0<&-; : > "$1"; sleep 0.05; exit 3', "sh", closed],
    { server: "exits-soon", eager: true },
  );
  for (let waited = 0; !(await exists(closed)); waited += 10) {
    assert.ok(waited < 10_000, "the server closed its input");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await s.send(initializeRequest(1));
  const answer = await s.next(5000);
  assert.equal(answer["id"], 1, JSON.stringify(answer));
  const error = answer["error"] as { code: number; message: string };
  assert.equal(error.code, -32000);
  assert.match(error.message, /The MCP server exited \(code 3\)/);
  const { result, lines } = await s.end();
  assert.equal(result.exitCode, 3);
  assert.deepEqual(lines, [], "one answer only");
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("runProxy() ends the server's last line before answering what is left", async () => {
  const s = proxied(["--exit-code", "5"]);
  await s.send(initializeRequest(1));
  await s.send(call(2, "slow", { ms: 10_000 }));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await s.send(call(3, "unterminated"));
  const { result, text, lines } = await s.end();
  assert.equal(result.exitCode, 5);
  assert.ok(text.endsWith("\n"));
  for (const line of lines) JSON.parse(line); // every line the client got is one message
  const answers = byId(lines);
  assert.deepEqual(answers.get(3)?.[0]?.["result"], { content: [] }, "the server's last answer");
  assert.match(JSON.stringify(answers.get(2)), /exited \(code 5\) before answering/);
});

Deno.test("runProxy() answers a request batched with an array nested 20000 deep", async () => {
  const s = proxied([]);
  await s.send(initializeRequest(1));
  const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
  await s.sendBytes(enc.encode(`[${JSON.stringify(call(5, "echo", { n: 5 }))},${deep}]\n`));
  await s.send({ jsonrpc: "2.0", id: 6, method: "ping" });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const { lines } = await s.end();
  const answers = byId(lines);
  assert.match(JSON.stringify(answers.get(5)), /echo: \{\\"n\\":5\}/);
  assert.deepEqual(answers.get(6)?.[0]?.["result"], {});
  assert.match(JSON.stringify(answers.get(null)), /refused a batch inside a batch/);
  assert.deepEqual(s.notes.filter((n) => /internal error/.test(n)), []);
});
