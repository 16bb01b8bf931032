/**
 * A person asked to approve a destructive write sees which file it writes:
 * the prompt (the client's form, a dialog whose text stays off the command
 * line) shows the values of the fields that name a file or URL, with the
 * same care as a safe field's (its end, where `..` leads), unless a secret
 * detector flags one; everything else stays a shape. The queue's files and
 * the dialogs whose text is a command-line argument get shapes only. The
 * question names the rule once and says how long the person has to answer.
 */
import assert from "node:assert/strict";
import {
  type ApprovalQuestion,
  approvalQuestion,
  approvalQuestionText,
} from "../../src/approval/approval_question.ts";
import { elicitationParams } from "../../src/approval/elicitation_form.ts";
import { dialogChannel } from "../../src/approval/dialog_channel.ts";
import type { DialogRequest } from "../../src/approval/dialog_runner.ts";
import { PROMPT_VALUE_FIELDS } from "../../src/approval/prompt_value_fields.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";

function call(args: Record<string, unknown>): ToolCall {
  return {
    server: "fs",
    tool: "write_file",
    arguments: args,
    annotations: { destructiveHint: true },
    listed: true,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
}

const VERDICT = {
  decision: "step_up" as const,
  decisionId: "d-1",
  ruleIds: ["destructive"],
  reasons: ['rule "destructive": the tool declares it may destroy data'],
};

function question(args: Record<string, unknown>, safe: string[] = []): ApprovalQuestion {
  return approvalQuestion(call(args), VERDICT, "0".repeat(64), safe);
}

Deno.test("approvalQuestionText() names the rule once and says how long the person has", () => {
  const q = { ...question({}), answerWithinMs: 45_000 };
  const text = approvalQuestionText(q);
  assert.match(text, /^Asked by rule "destructive" \(the tool declares it may destroy data\)\.$/m);
  assert.doesNotMatch(text, /\(rule "destructive":/);
  assert.match(text, /^Answer within 45 s, or the call is denied\.$/m);
  assert.match(
    approvalQuestionText({ ...q, answerWithinMs: 300_000 }),
    /^Answer within 5 min, or the call is denied\.$/m,
  );
  assert.doesNotMatch(approvalQuestionText(question({})), /Answer within/);
});

Deno.test("a prompt shows the path a call writes; the stored shape does not", () => {
  const q = question({ path: "/home/ana/notes.txt", content: "dear diary" });
  assert.deepEqual(q.shape, ["path: string (19 chars)", "content: string (10 chars)"]);
  assert.deepEqual(q.promptShape, ['path: "/home/ana/notes.txt"', "content: string (10 chars)"]);
  const prompt = approvalQuestionText(q, { promptValues: true });
  assert.match(prompt, /^ {2}path: "\/home\/ana\/notes\.txt"$/m);
  assert.match(
    prompt,
    /Arguments \(values of command, file and URL fields and of fields the policy marks safe; the rest by shape\):/,
  );
  assert.ok(!prompt.includes("dear diary"));
  // Without the option (the queue's listing, a dialog on a command line): the shape only.
  const plain = approvalQuestionText(q);
  assert.ok(!plain.includes("notes.txt"), plain);
  assert.match(plain, /Arguments \(shape only\):/);
  // The client's form is such a prompt.
  assert.match(elicitationParams(q, true).message, /path: "\/home\/ana\/notes\.txt"/);
});

Deno.test("a prompt shows where a path really goes, and hides one a secret detector flags", () => {
  const moved = question({ destination: "/tmp/x/../../etc/cron.d/job" }).promptShape!;
  assert.deepEqual(moved, [
    'destination: "/tmp/x/../../etc/cron.d/job", resolves to "/etc/cron.d/job"',
  ]);
  const secret = question({ url: "https://ana:Zq8vR2mT7xKp4LwN@db.example.org/export" });
  assert.equal(secret.promptShape?.length, 1);
  assert.match(
    secret.promptShape![0]!,
    /^url: string \(\d+ chars\), value not shown: a detector finds a secret in it$/,
  );
  assert.ok(!JSON.stringify(secret).includes("Zq8vR2mT7xKp4LwN"));
  // Invisible characters: the shape only, as for a safe field.
  const hidden = question({ path: "/tmp/\u202egnp.exe" }).promptShape!;
  assert.match(hidden[0]!, /value not shown: it holds invisible or control characters/);
  // A field no prompt shows by default stays a shape, and the question has no prompt lines.
  assert.equal(question({ note: "/home/ana/x" }).promptShape, undefined);
});

Deno.test("a prompt shows a list of paths only when every item shows whole", () => {
  assert.deepEqual(question({ paths: ["/srv/a.txt", "/srv/b.txt"] }).promptShape, [
    'paths: ["/srv/a.txt", "/srv/b.txt"]',
  ]);
  const moved = question({ paths: ["/srv/a.txt", "/srv/../etc/shadow"] }).promptShape!;
  assert.deepEqual(moved, [
    "paths: array (2 items), value not shown: not every item can be shown whole as it is",
  ]);
  const many = question({ paths: Array.from({ length: 11 }, (_, i) => `/srv/${i}`) }).promptShape!;
  assert.match(many[0]!, /^paths: array \(11 items\), value not shown/);
});

Deno.test("a dialog shows path values only where its text stays off the command line", async () => {
  const q = { ...question({ path: "/home/ana/notes.txt" }), answerWithinMs: 45_000 };
  const shown = async (
    os: string,
    env: Record<string, string>,
    only?: string,
  ): Promise<string> => {
    let text = "";
    let summary: string | undefined;
    const channel = dialogChannel({
      env,
      os,
      user: "ana",
      lookup: (name) =>
        Promise.resolve(only === undefined || name === only ? `/usr/bin/${name}` : null),
      runner: (request: DialogRequest) => {
        text = request.text;
        summary = request.summary;
        return Promise.resolve({ kind: "answered", reading: "deny", code: 0 });
      },
    });
    const answer = await channel.ask({
      question: q,
      request: {} as ApprovalRequest,
      signal: new AbortController().signal,
      deadline: Date.now() + 30_000,
      allowSession: true,
    });
    assert.equal(answer.kind, "deny");
    return only === "kdialog" ? `${text}\n--- summary ---\n${summary}` : text;
  };
  // PowerShell reads its text from its own environment.
  const windows = await shown("windows", {});
  assert.match(windows, /path: "\/home\/ana\/notes\.txt"/);
  // zenity reads it on its standard input.
  const linux = await shown("linux", { DISPLAY: ":0" });
  assert.match(linux, /path: "\/home\/ana\/notes\.txt"/);
  // kdialog reads the whole question from a private file; its choice gets it as an argument,
  // which any user's `ps` lists: a summary, no argument.
  const [kde, kdeSummary] = (await shown("linux", { DISPLAY: ":0" }, "kdialog"))
    .split("\n--- summary ---\n");
  assert.match(kde!, /path: "\/home\/ana\/notes\.txt"/);
  assert.ok(!kdeSummary!.includes("notes.txt") && !/path:/.test(kdeSummary!), kdeSummary);
  assert.match(
    kdeSummary!,
    /^Arguments: shown in the window before this one, not here: kdialog takes this text on its command line/m,
  );
  assert.match(kdeSummary!, /Allow tool "write_file" on server "fs"\?/);
  assert.match(kdeSummary!, /^Decision /m);
  // The time left when the dialog opens (its deadline is 30 s away), not the whole timeout.
  const left = Number(/^Answer within (\d+) s, or the call is denied\.$/m.exec(linux)?.[1]);
  assert.ok(left > 0 && left <= 30, linux);
});

Deno.test("the default policy's comment lists the fields a prompt shows", () => {
  const listed = /destination, url, uri, file, filename, file_path, filePath, directory, dir, cwd/;
  assert.match(DEFAULT_POLICY_JSONC.replace(/\n\s*\/\/\s*/g, " "), listed);
  assert.match(
    DEFAULT_POLICY_JSONC.replace(/\n\s*\/\/\s*/g, " "),
    new RegExp(PROMPT_VALUE_FIELDS.join(", ")),
  );
});
