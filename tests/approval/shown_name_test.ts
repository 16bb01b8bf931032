import assert from "node:assert/strict";
import { approvalQuestion, approvalQuestionText } from "../../src/approval/approval_question.ts";
import { elicitationParams } from "../../src/approval/elicitation_form.ts";
import { shownName, unusualNameNote } from "../../src/approval/shown_name.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { toolCall } from "../policy/_call.ts";

const VERDICT: Verdict = {
  decision: "step_up",
  decisionId: "d-1",
  ruleIds: ["writes"],
  reasons: ["writing needs a person"],
};
const DIGEST = "a".repeat(64);

function questionText(server: string, tool: string): string {
  return approvalQuestionText(
    approvalQuestion(toolCall(server, tool, { path: "/tmp/a" }), VERDICT, DIGEST),
  );
}

Deno.test("question: a quote in a tool name cannot close the quotes and fake the server", () => {
  const text = questionText("fs", 'a" on server "b');
  const first = text.split("\n")[0]!;
  assert.equal(first, 'Allow tool "a\\" on server \\"b" on server "fs"?');
  assert.ok(!text.includes('"a" on server "b"'), text);
  // Quotes and spaces are ASCII, but not an MCP name's characters: the text says so once.
  assert.equal(text.split("not a plain MCP tool name").length - 1, 1, text);
});

Deno.test("question: a quote in a server name is escaped too", () => {
  const first = questionText('fs" (read-only', "write_file").split("\n")[0]!;
  assert.equal(first, 'Allow tool "write_file" on server "fs\\" (read-only"?');
});

Deno.test("question: a look-alike letter in a tool name shows as a \\u escape, with a note", () => {
  const text = questionText("fs", "wr\u0456te_file");
  assert.ok(!text.includes("wr\u0456te_file"), text);
  assert.ok(text.includes('"wr\\u0456te_file"'), text);
  assert.ok(text.includes("\\uXXXX"), text);
  // The same name in the client's form.
  const form = elicitationParams(
    approvalQuestion(toolCall("fs", "wr\u0456te_file", {}), VERDICT, DIGEST),
    true,
  );
  assert.ok(!form.message.includes("wr\u0456te_file"));
  assert.ok(form.message.includes("wr\\u0456te_file"));
});

Deno.test("question: plain ASCII names show as they are, with no note", () => {
  const text = questionText("files-2.0", "write_file");
  assert.equal(text.split("\n")[0], 'Allow tool "write_file" on server "files-2.0"?');
  assert.ok(!text.includes("plain MCP"), text);
});

Deno.test("shownName: control, format and invisible characters are escaped, so distinct names never look the same", () => {
  assert.equal(shownName("x\u001b[2Kread"), '"x\\u001b[2Kread"');
  assert.equal(shownName("del\u0007ete\r\nfake"), '"del\\u0007ete\\u000d\\u000afake"');
  assert.equal(shownName("write\u202Eelif_\u202C"), '"write\\u202eelif_\\u202c"');
  assert.equal(shownName("a\u3164b"), '"a\\u3164b"');
  assert.equal(shownName("a\u007fb"), '"a\\u007fb"');
  // Each differs from the others and from a name with a "?" in the same place.
  const names = ["del\u0007ete", "del\u0008ete", "del?ete", "del\u200bete"];
  assert.equal(new Set(names.map((n) => shownName(n))).size, names.length);
  assert.equal(shownName("a\\b"), '"a\\\\b"');
  assert.equal(shownName("\u{1F600}"), '"\\ud83d\\ude00"');
  assert.equal(unusualNameNote(["ok_name", "also.ok-1"]), undefined);
  assert.notEqual(unusualNameNote(["ok", ""]), undefined);
});

Deno.test("shownName: a long name is cut with the ellipsis outside the quotes", () => {
  const long = "a".repeat(300);
  const shown = shownName(long);
  assert.equal(shown, `"${"a".repeat(127)}"…`);
  // Cut by the question first (one past 128): its own ellipsis is never shown, nor escaped.
  const first = questionText("fs", long).split("\n")[0]!;
  assert.ok(first.includes(`"${"a".repeat(127)}"…`), first);
  assert.ok(!first.includes("\\u2026"), first);
});

const POLICY = compilePolicy(
  parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      intents: { notes: { tools: ["read_*"], onViolation: "step_up" } },
      rules: [],
    }),
    "t.jsonc",
  ),
);

Deno.test("evaluate: the unlisted-tool note quotes the model's tool name with escaping", () => {
  const e = evaluate(
    POLICY,
    toolCall("fs", 'write_file" on server "docs-readonly', {}, undefined, false),
    {},
  );
  const note = e.notes.find((n) => n.includes("tools/list")) ?? "";
  assert.equal(
    note,
    'tool "write_file\\" on server \\"docs-readonly" is in no tools/list thoth has seen; ' +
      "it has no annotations",
  );
});

Deno.test("evaluate: the intent reason quotes the model's tool name with escaping", () => {
  const e = evaluate(POLICY, toolCall("fs", "wr\u0456te_file", {}), { intent: "notes" });
  const reason = e.matches.find((m) => m.id === "intent.out_of_scope")?.reason ?? "";
  assert.ok(reason.startsWith('tool "wr\\u0456te_file" is outside session intent'), reason);
});
