import assert from "node:assert/strict";
import type { ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { createApprover } from "../../src/approval/create_approver.ts";
import type { ApprovalOutcome } from "../../src/proxy/relay_session.ts";
import { approvalsCli, startRelay, tempHome } from "./_relay_harness.ts";
import { osUserName } from "../_os_user.ts";

type ToolText = { content: { type: string; text: string }[]; isError?: boolean };

function text(result: unknown): string {
  return (result as ToolText).content.map((c) => c.text).join("\n");
}

const WRITE = {
  name: "write_file",
  arguments: { path: "/srv/secret-plans.txt", content: "launch codes 0000" },
};

async function withRelay(
  elicit: ((message: string, schema: unknown) => Promise<ElicitResult>) | undefined,
  work: (
    h: Awaited<ReturnType<typeof startRelay>>,
    extra: { outcomes: ApprovalOutcome[]; home: string; queued: string[] },
  ) => Promise<void>,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const { home, remove } = await tempHome();
  const outcomes: ApprovalOutcome[] = [];
  const queued: string[] = [];
  const approver = createApprover({
    thothHome: home,
    env: { USER: "tester", PATH: "" },
    os: "linux",
    timeoutMs: options.timeoutMs ?? 10_000,
    progressIntervalMs: 100,
    queuePollMs: 50,
    note: (m) => {
      const id = /approve ([a-z0-9]{8})/.exec(m)?.[1];
      if (id) queued.push(id);
    },
  });
  const h = await startRelay({
    approver: async (request) => {
      const outcome = await approver(request);
      outcomes.push(outcome);
      return outcome;
    },
    ...(elicit ? { elicit } : {}),
  });
  try {
    await work(h, { outcomes, home, queued });
  } finally {
    approver.endSession();
    await h.close();
    await remove();
  }
}

Deno.test("createApprover(): an accepted elicitation lets the call reach the server", async () => {
  const asked: { message: string; schema: unknown }[] = [];
  await withRelay((message, schema) => {
    asked.push({ message, schema });
    return Promise.resolve({ action: "accept", content: { decision: "approve" } });
  }, async (h, { outcomes }) => {
    const result = await h.client.callTool(WRITE);
    assert.equal(text(result), "ran write_file");
    assert.equal(h.ran.length, 1);
    assert.equal(asked.length, 1);
    const message = asked[0]!.message;
    assert.match(message, /tool "write_file" on server "files"/);
    assert.match(message, /rule "writes-need-a-person"/);
    // The form shows which file (a path field), never the content.
    assert.match(message, /path: "\/srv\/secret-plans\.txt"/);
    assert.match(message, /content: string \(\d+ chars\)/);
    assert.ok(!message.includes("launch codes"));
    assert.equal(outcomes[0]?.channel, "elicitation");
    assert.equal(outcomes[0]?.approver, "tester via approval-test-client");
    assert.equal(typeof outcomes[0]?.latencyMs, "number");
    // An allowed tool never asks.
    assert.equal(text(await h.client.callTool({ name: "echo", arguments: {} })), "ran echo");
    assert.equal(asked.length, 1);
  });
});

Deno.test("createApprover(): decline and cancel deny, and the model is told a person did", async () => {
  const actions: ElicitResult[] = [{ action: "decline" }, { action: "cancel" }];
  await withRelay(() => Promise.resolve(actions.shift()!), async (h) => {
    const declined = await h.client.callTool(WRITE) as ToolText;
    assert.equal(declined.isError, true);
    assert.match(text(declined), /a person denied it/);
    // Who answered is for the audit record, not for the model.
    assert.doesNotMatch(text(declined), /tester|approval-test-client/);
    const cancelled = await h.client.callTool(WRITE) as ToolText;
    assert.equal(cancelled.isError, true);
    assert.match(text(cancelled), /dismissed the approval prompt/);
    assert.equal(h.ran.length, 0, "a denied call never reaches the server");
  });
});

Deno.test("createApprover(): a slow answer times out and denies", async () => {
  let release: () => void = () => {};
  const late = new Promise<void>((resolve) => release = resolve);
  const progress: unknown[] = [];
  await withRelay(async () => {
    await late;
    return { action: "accept", content: { decision: "approve" } };
  }, async (h, { outcomes }) => {
    const result = await h.client.callTool(WRITE, undefined, {
      onprogress: (p: unknown) => progress.push(p),
    }) as ToolText;
    assert.equal(result.isError, true);
    assert.match(text(result), /no one answered within 0.4 s, so the request timed out/);
    assert.equal(outcomes[0]?.approved, false);
    assert.ok(progress.length >= 2, `progress was reported while waiting (${progress.length})`);
    release();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(h.ran.length, 0, "the late approval does not run the call");
  }, { timeoutMs: 400 });
});

Deno.test("createApprover(): allow-for-session covers the same arguments only", async () => {
  const answers: ElicitResult[] = [
    { action: "accept", content: { decision: "session" } },
    { action: "decline" },
  ];
  let asked = 0;
  await withRelay(() => {
    asked++;
    return Promise.resolve(answers.shift()!);
  }, async (h, { outcomes }) => {
    assert.equal(text(await h.client.callTool(WRITE)), "ran write_file");
    // Same tool, same arguments in another key order: the session grant admits it.
    const again = await h.client.callTool({
      name: "write_file",
      arguments: { content: WRITE.arguments.content, path: WRITE.arguments.path },
    });
    assert.equal(text(again), "ran write_file");
    assert.equal(asked, 1);
    assert.equal(outcomes[1]?.channel, "grant");
    assert.equal(outcomes[1]?.scope, "grant");
    assert.match(
      outcomes[1]?.why ?? "",
      / allowed this tool with these arguments for the session$/,
    );
    // Other arguments: asked again, and this time denied.
    const other = await h.client.callTool({
      name: "write_file",
      arguments: { path: "/srv/other.txt", content: "x" },
    }) as ToolText;
    assert.equal(other.isError, true);
    assert.equal(asked, 2);
    assert.equal(h.ran.length, 2);
  });
});

Deno.test("createApprover(): without elicitation the call waits in the queue and a second process approves it", async () => {
  await withRelay(undefined, async (h, { queued, home, outcomes }) => {
    const call = h.client.callTool(WRITE);
    while (queued.length === 0) await new Promise((r) => setTimeout(r, 20));
    const id = queued[0]!;
    const listed = await approvalsCli(home, ["list", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const items = JSON.parse(listed.stdout);
    assert.equal(items[0].id, id);
    assert.equal(items[0].tool, "write_file");
    assert.ok(!listed.stdout.includes("launch codes"), "the queue stores no argument values");
    const approved = await approvalsCli(home, ["approve", id]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /approved by second-process/);
    assert.equal(text(await call), "ran write_file");
    assert.equal(outcomes[0]?.channel, "queue");
    // The answer file's owner (this OS user); what the file says is at most a claim.
    assert.ok(outcomes[0]?.approver?.startsWith(osUserName()), outcomes[0]?.approver);
    const again = await approvalsCli(home, ["approve", id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already approved by second-process/);
  });
});

Deno.test("createApprover(): a denial from the queue carries the person's reason", async () => {
  await withRelay(undefined, async (h, { queued, home }) => {
    const call = h.client.callTool(WRITE);
    while (queued.length === 0) await new Promise((r) => setTimeout(r, 20));
    const denied = await approvalsCli(home, ["deny", queued[0]!, "--reason", "not on prod"]);
    assert.equal(denied.code, 0, denied.stderr);
    const result = await call as ToolText;
    assert.equal(result.isError, true);
    // The person's own words reach the model; their account does not.
    assert.doesNotMatch(text(result), /a person \(/);
    assert.match(text(result), /a person denied it, saying "not on prod"/);
    assert.equal(h.ran.length, 0);
  });
});

Deno.test("createApprover(): the client's cancellation ends the wait and withdraws the request", async () => {
  await withRelay(undefined, async (h, { queued, home }) => {
    const abort = new AbortController();
    const call = h.client.callTool(WRITE, undefined, { signal: abort.signal });
    while (queued.length === 0) await new Promise((r) => setTimeout(r, 20));
    abort.abort("changed my mind");
    await assert.rejects(call);
    const id = queued[0]!;
    let answer = "";
    for (let i = 0; i < 50 && answer === ""; i++) {
      await new Promise((r) => setTimeout(r, 20));
      answer = await Deno.readTextFile(`${home}/approvals/${id}.answer.json`).catch(() => "");
    }
    assert.equal(JSON.parse(answer).decision, "withdrawn");
    const late = await approvalsCli(home, ["approve", id]);
    assert.equal(late.code, 1);
    assert.match(late.stderr, /already withdrawn/);
    assert.equal(h.ran.length, 0);
  });
});
