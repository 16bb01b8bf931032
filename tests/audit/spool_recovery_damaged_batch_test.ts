/**
 * A dead session's spool is taken in without the records the log holds, as
 * the log's writer keeps it: a dead writer's last batch with a damaged line
 * (zeroed by a crash), another session's damaged line before it, or a broken
 * chain (`prev`) is cut by the next write, from that line on. The records
 * after it are then not held, and must come from the spool. Before, the
 * read-back counted them as held and skipped them, and the cut lost them.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { tempDir } from "../e2e/_harness.ts";
import { deadDecision, newSessionAudit, sameDayClock } from "../proxy/_session_audit_harness.ts";
import { spoolMacOf } from "./_spool_mac.ts";

function sessionStart(session: string): AuditEvent {
  return {
    type: "session_start",
    session,
    server: "fs",
    commandDigest: "b".repeat(64),
    envKeys: [],
    mode: "block",
  } as unknown as AuditEvent;
}

type Damage =
  | "a decision id zeroed"
  | "a line's end zeroed"
  | "another session's line damaged"
  | "a prev changed";

/** The decision records of d-1 and d-2 in the log after recovery, by id. */
async function recover(damage: Damage): Promise<Record<string, number>> {
  await using dir = await tempDir();
  const home = dir.path;
  // One UTC day for every writer: their records all land in the last segment.
  const now = sameDayClock();
  const spool = DecisionSpool.open(home, "s-dead", Date.now, await spoolMacOf(home));
  spool.write(deadDecision("d-1"));
  spool.write(deadDecision("d-2"));
  const batch = spool.rotate()!;
  const paths = auditPaths(home);
  const first = await openAuditLog({ thothHome: home, now });
  await first.append(sessionStart("s-dead"));
  await first.append(sessionStart("s-other"));
  await first.close();
  const state = await Deno.readFile(paths.state);
  // The killed writer's batch: its lines are whole, its state write never came.
  const second = await openAuditLog({ thothHome: home, now });
  if (damage === "another session's line damaged") {
    await second.append(deadDecision("o-1", "s-other"));
  }
  await second.append(deadDecision("d-1"));
  await second.append(deadDecision("d-2"));
  await second.close();
  await Deno.writeFile(paths.state, state);
  const segments = await listSegments(paths.dir);
  const segment = `${paths.dir}/${segments[segments.length - 1]}`;
  const text = await Deno.readTextFile(segment);
  const bytes = new TextEncoder().encode(text);
  const zero = (from: number, to: number) => bytes.fill(0, from, to);
  const d1 = text.indexOf('"decisionId":"d-1"');
  if (damage === "a decision id zeroed") zero(d1, d1 + '"decisionId":"d-1"'.length);
  if (damage === "a line's end zeroed") zero(d1, text.indexOf("\n", d1));
  if (damage === "another session's line damaged") {
    const o1 = text.indexOf('"decisionId":"o-1"');
    zero(o1, o1 + '"decisionId":"o-1"'.length);
  }
  if (damage === "a prev changed") {
    const prev = text.indexOf('"prev":"', text.lastIndexOf("\n", d1) + 1) + '"prev":"'.length;
    bytes[prev] = bytes[prev] === 48 ? 49 : 48;
  }
  await Deno.writeFile(segment, bytes);
  const old = new Date(Date.now() - 120_000);
  await Deno.utime(batch.path, old, old);

  const log = await openAuditLog({ thothHome: home, now });
  const { audit } = newSessionAudit(home, log, { session: "s-new" });
  await audit.start("fs-server", [], []);
  await audit.end(0, null);
  const records = (await Promise.all(
    (await listSegments(paths.dir)).map((s) => Deno.readTextFile(`${paths.dir}/${s}`)),
  )).join("").trim().split("\n").map((l) => JSON.parse(l));
  const count = (id: string) =>
    records.filter((r) => r.type === "decision" && r.decisionId === id).length;
  return { "d-1": count("d-1"), "d-2": count("d-2") };
}

for (
  const damage of [
    "a decision id zeroed",
    "a line's end zeroed",
    "another session's line damaged",
    "a prev changed",
  ] as const
) {
  Deno.test(`a dead writer's batch with a ${damage} is taken from the spool, none lost`, async () => {
    assert.deepEqual(await recover(damage), { "d-1": 1, "d-2": 1 });
  });
}
