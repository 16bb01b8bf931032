import { deviceSigner } from "./_bundle_helpers.ts";
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { fromBase64 } from "../../src/audit/encoding.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import {
  forgeState,
  kinds,
  otherSigner,
  readLines,
  rechain,
  sampleLog,
  segmentPath,
  steppingClock,
  tamperKinds,
  writeLines,
} from "./_log_helpers.ts";
import { removeOnUnload, tempFolder } from "../_temp_dirs.ts";

/** An index of a non-checkpoint line in the middle of the log. */
function middle(lines: string[]): number {
  let i = Math.floor(lines.length / 2);
  while (JSON.parse(lines[i]!).type === "checkpoint") i++;
  return i;
}

async function anchor(home: string): Promise<string> {
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T12:00:00Z") });
  const receipt = await log.checkpoint();
  await log.close();
  // Beside the profile, not in it: an anchor is kept off the device.
  const path = `${home}-anchor.note`;
  removeOnUnload(path);
  await Deno.writeTextFile(path, receipt?.note ?? "");
  return path;
}

Deno.test("verify: an untouched log is clean and says truncation needs an anchor", async () => {
  const home = await sampleLog();
  const report = await verifyLocalLog(home);
  assert.deepEqual(report.findings.filter((f) => f.severity !== "info"), []);
  assert.equal(report.exitCode, 0);
  assert.ok(report.checkpoints.verified >= 3);
  assert.match(report.notice, /only detectable against a checkpoint exported off this device/);
});

Deno.test("verify: a flipped byte is reported as modified at its seq", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = middle(lines);
  lines[i] = lines[i]!.replace(/"session":"s-(\d)"/, '"session":"s-$1x"');
  await writeLines(path, lines);
  const report = await verifyLocalLog(home);
  assert.deepEqual(kinds(report.findings), ["modified"]);
  assert.equal(report.findings.find((f) => f.kind === "modified")?.seq, i);
  assert.equal(report.exitCode, 1);
});

Deno.test("verify: a deleted line is reported as deleted at its seq", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = middle(lines);
  lines.splice(i, 1);
  await writeLines(path, lines);
  const report = await verifyLocalLog(home);
  assert.deepEqual(kinds(report.findings), ["deleted"]);
  assert.equal(report.findings[0]?.seq, i);
});

Deno.test("verify: swapped lines are reported as reordered", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = middle(lines);
  [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
  await writeLines(path, lines);
  const report = await verifyLocalLog(home);
  assert.deepEqual(kinds(report.findings), ["reordered"]);
  const f = report.findings.find((x) => x.kind === "reordered")!;
  assert.deepEqual([f.seq, f.toSeq], [i, i + 1]);
});

Deno.test("verify: an inserted line with a recomputed chain is reported as inserted", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = middle(lines);
  const forged = JSON.parse(lines[i]!);
  forged.session = "s-forged";
  lines.splice(i, 0, JSON.stringify(forged));
  await writeLines(path, await rechain(lines, i, { renumber: true }));
  await forgeState(home);
  const report = await verifyLocalLog(home);
  // The inserted copy repeats a decision of the log: named as recorded twice too; the
  // state file rewritten to match it has no MAC, though the log's checkpoints say it has.
  assert.deepEqual(kinds(report.findings), ["inserted", "recorded_twice", "state_mac_removed"]);
  const f = report.findings.find((x) => x.kind === "inserted")!;
  assert.ok(f.seq! <= i && i <= f.toSeq!, `${f.seq}..${f.toSeq} should hold ${i}`);
});

Deno.test("verify: an inserted line that reuses a seq is reported as inserted at that seq", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = middle(lines);
  const forged = JSON.parse(lines[i]!);
  forged.session = "s-forged";
  lines.splice(i, 0, JSON.stringify(forged));
  await writeLines(path, await rechain(lines, i));
  const report = await verifyLocalLog(home);
  // The inserted copy repeats a decision of the log: named as recorded twice too.
  assert.deepEqual(kinds(report.findings), ["inserted", "recorded_twice"]);
  assert.equal(report.findings.find((x) => x.kind === "inserted")?.seq, i);
});

