/**
 * SessionAudit keeps a tool's result as a digest and a shape only: the
 * policy's `audit.safeToLog` names argument fields, and a result field of the
 * same name is never kept in clear. Real files under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { canonicalJson } from "../../src/audit/canonical_json.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import { SessionAudit } from "../../src/proxy/session_audit.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import { deviceHmacHex, tempDir } from "../e2e/_harness.ts";

const echo: ToolCall = {
  server: "everything",
  tool: "echo",
  arguments: { message: "hello", content: "named safe" },
  annotations: undefined,
  listed: true,
  era: "initialize",
  protocolVersion: undefined,
};

Deno.test("SessionAudit keeps argument fields named safeToLog in clear, and never a result's", async () => {
  await using dir = await tempDir();
  const log = await openAuditLog({ thothHome: dir.path });
  const audit = new SessionAudit({
    log,
    thothHome: dir.path,
    session: "s-safe",
    server: "everything",
    mode: "observe",
    policyHash: "0".repeat(64),
    intent: null,
    safeFields: ["message", "content", "structuredContent.secret"],
    note: () => {},
  });
  await audit.start("everything", [], []);
  const events = audit.events();
  const verdict = audit.wrapEnforcer(allowAllEnforcer).decide(echo, () => "d-echo") as Verdict;
  events.decision!(echo, verdict, 1);
  const result = {
    content: [{ type: "text", text: "Echo: SECRET-PLAINTEXT-4111111111111111" }],
    message: "SECRET-IN-RESULT",
    structuredContent: { secret: "SECRET-STRUCTURED" },
  };
  events.outcome!(1, "echo", false, 1.5, result);
  await audit.end(0, null);

  const lines = await readLogLines(auditPaths(dir.path).dir);
  const stored = lines.map((l) => new TextDecoder().decode(l.bytes)).join("\n");
  assert.doesNotMatch(stored, /SECRET/, "no result value is stored");
  const decision = lines.find((l) => l.record?.["type"] === "decision")!.record!;
  assert.deepEqual(
    (decision["args"] as { clear?: unknown }).clear,
    { message: "hello", content: "named safe" },
    "the argument fields the policy named are kept in clear",
  );
  const outcome = lines.find((l) => l.record?.["type"] === "outcome")!.record!;
  const recorded = outcome["result"] as Record<string, unknown>;
  assert.deepEqual(Object.keys(recorded).sort(), ["digest", "shape"]);
  assert.equal(
    recorded["digest"],
    await deviceHmacHex(dir.path, new TextEncoder().encode(canonicalJson(result))),
  );
  assert.deepEqual(recorded["shape"], {
    t: "object",
    keys: {
      content: {
        t: "array",
        n: 1,
        items: [{
          t: "object",
          keys: { text: { t: "string", n: 39 }, type: { t: "string", n: 4 } },
        }],
      },
      message: { t: "string", n: 16 },
      structuredContent: { t: "object", keys: { secret: { t: "string", n: 17 } } },
    },
  });
  assert.equal((await verifyLocalLog(dir.path)).exitCode, 0);
});
