/**
 * A tool name no `tools/list` named that the detectors flag (a token where a
 * tool name goes) is not written out where a person or a file reads it: the
 * approval question (the queue's request file, its stderr lines, a dialog)
 * shows its length alone and says why; a stderr note about the call too.
 */
import assert from "node:assert/strict";
import {
  approvalQuestion,
  approvalQuestionText,
  UNSHOWN_TOOL_REASON,
} from "../../src/approval/approval_question.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { line, rawRelay } from "../proxy/_raw_relay.ts";

const TOKEN = "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";

const call = (tool: string, listed: boolean) =>
  ({ server: "fs", tool, arguments: {}, listed, era: "initialize" }) as unknown as ToolCall;
const verdict = (tool: string) =>
  ({
    decision: "step_up",
    ruleIds: ["unlisted-tools"],
    reasons: [`tool ${JSON.stringify(tool)} is in no tools/list thoth has seen`],
    decisionId: "d-1",
  }) as unknown as Verdict;

Deno.test("an approval question hides an unlisted tool name the detectors flag, and says why", () => {
  const q = approvalQuestion(call(TOKEN, false), verdict(TOKEN), "00");
  assert.equal(q.tool, "#k:(40)");
  assert.deepEqual(q.reasons, [
    'tool "#k:(40)" is in no tools/list thoth has seen',
    UNSHOWN_TOOL_REASON,
  ]);
  const text = approvalQuestionText(q);
  assert.ok(!text.includes(TOKEN), text);
  assert.match(text, /do not approve a call to a tool the server never listed/);
});

Deno.test("an approval question shows a listed name, and an unlisted one no detector flags", () => {
  assert.equal(approvalQuestion(call(TOKEN, true), verdict(TOKEN), "00").tool, TOKEN);
  const plain = approvalQuestion(call("write_file", false), verdict("write_file"), "00");
  assert.equal(plain.tool, "write_file");
  assert.deepEqual(plain.reasons, ['tool "write_file" is in no tools/list thoth has seen']);
});

Deno.test("a stderr note about a call before initialize does not write out a flagged tool name", () => {
  const h = rawRelay({}, true);
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: TOKEN, arguments: {} },
  }));
  const notes = h.notes.join("\n");
  assert.match(notes, /refused tools\/call 1 \(tool \(name not shown/);
  assert.ok(!notes.includes(TOKEN), notes);
});