Deno.test("verify: a truncated tail is found against an anchor, and only then", async () => {
  const home = await sampleLog();
  const anchorPath = await anchor(home);
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const keep = lines.length - 8;
  await writeLines(path, lines.slice(0, keep));
  for await (const entry of Deno.readDir(`${home}/audit/checkpoints`)) {
    if (Number(entry.name.slice(3, 15)) > keep) {
      await Deno.remove(`${home}/audit/checkpoints/${entry.name}`);
    }
  }
  await forgeState(home);
  const blind = await verifyLocalLog(home);
  assert.deepEqual(tamperKinds(blind.findings), [], "the cut session end only warns");
  assert.match(blind.notice, /could be removed undetected/);
  const report = await verifyLocalLog(home, { anchorPath });
  assert.deepEqual(tamperKinds(report.findings), ["truncated"]);
  assert.equal(report.exitCode, 1);
  const f = report.findings.find((x) => x.kind === "truncated")!;
  assert.equal(f.seq, keep);
});

Deno.test("verify: a deleted segment is reported as deleted records", async () => {
  const home = await sampleLog(4, 8, { maxSegmentBytes: 3000 });
  const segments = [...Deno.readDirSync(`${home}/audit`)].filter((e) => e.name.startsWith("seg-"));
  assert.ok(segments.length >= 3, `expected several segments, got ${segments.length}`);
  const path = await segmentPath(home, 1);
  const lines = await readLines(path);
  const first = JSON.parse(lines[0]!).seq;
  const last = JSON.parse(lines[lines.length - 1]!).seq;
  await Deno.remove(path);
  const report = await verifyLocalLog(home);
  assert.deepEqual(tamperKinds(report.findings), ["deleted"]);
  const f = report.findings.find((x) => x.kind === "deleted")!;
  assert.deepEqual([f.seq, f.toSeq], [first, last]);
});

Deno.test("verify: checkpoints re-signed with another key are reported as unknown key", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = middle(lines);
  lines[i] = lines[i]!.replace(/"session":"s-(\d)"/, '"session":"s-$1x"');
  const name = JSON.parse(await Deno.readTextFile(`${home}/keys/audit-signing.key`)).name;
  const signer = await otherSigner(name);
  await writeLines(path, await rechain(lines, i, { resign: signer, home }));
  await forgeState(home);
  const report = await verifyLocalLog(home);
  // The first checkpoint, untouched, says its writer keeps a MAC the forged state lacks.
  assert.deepEqual(kinds(report.findings), ["state_mac_removed", "unknown_key"]);
});

Deno.test("verify: a damaged checkpoint signature is reported as bad signature", async () => {
  const home = await sampleLog();
  const dir = `${home}/audit/checkpoints`;
  const name = [...Deno.readDirSync(dir)].map((e) => e.name).sort()[1]!;
  const note = await Deno.readTextFile(`${dir}/${name}`);
  const sigLine = note.trimEnd().split("\n").pop()!;
  const blob = fromBase64(sigLine.split(" ")[2]!)!;
  blob[10]! ^= 0xff;
  const { toBase64 } = await import("../../src/audit/encoding.ts");
  await Deno.writeTextFile(
    `${dir}/${name}`,
    note.replace(sigLine, sigLine.split(" ").slice(0, 2).join(" ") + " " + toBase64(blob)),
  );
  const report = await verifyLocalLog(home);
  assert.deepEqual(kinds(report.findings), ["bad_signature"]);
  assert.equal(
    report.findings.find((f) => f.kind === "bad_signature")?.seq,
    Number(name.slice(3, 15)),
  );
});

