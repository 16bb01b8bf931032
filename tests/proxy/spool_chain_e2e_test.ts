/**
 * A killed session's spool file, changed by someone who can write the audit
 * folder but not `keys/`: a line taken out of its middle (`sed -i 3d`), its
 * header's time changed, two lines swapped, or the file renamed to another
 * of its session's names. The next `thoth run` session refuses each (sets
 * it aside as `<name>.refused`, records a `spool_refused`), and chains none
 * of its records; the genuine file beside them is taken in whole. Lines
 * taken off a file's end are not seen (a file the session stopped writing
 * there), as a whole file removed is not. The files are written by the
 * session's own spool writer (`DecisionSpool`, as a killed session leaves
 * them); real `thoth run` sessions in front of the fault server take them
 * in, under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import type { DecisionEvent } from "../../src/audit/record.ts";
import {
  faultArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";
import { auditRecords } from "../e2e/_governed.ts";
import { spoolMacOf } from "../audit/_spool_mac.ts";

function decision(session: string, id: string): DecisionEvent {
  return {
    type: "decision",
    session,
    server: "fault",
    tool: "wire_transfer",
    decisionId: id,
    verdict: "allow",
    ruleIds: [],
    reasons: [],
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    effect: "forwarded",
    args: { digest: "", shape: { t: "null" } },
  };
}

/**
 * The spool file a session `session` killed after four decisions leaves
 * (`<session>-1.jsonl`), as its writer wrote it, changed by `change` (its
 * lines, header first), two hours old; returns its path.
 */
async function killedSpool(
  home: string,
  session: string,
  change: (lines: string[]) => string[] = (lines) => lines,
): Promise<string> {
  const spool = DecisionSpool.open(home, session, Date.now, await spoolMacOf(home));
  for (const n of [1, 2, 3, 4]) spool.write(decision(session, `${session}/d-${n}`));
  spool.close();
  const path = `${DecisionSpool.dir(home)}/${session}-1.jsonl`;
  const lines = (await Deno.readTextFile(path)).split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 5, "a header and four lines");
  await Deno.writeTextFile(path, change(lines).map((line) => `${line}\n`).join(""));
  const old = new Date(Date.now() - 2 * 3_600_000);
  await Deno.utime(path, old, old);
  return path;
}

/** One `thoth run` session in front of the fault server that answers `initialize`; its stderr. */
async function session(home: string): Promise<string> {
  const peer = new RawPeer(
    throughThoth(faultArgv(), ["--agent-id", "fault", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    const initialized = await peer.responseTo(1, 60_000);
    assert.ok("result" in initialized, JSON.stringify(initialized) + peer.stderr);
  } finally {
    await peer.finish();
  }
  return peer.stderr;
}

function spoolNames(home: string): string[] {
  return [...Deno.readDirSync(DecisionSpool.dir(home))].map((entry) => entry.name).sort();
}

Deno.test("a killed session's spool with a line taken out, its header changed, lines swapped or renamed is refused; a genuine one is taken in whole", async () => {
  await using dir = await tempDir("thoth-spool-chain-");
  const home = `${dir.path}/home`;
  await killedSpool(home, "s-0000000000000001");
  // `sed -i 3d`: the second decision out of the middle.
  await killedSpool(home, "s-0000000000000002", (lines) => lines.filter((_, i) => i !== 2));
  await killedSpool(
    home,
    "s-0000000000000003",
    (lines) => [lines[0]!.replace(/^#spool_opened \d+/, "#spool_opened 1"), ...lines.slice(1)],
  );
  await killedSpool(
    home,
    "s-0000000000000004",
    (lines) => [lines[0]!, lines[1]!, lines[3]!, lines[2]!, lines[4]!],
  );
  const renamed = await killedSpool(home, "s-0000000000000005");
  Deno.renameSync(renamed, renamed.replace(/-1\.jsonl$/, "-7.jsonl"));

  const stderr = await session(home);
  assert.deepEqual(spoolNames(home), [
    "s-0000000000000002-1.jsonl.refused",
    "s-0000000000000003-1.jsonl.refused",
    "s-0000000000000004-1.jsonl.refused",
    "s-0000000000000005-7.jsonl.refused",
  ], stderr);
  const records = await auditRecords(home);
  const decisions = records.filter((r) => r["type"] === "decision")
    .map((r) => String(r["decisionId"]));
  assert.deepEqual(
    decisions.filter((id) => !id.startsWith("s-0000000000000001/")),
    [],
    "no record of a refused file is chained",
  );
  assert.deepEqual(
    decisions.filter((id) => id.startsWith("s-0000000000000001/")),
    [1, 2, 3, 4].map((n) => `s-0000000000000001/d-${n}`),
    "the genuine file is taken in whole",
  );
  const reasons = new Map(
    records.filter((r) => r["type"] === "spool_refused")
      .map((r) => [String(r["file"]), String(r["reason"])]),
  );
  assert.equal(reasons.size, 4, JSON.stringify([...reasons]));
  assert.match(reasons.get("s-0000000000000002-1.jsonl") ?? "", /^line 3: its MAC does not verify/);
  assert.match(
    reasons.get("s-0000000000000003-1.jsonl") ?? "",
    /^line 1: its header's MAC does not verify/,
  );
  assert.match(reasons.get("s-0000000000000004-1.jsonl") ?? "", /^line 3: its MAC does not verify/);
  assert.match(
    reasons.get("s-0000000000000005-7.jsonl") ?? "",
    /^line 1: its header's MAC does not verify/,
  );
});

Deno.test("lines taken off a killed session's spool end are not seen: the rest is taken in", async () => {
  await using dir = await tempDir("thoth-spool-chain-");
  const home = `${dir.path}/home`;
  await killedSpool(home, "s-000000000000000a", (lines) => lines.slice(0, 3));
  const stderr = await session(home);
  assert.deepEqual(spoolNames(home), [], stderr);
  const records = await auditRecords(home);
  assert.deepEqual(
    records.filter((r) => r["type"] === "decision").map((r) => r["decisionId"]),
    ["s-000000000000000a/d-1", "s-000000000000000a/d-2"],
  );
  assert.equal(records.filter((r) => r["type"] === "spool_refused").length, 0);
});
