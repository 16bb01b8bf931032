/**
 * SessionAudit records a tools/list answer whose definitions cannot all be
 * digested (a schema nested past what canonical JSON writes): the others are
 * recorded, the undigested ones named, a note given, and the session goes on.
 * Before, the failure was an unhandled rejection that ended the proxy core.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { CANONICAL_JSON_MAX_DEPTH } from "../../src/audit/canonical_json.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { SessionAudit } from "../../src/proxy/session_audit.ts";
import { tempDir } from "../e2e/_harness.ts";

function nested(depth: number): unknown {
  let value: unknown = { type: "string" };
  for (let i = 0; i < depth; i++) value = { type: "object", properties: { x: value } };
  return value;
}

Deno.test("SessionAudit records the tools it can digest and names the one nested too deep", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path });
  const notes: string[] = [];
  const audit = new SessionAudit({
    log,
    thothHome: dir.path,
    session: "s-deep",
    server: "deep",
    mode: "observe",
    policyHash: "0".repeat(64),
    intent: null,
    safeFields: [],
    note: (text) => notes.push(text),
  });
  await audit.start("deep", [], []);
  const definitions = [
    { name: "plain", inputSchema: { type: "object" } },
    { name: "deep\u001b[31m", inputSchema: nested(CANONICAL_JSON_MAX_DEPTH) },
  ];
  audit.events().toolsListed!(new Map(), definitions, { first: true });
  await audit.end(0, null);

  const lines = await readLogLines(auditPaths(dir.path).dir);
  const snapshot = lines.find((l) => l.record?.["type"] === "tools_snapshot")?.record;
  assert.ok(snapshot, "the snapshot is recorded");
  assert.deepEqual((snapshot["tools"] as { name: string }[]).map((t) => t.name), ["plain"]);
  assert.deepEqual(snapshot["undigested"], ["deep\u001b[31m"]);
  // (Its name, holding an escape character, also gets the note on look-alike names.)
  const digestNotes = notes.filter((note) => note.startsWith("cannot digest"));
  assert.equal(digestNotes.length, 1, notes.join("\n"));
  assert.match(digestNotes[0]!, /cannot digest 1 tool definition\(s\) .*"deep\\u001b\[31m"/);
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0);
});