Deno.test("verify: history rewritten and re-signed with the device key is a fork against the anchor", async () => {
  const home = await sampleLog();
  const anchorPath = await anchor(home);
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = middle(lines);
  lines[i] = lines[i]!.replace(/"session":"s-(\d)"/, '"session":"s-$1x"');
  const signer = await deviceSigner(home);
  await writeLines(path, await rechain(lines, i, { resign: signer, home }));
  await forgeState(home);
  // Without the anchor nothing shows a change: the renamed session, which no
  // session_start starts, only warns.
  const blind = await verifyLocalLog(home);
  assert.deepEqual(tamperKinds(blind.findings), [], JSON.stringify(blind.findings));
  assert.deepEqual(kinds(blind.findings), ["session_never_started"]);
  const report = await verifyLocalLog(home, { anchorPath });
  assert.deepEqual(kinds(report.findings), ["fork"]);
});

/** A fresh log whose session "s" on server "fs" has started. */
async function startedLog() {
  const home = await tempFolder("thoth-audit-");
  const log = await openAuditLog({ thothHome: home, now: steppingClock() });
  await log.append({
    type: "session_start",
    session: "s",
    server: "fs",
    commandDigest: "x",
    envKeys: [],
  });
  return { home, log };
}

Deno.test("verify: warnings for a step-up without approval and a session without end exit 2", async () => {
  const { home, log } = await startedLog();
  await log.append({
    type: "decision",
    session: "s",
    server: "fs",
    tool: "rm",
    decisionId: "d-1",
    verdict: "step_up",
    ruleIds: ["r"],
    mode: "step_up",
    policyHash: "p",
    intent: null,
    args: await log.redact({}),
  });
  await log.close();
  const report = await verifyLocalLog(home);
  assert.deepEqual(kinds(report.findings), ["session_without_end", "step_up_without_approval"]);
  assert.equal(report.exitCode, 2);
});

Deno.test("verify: a step-up that asked no one (observed, blocked, warned) awaits no approval", async () => {
  const { home, log } = await startedLog();
  const effects = ["observed", "blocked", "forwarded", "approval_requested"] as const;
  for (const [i, effect] of effects.entries()) {
    await log.append({
      type: "decision",
      session: "s",
      server: "fs",
      tool: "rm",
      decisionId: `d-${i}`,
      verdict: "step_up",
      ruleIds: ["r"],
      mode: "step_up",
      policyHash: "p",
      intent: null,
      effect,
      args: await log.redact({}),
    });
  }
  await log.append({ type: "session_end", session: "s", exitCode: 0, signal: null });
  await log.close();
  const report = await verifyLocalLog(home);
  assert.deepEqual(
    report.findings.filter((f) => f.severity === "warning").map((f) => f.message),
    ["decision d-3 asked for approval but no approval record follows"],
  );
  assert.equal(report.exitCode, 2);
});

Deno.test("verify: a stateless approval answers the call that asked and the retry that carried it", async () => {
  const { home, log } = await startedLog();
  for (const decisionId of ["d-ask", "d-retry", "d-alone"]) {
    await log.append({
      type: "decision",
      session: "s",
      server: "fs",
      tool: "rm",
      decisionId,
      verdict: "step_up",
      ruleIds: ["r"],
      mode: "block",
      policyHash: "p",
      intent: null,
      effect: "approval_requested",
      args: await log.redact({}),
    });
  }
  await log.append({
    type: "approval",
    session: "s",
    decisionId: "d-ask",
    retryDecisionId: "d-retry",
    channel: "elicitation",
    approver: "ana via the MCP client",
    outcome: "approved",
    scope: "once",
    latencyMs: 1200,
  });
  await log.append({ type: "session_end", session: "s", exitCode: 0, signal: null });
  await log.close();
  const report = await verifyLocalLog(home);
  assert.deepEqual(
    report.findings.filter((f) => f.severity === "warning").map((f) => f.message),
    ["decision d-alone asked for approval but no approval record follows"],
  );
});
