/**
 * A dead session's spool is taken in without the records the log already
 * holds, but a record the writer was cut off in (the log's last line, whole
 * but without its newline) is not held: the next writer cuts it. Before, the
 * read-back counted it as held, its spool record was skipped, and the cut
 * then lost the decision altogether.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { SessionAudit } from "../../src/proxy/session_audit.ts";
import { tempDir } from "../e2e/_harness.ts";
import { deadDecision, sameDayClock } from "../proxy/_session_audit_harness.ts";
import { spoolMacOf } from "./_spool_mac.ts";

const decision = (id: string) => deadDecision(id);

Deno.test("a spooled record whose log line lacks its newline is taken in, not skipped", async () => {
  await using dir = await tempDir();
  const home = dir.path;
  // One UTC day for every writer: their records all land in the last segment.
  const now = sameDayClock();
  // The dead session spooled d-1 and d-2; the log took d-1, and d-2 all but its newline.
  const spool = DecisionSpool.open(home, "s-dead", Date.now, await spoolMacOf(home));
  spool.write(decision("d-1"));
  spool.write(decision("d-2"));
  const batch = spool.rotate()!;
  const first = await openAuditLog({ thothHome: home, now });
  await first.append({
    type: "session_start",
    session: "s-dead",
    server: "fs",
    commandDigest: "b".repeat(64),
    envKeys: [],
    mode: "block",
  } as unknown as AuditEvent);
  await first.append(decision("d-1"));
  await first.close();
  const paths = auditPaths(home);
  const state = await Deno.readFile(paths.state);
  const second = await openAuditLog({ thothHome: home, now });
  await second.append(decision("d-2"));
  await second.close();
  const segments = await listSegments(paths.dir);
  const segment = `${paths.dir}/${segments[segments.length - 1]}`;
  const text = await Deno.readTextFile(segment);
  // d-2's line as written, without its newline (and nothing after it: the kill came first).
  const at = text.indexOf('"decisionId":"d-2"');
  await Deno.writeTextFile(segment, text.slice(0, text.indexOf("\n", at)));
  await Deno.writeFile(paths.state, state);
  const old = new Date(Date.now() - 120_000);
  await Deno.utime(batch.path, old, old);

  const log = await openAuditLog({ thothHome: home, now });
  const audit = new SessionAudit({
    log,
    thothHome: home,
    session: "s-new",
    server: "fs",
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    safeFields: [],
    note: () => {},
  });
  await audit.start("fs-server", [], []);
  await audit.end(0, null);
  const lines = (await Promise.all(
    (await listSegments(paths.dir)).map((s) => Deno.readTextFile(`${paths.dir}/${s}`)),
  )).join("").trim().split("\n").map((l) => JSON.parse(l));
  const count = (id: string) =>
    lines.filter((r) => r.type === "decision" && r.decisionId === id).length;
  assert.equal(count("d-1"), 1, "held by the log: not taken in again");
  assert.equal(count("d-2"), 1, "cut from the log's tail: taken in from the spool");
});
