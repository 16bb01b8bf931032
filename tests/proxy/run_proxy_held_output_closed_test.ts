/**
 * A call still waiting for a person when the server closes its output (and
 * runs on) never reached the server: the client is told thoth did not run
 * it and why, and the approval is withdrawn with the same words; a request
 * the server was sent gets the answer it always got (the server can answer
 * no request).
 */
import assert from "node:assert/strict";
import type { Approver } from "../../src/proxy/relay_session.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import { initializeRequest, tempDir } from "../e2e/_harness.ts";
import { proxiedSession } from "./_proxied_session.ts";

const stepUpWrites: Enforcer = {
  decide: (call, ids) =>
    call.tool === "write"
      ? { decision: "step_up", decisionId: ids(), ruleIds: ["ask"], reasons: ["ask a person"] }
      : { decision: "allow", decisionId: ids(), ruleIds: [], reasons: [] },
};

/**
 * A server (a shell script: a Deno program cannot close its own stdout)
 * that answers `initialize` and `tools/list`, logs each line it reads, and
 * closes its output when it reads a `ping`, reading on until its input ends.
 */
function pingClosesOutput(log: string): string[] {
  const script = `while IFS= read -r line; do
  printf '%s\\n' "$line" >> "$1"
  id=$(printf '%s' "$line" | sed -n 's/.*"id":\\([0-9][0-9]*\\).*/\\1/p')
  case "$line" in
    *'"initialize"'*) printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"closing","version":"1"}}}\\n' "$id" ;;
    *'"tools/list"'*) printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"write","inputSchema":{"type":"object"}}]}}\\n' "$id" ;;
    *'"ping"'*) exec 1>&-; exec cat > /dev/null ;;
  esac
done
`;
  return ["sh", "-c", script, "closing", log];
}

Deno.test({
  name: "runProxy() tells a call waiting for a person that the server closed its output first",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using dir = await tempDir();
    const log = `${dir.path}/server.log`;
    let asked!: () => void;
    const askedOnce = new Promise<void>((resolve) => asked = resolve);
    let withdrawn: unknown;
    // A person who never answers: the wait ends only when the call is withdrawn.
    const approver: Approver = (request) => {
      asked();
      return new Promise((resolve) =>
        request.signal.addEventListener(
          "abort",
          () => {
            withdrawn = request.signal.reason;
            resolve({ approved: false, why: "withdrawn", kind: "cancelled" });
          },
          { once: true },
        )
      );
    };
    const s = proxiedSession(pingClosesOutput(log), {
      graceMs: 1000,
      enforcer: stepUpWrites,
      approver,
      eager: true,
    });
    await s.send(initializeRequest(1));
    while ((await s.next())["id"] !== 1); // the server runs
    await s.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    while ((await s.next())["id"] !== 2); // the client listed the tools
    await s.send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "write", arguments: {} },
    });
    await askedOnce;
    await s.send({ jsonrpc: "2.0", id: 4, method: "ping" });
    const answers = new Map<unknown, Record<string, unknown>>();
    while (answers.size < 2) {
      const message = await s.next(5000);
      if (message["id"] === 3 || message["id"] === 4) answers.set(message["id"], message);
    }
    const { result } = await s.end();
    assert.equal(result.reason, "upstream_exited");
    const messageOf = (id: number) =>
      String((answers.get(id)!["error"] as { message?: unknown } | undefined)?.message);
    const held = messageOf(3);
    assert.match(held, /^thoth did not run this call: the MCP server closed its output/, held);
    assert.match(held, /before the call was sent to it/, held);
    assert.match(messageOf(4), /^The MCP server closed its output while still running/);
    assert.ok(withdrawn instanceof Error, String(withdrawn));
    assert.equal(withdrawn.message, held, "the approval is withdrawn with the same words");
    const received = await Deno.readTextFile(log);
    assert.doesNotMatch(received, /tools\/call/, "the server never got the call");
  },
});
