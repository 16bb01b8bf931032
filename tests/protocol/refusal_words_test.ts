/**
 * What the person and the model read of a refusal, word by word: "rules"
 * when several are named (the model's refusal, the approval question, the
 * progressive warning); a block by the policy suggests asking whoever
 * manages thoth's policy (their admin), one by thoth's own rules does not;
 * the model is not handed the `audit.unwritable` code; and the progressive
 * block rung says how long it lasts and who can change it, in the
 * explanation and on the stderr line, with no argument values.
 */
import assert from "node:assert/strict";
import { approvalQuestion, approvalQuestionText } from "../../src/approval/approval_question.ts";
import { LocalEnforcer, type LocalVerdict } from "../../src/enforcer/local_enforcer.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import { blockNote } from "../../src/proxy/block_note.ts";
import {
  blockedText,
  notApprovedText,
  type RefusalFacts,
  toolUseRefusedText,
  unrecordedText,
} from "../../src/protocol/responses.ts";

function facts(ruleIds: string[], reasons: string[] = []): RefusalFacts {
  return { server: "fs", tool: "delete_file", ruleIds, reasons, decisionId: "d-9" };
}

function call(tool: string, args: Record<string, unknown>): ToolCall {
  return {
    server: "fs",
    tool,
    arguments: args,
    annotations: { destructiveHint: true },
    listed: true,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
}

Deno.test("a refusal says rule for one and rules for several", () => {
  const two = facts(["destructive", "delete-like"]);
  assert.match(blockedText(two), / by rules "destructive", "delete-like"\. Decision d-9\./);
  assert.match(blockedText(facts(["destructive"])), / by rule "destructive"\. Decision d-9\./);
  assert.match(
    notApprovedText(two, { kind: "denied", why: "a person denied it" }),
    /: rules "destructive", "delete-like" require a person's approval/,
  );
  assert.match(
    toolUseRefusedText(two),
    /which thoth blocked by rules "destructive", "delete-like"/,
  );
});

Deno.test("the approval question says rule for one and rules for several", () => {
  const verdict = {
    decision: "step_up" as const,
    decisionId: "d-1",
    ruleIds: ["destructive", "delete-like"],
    reasons: [
      'rule "destructive": the tool declares it may destroy data',
      'rule "delete-like": the tool name says it deletes',
    ],
  };
  const two = approvalQuestionText(
    approvalQuestion(call("delete_file", {}), verdict, "0".repeat(64)),
  );
  assert.match(
    two,
    /^Asked by rules "destructive", "delete-like" \(the tool declares it may destroy data; the tool name says it deletes\)\.$/m,
  );
  const one = approvalQuestionText(
    approvalQuestion(call("delete_file", {}), {
      ...verdict,
      ruleIds: ["destructive"],
      reasons: [verdict.reasons[0]!],
    }, "0".repeat(64)),
  );
  assert.match(one, /^Asked by rule "destructive" \(/m);
});

Deno.test("a block by the policy suggests asking its admin; one by thoth's own rules does not", () => {
  const admin =
    /tell the user it was blocked and, if they need it, to ask whoever manages thoth's policy \(their admin\); thoth's message/;
  for (const ids of [["no-deletes"], ["intent.out_of_scope"], ["destructive", "delete-like"]]) {
    const text = blockedText(facts(ids, ["deletes are refused"]));
    assert.match(text, admin, text);
    assert.ok(text.length < 450, `${text.length}: ${text}`);
  }
  for (const ids of [["thoth.own_files"], ["thoth.client_config"], ["thoth.decision_timeout"]]) {
    const text = blockedText(facts(ids, ["why"]));
    assert.doesNotMatch(text, /admin/, text);
    assert.match(text, /tell the user it was blocked; thoth's message/, text);
  }
});

Deno.test("the model is not handed the audit.unwritable code", () => {
  const texts = [
    unrecordedText(facts([])),
    blockedText(facts(["audit.unwritable"], ["the audit log cannot be written"])),
    notApprovedText(
      facts(["destructive"]),
      "refused (audit.unwritable): the audit log cannot be written, and thoth does not act " +
        "without evidence",
    ),
  ];
  for (const text of texts) {
    assert.doesNotMatch(text, /audit\.unwritable/, text);
    assert.match(
      text,
      /^thoth did not run tool "delete_file" on server "fs": thoth cannot record this call in its audit log on this machine \(the log or its spool cannot be written\), and thoth runs no call it cannot record\./,
      text,
    );
  }
});

Deno.test("the progressive block rung says how long it lasts and who can change it", () => {
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [
        { id: "no-deletes", match: { tool: "delete_file" }, decision: "block" },
        { id: "also-deletes", match: { tool: "delete_*" }, decision: "step_up" },
      ],
      progressive: { window: "6h", stepUpAfter: 1, blockAfter: 2 },
    }),
    "p.jsonc",
  ));
  const enforcer = new LocalEnforcer({ policy, mode: "progressive", userId: "ana" });
  let n = 0;
  const secret = "Quarterly-Plan-2026.xlsx";
  const verdicts = [1, 2, 3].map(() =>
    enforcer.decide(call("delete_file", { path: secret }), () => `d-${++n}`) as LocalVerdict
  );
  // The warning of the first names both violated rules as "rules".
  assert.match(
    verdicts[0]!.warn!,
    / violates rules "no-deletes", "also-deletes" and was forwarded;/,
  );
  const blocked = verdicts[2]!;
  assert.equal(blocked.decision, "block");
  const explanation =
    'progressive mode: violation 3 of rule "no-deletes" in the window, so it is blocked for up ' +
    "to 6h after the latest violation, each try counting as one; the admin who manages thoth's " +
    "policy can change this";
  assert.equal(blocked.action.explanation, explanation);
  assert.doesNotMatch(explanation, /[()]/);
  // The stderr line carries it whole; no argument value anywhere.
  const line = blockNote({ server: "fs", tool: "delete_file" }, blocked, {
    auditCommand: "thoth audit",
    recorded: true,
  });
  assert.ok(line.includes(explanation), line);
  const model = blockedText({ ...blocked, server: "fs", tool: "delete_file" });
  assert.ok(model.includes(explanation), model);
  for (const text of [line, model]) assert.ok(!text.includes(secret), text);

  // A ladder that blocks from the first violation says so, not a time.
  const always = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{ id: "no-deletes", match: { tool: "delete_file" }, decision: "block" }],
      progressive: { window: "6h", stepUpAfter: 0, blockAfter: 0 },
    }),
    "p.jsonc",
  ));
  const first = new LocalEnforcer({ policy: always, mode: "progressive", userId: "ana" })
    .decide(call("delete_file", {}), () => "d-x") as LocalVerdict;
  assert.equal(
    first.action.explanation,
    'progressive mode: violation 1 of rule "no-deletes" in the window, so it is blocked; this ' +
      "ladder blocks every violation; the admin who manages thoth's policy can change this",
  );
});
