/**
 * A call blocked because the enforcer failed (rule `enforcer.error`) gets
 * the stderr line every block gets: which tool on which server, the
 * decision id, the rule, the failure, and, once its record is written, the
 * `audit show` command that finds it. The model is told that thoth's message
 * in the MCP client's log says how to review the decision: this is it.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";
import { gateToolUses } from "../../src/proxy/tool_use_gate.ts";
import { tempDir } from "../e2e/_harness.ts";
import { call as callLine, rawRelay, settle } from "./_raw_relay.ts";
import { newSessionAudit } from "./_session_audit_harness.ts";

const write: ToolCall = {
  server: "fs",
  tool: "write_file",
  arguments: { path: "/data/x" },
  annotations: undefined,
  listed: true,
  era: "initialize",
  protocolVersion: undefined,
};

Deno.test("a failed enforcer's block line names the call, its decision and how to look it up", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path });
  const { audit, notes } = newSessionAudit(dir.path, log, { session: "s-fail-note" });
  await audit.start("fs-server", [], []);
  const enforcer = audit.wrapEnforcer({
    decide: () => {
      throw new RangeError("cannot write a value nested deeper than 10000 levels");
    },
  });
  const verdict = await enforcer.decide(write, () => "d-fail-1");
  assert.deepEqual(verdict.ruleIds, ["enforcer.error"]);
  const lines = notes.filter((m) => /enforcer failed/.test(m));
  assert.deepEqual(lines, [
    'blocked tool "write_file" on server "fs" (decision d-fail-1, rule enforcer.error): ' +
    "the enforcer failed, so the call was blocked: cannot write a value nested deeper than " +
    '10000 levels; see it with "thoth audit show --decision-id d-fail-1"',
  ]);
  assert.equal(await audit.flush(), true);
  await audit.end(0, null);
});

Deno.test("the relay's own enforcer-failed line names the call and its decision (nothing recorded)", async () => {
  const relay = rawRelay({
    enforcer: {
      decide: () => {
        throw new Error("the enforcer is down");
      },
    },
  });
  relay.session.fromClient(callLine(7, "echo"));
  await settle();
  assert.deepEqual(relay.notes.filter((m) => /enforcer failed/.test(m)), [
    'blocked tool "echo" on server "srv" (decision d-1, rule enforcer.error): ' +
    "the enforcer failed, so the call was blocked: the enforcer is down",
  ]);
});

Deno.test("a tool chosen in a sampling answer whose enforcer failed: the line names it", () => {
  const notes: string[] = [];
  const chosen: ToolCall = { ...write, server: "s", tool: "a", listed: false };
  gateToolUses([chosen], {
    enforcer: {
      decide: () => {
        throw new Error("down");
      },
    },
    newDecisionId: () => "d-9",
    approver: undefined,
    request: (c, verdict) => ({ call: c, verdict, signal: AbortSignal.abort() }) as ApprovalRequest,
    note: (message) => notes.push(message),
  });
  assert.deepEqual(notes, [
    'blocked tool "a" on server "s" (decision d-9, rule enforcer.error): ' +
    "the enforcer failed, so the call was blocked: down",
  ]);
});
