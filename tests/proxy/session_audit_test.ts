/**
 * SessionAudit: gating records reach the spool before a verdict is released,
 * move into the chained log in batches, and what a killed session left behind
 * is taken in by the next one. Real files under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { canonicalJson } from "../../src/audit/canonical_json.ts";
import { LARGE_VALUE_CHARS } from "../../src/audit/redact.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import { ORPHAN_AFTER_MS } from "../../src/proxy/session_audit.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { deviceHmacHex, tempDir } from "../e2e/_harness.ts";
import {
  logRecords as records,
  newSessionAudit,
  spoolFiles as spoolFilesOf,
} from "./_session_audit_harness.ts";
import { spoolMacOf } from "../audit/_spool_mac.ts";

const call: ToolCall = {
  server: "fs",
  tool: "write_file",
  arguments: { path: "/data/x", content: "PATIENT 123-45-6789" },
  annotations: undefined,
  listed: true,
  era: "initialize",
  protocolVersion: undefined,
};

async function session(home: string, name: string, now?: () => number) {
  const log = await openAuditLog({ thothHome: home });
  return newSessionAudit(home, log, { session: name, extra: now ? { now } : {} });
}

function spoolFiles(home: string): string[] {
  return spoolFilesOf(home, "empty");
}

Deno.test("SessionAudit releases a verdict only after its decision is in the spool, then chains it", async () => {
  await using dir = await tempDir();
  const { audit } = await session(dir.path, "s-a");
  await audit.start("fs-server", ["--root", "/data"], ["PATH"]);
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-1") as Verdict;
  assert.equal(verdict.decision, "allow", "decided synchronously");
  const [file] = spoolFiles(dir.path);
  assert.ok(file, "the decision is in the spool before anything is forwarded");
  const spooled = await Deno.readTextFile(`${DecisionSpool.dir(dir.path)}/${file}`);
  assert.match(spooled, /"decisionId":"d-1"/);
  assert.doesNotMatch(spooled, /123-45-6789/, "argument values are digested, never stored");
  assert.equal(await audit.flush(), true);
  assert.deepEqual(spoolFiles(dir.path), [], "the spool file goes once its records are in the log");
  await audit.end(0, null);
  assert.deepEqual(
    (await records(dir.path)).map((r) => r["type"]).filter((t) => t !== "checkpoint"),
    [
      "session_start",
      "decision",
      "session_end",
    ],
  );
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0);
});

Deno.test("SessionAudit records the block when the enforcer or the argument digest fails", async () => {
  await using dir = await tempDir();
  const { audit, notes } = await session(dir.path, "s-fail");
  await audit.start("fs-server", [], []);
  const throwing = audit.wrapEnforcer({
    decide: () => {
      throw new RangeError("Maximum call stack size exceeded");
    },
  });
  const rejecting = audit.wrapEnforcer({ decide: () => Promise.reject(new Error("remote down")) });
  // Arguments nested deeper than the stack allows: the digest itself fails.
  let deep: unknown = "PATIENT 123-45-6789";
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const undigestable = audit.wrapEnforcer(allowAllEnforcer);
  let n = 0;
  const ids = () => `d-fail-${++n}`;
  const verdicts = [
    await throwing.decide(call, ids),
    await rejecting.decide(call, ids),
    await undigestable.decide({ ...call, arguments: { a: deep } }, ids),
  ];
  for (const verdict of verdicts) {
    assert.equal(verdict.decision, "block");
    assert.deepEqual(verdict.ruleIds, ["enforcer.error"]);
  }
  assert.equal(
    notes.filter((m) => /the enforcer failed, so the call was blocked/.test(m)).length,
    3,
  );
  assert.equal(await audit.flush(), true);
  await audit.end(0, null);
  const decisions = (await records(dir.path)).filter((r) => r["type"] === "decision");
  assert.deepEqual(
    decisions.map((r) => [r["decisionId"], r["verdict"], r["ruleIds"], r["effect"]]),
    verdicts.map((v) => [v.decisionId, "block", ["enforcer.error"], "blocked"]),
    "every failure's block is evidence, under the id the client was told",
  );
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0);
});

Deno.test("SessionAudit takes in what a killed session left in its spool, once", async () => {
  await using dir = await tempDir();
  // A session that died after spooling a decision and before chaining it.
  const killed = DecisionSpool.open(dir.path, "s-dead", Date.now, await spoolMacOf(dir.path));
  killed.write({
    type: "decision",
    session: "s-dead",
    server: "fs",
    tool: "write_file",
    decisionId: "d-lost",
    verdict: "allow",
    ruleIds: [],
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    args: { digest: "ab", shape: { t: "null" } },
  });
  killed.close();
  await Deno.writeTextFile(`${DecisionSpool.dir(dir.path)}/s-dead-1.jsonl`, '{"type":"deci', {
    append: true,
  });

  const later = Date.now() + ORPHAN_AFTER_MS + 1000;
  const first = await session(dir.path, "s-next", () => later);
  await first.audit.start("x", [], []);
  await first.audit.end(0, null);
  const second = await session(dir.path, "s-third", () => later);
  await second.audit.start("x", [], []);
  await second.audit.end(0, null);

  const all = await records(dir.path);
  assert.equal(all.filter((r) => r["decisionId"] === "d-lost").length, 1, "recovered exactly once");
  const marker = all.find((r) => r["type"] === "spool_recovered");
  assert.equal(marker?.["count"], 1, "the torn last line is not a record");
  assert.deepEqual(spoolFiles(dir.path), []);
  const report = await verifyLocalLog(dir.path);
  assert.notEqual(report.exitCode, 1, JSON.stringify(report.findings));
});

Deno.test("SessionAudit leaves a live session's young spool alone", async () => {
  await using dir = await tempDir();
  const live = DecisionSpool.open(dir.path, "s-live", Date.now, await spoolMacOf(dir.path));
  live.write({ type: "session_end", session: "s-live", exitCode: 0, signal: null });
  const { audit } = await session(dir.path, "s-other");
  await audit.start("x", [], []);
  await audit.end(0, null);
  live.close();
  assert.deepEqual(spoolFiles(dir.path), ["s-live-1.jsonl"]);
});

Deno.test("SessionAudit blocks when the spool cannot be written, except in observe mode", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/audit`, { recursive: true });
  await Deno.writeTextFile(`${dir.path}/audit/spool`, "not a folder");
  const { audit, notes } = await session(dir.path, "s-x");
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-2") as Verdict;
  assert.equal(verdict.decision, "block");
  assert.deepEqual(verdict.ruleIds, ["audit.unwritable"]);
  assert.match(notes.join("\n"), /cannot write the audit log/);
  await audit.end(0, null);
});

Deno.test("SessionAudit with --audit-sync always holds each verdict until the spool is flushed", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path });
  const { audit } = newSessionAudit(dir.path, log, { session: "s-sync", sync: "always" });
  await audit.start("x", [], []);
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const verdicts = Array.from({ length: 20 }, (_, i) => enforcer.decide(call, () => `d-${i}`));
  assert.ok(verdicts.every((v) => v instanceof Promise), "held until the spool is on the disk");
  const settled = await Promise.all(verdicts);
  assert.deepEqual(new Set(settled.map((v) => v.decision)), new Set(["allow"]));
  await audit.end(0, null);
  const decisions = (await records(dir.path)).filter((r) => r["type"] === "decision");
  assert.equal(decisions.length, 20);
});

Deno.test("SessionAudit digests a response too large to parse over its exact bytes, and ends after it", async () => {
  await using dir = await tempDir();
  const { audit } = await session(dir.path, "s-raw");
  await audit.start("fs-server", [], []);
  const events = audit.events();
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(call, () => "d-big") as Verdict;
  events.decision!(call, verdict, 9);
  const content = new TextEncoder().encode(
    `{"jsonrpc":"2.0","id":9,"result":"${"r".repeat(3 << 20)}"}`,
  );
  const parts = [content.slice(0, 100), content.slice(100, 2 << 20), content.slice(2 << 20)];
  parts.push(new TextEncoder().encode("\r\n"));
  events.outcome!(9, "write_file", false, 12.5, undefined, { parts, bytes: content.length });
  await audit.end(0, null);
  const all = await records(dir.path);
  const outcome = all.find((r) => r["type"] === "outcome");
  assert.deepEqual(outcome?.["response"], {
    digest: await deviceHmacHex(dir.path, content),
    bytes: content.length,
  });
  assert.equal(outcome?.["result"], undefined);
  assert.deepEqual(
    all.map((r) => r["type"]).filter((t) => t !== "checkpoint").slice(-2),
    ["outcome", "session_end"],
    "the session's end waited for the digest",
  );
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0);
});

Deno.test("SessionAudit digests large arguments natively before the call is released, small ones at once", async () => {
  await using dir = await tempDir();
  const { audit } = await session(dir.path, "s-args");
  await audit.start("fs-server", [], []);
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const small = enforcer.decide(call, () => "d-small");
  assert.ok(!(small instanceof Promise), "ordinary arguments are recorded synchronously");
  const content = "é".repeat(LARGE_VALUE_CHARS); // over the limit in characters and bytes
  const large: ToolCall = { ...call, arguments: { path: "/data/big", content } };
  const pending = enforcer.decide(large, () => "d-large");
  assert.ok(pending instanceof Promise, "large arguments are digested off the synchronous path");
  const spoolBefore = spoolFiles(dir.path).map((f) =>
    Deno.readTextFileSync(`${DecisionSpool.dir(dir.path)}/${f}`)
  ).join("");
  assert.doesNotMatch(spoolBefore, /d-large/, "no record before the digest, so no release");
  assert.equal((await pending).decision, "allow");
  await audit.end(0, null);
  const decision = (await records(dir.path)).find((r) => r["decisionId"] === "d-large");
  const text = canonicalJson({ path: "/data/big", content });
  assert.deepEqual(decision?.["args"], {
    digest: await deviceHmacHex(dir.path, new TextEncoder().encode(text)),
    shape: {
      t: "object",
      keys: { content: { t: "string", n: content.length }, path: { t: "string", n: 9 } },
    },
  });
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0);
});

Deno.test("SessionAudit digests a result once the response is handled, and a result it cannot digest breaks nothing", async () => {
  await using dir = await tempDir();
  const { audit, notes } = await session(dir.path, "s-out");
  await audit.start("fs-server", [], []);
  const events = audit.events();
  const decide = audit.wrapEnforcer(allowAllEnforcer);
  for (const [id, decisionId] of [[1, "d-1"], [2, "d-2"], [3, "d-3"]] as const) {
    events.decision!(call, decide.decide(call, () => decisionId) as Verdict, id);
  }
  events.outcome!(1, "write_file", false, 1.5, { content: [{ type: "text", text: "ok" }] });
  // Nested deeper than the digest can walk: a hostile server's answer.
  let deep: unknown = "bottom";
  for (let i = 0; i < 200_000; i++) deep = [deep];
  events.outcome!(2, "write_file", false, 2.5, { content: deep });
  events.outcome!(3, "write_file", true, 3.5, { content: [] });
  await Promise.resolve();
  assert.equal(await audit.flush(), true, "the log is still being written");
  assert.deepEqual(notes.filter((n) => n.startsWith("cannot digest a result")).length, 1);
  await audit.end(0, null);
  const outcomes = (await records(dir.path)).filter((r) => r["type"] === "outcome");
  assert.deepEqual(outcomes.map((r) => [r["decisionId"], r["isError"], r["durationMs"]]), [
    ["d-1", false, 1.5],
    ["d-2", false, 2.5],
    ["d-3", true, 3.5],
  ]);
  assert.equal(typeof (outcomes[0]!["result"] as { digest?: unknown }).digest, "string");
  assert.equal(outcomes[1]!["result"], undefined, "recorded without the digest it could not make");
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0);
});
