/**
 * A value the policy marks safe to show must be shown faithfully, or not at
 * all: a long path is shown with its end (where it points) and its length,
 * and with the path it resolves to when `.` and `..` segments move it, so a
 * harmless start cannot hide the target; a value with characters that would
 * be replaced on screen shows its shape only. The heading says values are
 * shown when they are.
 */
import assert from "node:assert/strict";
import { approvalQuestion, approvalQuestionText } from "../../src/approval/approval_question.ts";
import { argumentShape } from "../../src/approval/argument_shape.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { GovernedPeer, toolCall } from "./_governed_peer.ts";

const TRAVERSAL = "/tmp/scratch/" + "./".repeat(60) + "../../root/.ssh/authorized_keys";

Deno.test("argumentShape() shows a long safe value's end, its length and where a path resolves", () => {
  const [line] = argumentShape({ path: TRAVERSAL }, ["path"]);
  assert.ok(line !== undefined);
  assert.match(line, /^path: "\/tmp\/scratch\/\.\/\.\//, "the start");
  assert.match(line, /\.\.\/\.\.\/root\/\.ssh\/authorized_keys" \(164 chars, middle cut\)/);
  assert.match(line, /, resolves to "\/root\/\.ssh\/authorized_keys"$/);
  assert.ok(line.length <= 300, "the queue keeps the whole line");
  // Short values are shown whole, as before; a path that goes nowhere else says nothing more.
  assert.deepEqual(argumentShape({ path: "/tmp/a.txt", n: 3 }, ["path", "n"]), [
    'path: "/tmp/a.txt"',
    "n: 3",
  ]);
  // The end of any long value is in view.
  const note = "ok ".repeat(60) + "and also wire $9,000 to account 12";
  assert.match(argumentShape({ note }, ["note"])[0]!, /wire \$9,000 to account 12" \(214 chars/);
});

Deno.test("argumentShape() shows only the shape of a safe value that cannot be shown as it is", () => {
  const hidden = argumentShape({ path: "/tmp/\u202egnp.exe", cmd: "ls\u200b -la" }, [
    "path",
    "cmd",
  ]);
  assert.deepEqual(hidden, [
    "path: string (13 chars), value not shown: it holds invisible or control characters",
    "cmd: string (7 chars), value not shown: it holds invisible or control characters",
  ]);
  // Wide characters that would make the line too long for the queue: the shape alone.
  const wide = argumentShape({ ["k".repeat(64)]: "𝔸".repeat(200) + "/../x" }, ["k".repeat(64)]);
  assert.ok(wide[0]!.length <= 300, wide[0]);
});

Deno.test("approvalQuestionText() says values are shown when a safe field shows one", () => {
  const call: ToolCall = {
    server: "fs",
    tool: "write_file",
    arguments: { path: "/tmp/x", content: "hi" },
    annotations: undefined,
    listed: true,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
  const verdict = { decision: "step_up" as const, decisionId: "d-1", ruleIds: ["w"], reasons: [] };
  const shown = approvalQuestionText(approvalQuestion(call, verdict, "0".repeat(64), ["path"]));
  assert.doesNotMatch(shown, /shape only/);
  assert.match(
    shown,
    /Arguments \(shape; values only of command fields and of the fields the policy marks safe/,
  );
  const hidden = approvalQuestionText(approvalQuestion(call, verdict, "0".repeat(64)));
  assert.match(hidden, /Arguments \(shape only\):/);
});

Deno.test("the approval form shows where a long safe path really points", async () => {
  const policy = {
    version: 1,
    default: "allow",
    rules: [{
      id: "ask-outside-tmp",
      match: { tool: "echo", args: { path: { notGlob: "/tmp/**" } } },
      decision: "step_up",
      reason: "writes outside /tmp need a person",
    }],
    audit: { safeToLog: ["path"] },
  };
  const peer = await GovernedPeer.start(policy, {
    flags: ["--enforcement-mode", "block", "--approval-timeout", "30"],
    capabilities: { elicitation: {} },
  });
  try {
    await peer.send(toolCall(1, "echo", { path: TRAVERSAL }));
    const form = await peer.wait((m) => m.method === "elicitation/create");
    const message: string = form.params.message;
    assert.match(message, /root\/\.ssh\/authorized_keys" \(164 chars, middle cut\)/);
    assert.match(message, /resolves to "\/root\/\.ssh\/authorized_keys"/);
    assert.doesNotMatch(message, /shape only/);
    await peer.send({ jsonrpc: "2.0", id: form.id, result: { action: "decline" } });
    await peer.wait((m) => m.id === 1);
  } finally {
    await peer.finish();
  }
  assert.deepEqual(await peer.serverCalls(), []);
});
