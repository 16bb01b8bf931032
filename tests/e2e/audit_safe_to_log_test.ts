/**
 * The policy's `audit.safeToLog` end to end through the real `thoth run` and
 * server-everything: an argument field it names is kept in clear, and the
 * tool's result, even in a field of the same name, only as digest and shape.
 */
import assert from "node:assert/strict";
import { readLogLines } from "../../src/audit/read_records.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { connect, everythingArgv, tempDir, throughThoth } from "./_harness.ts";

Deno.test("server-everything: safeToLog keeps echo's message argument in clear, never its result", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(home);
  await Deno.writeTextFile(
    `${home}/policy.jsonc`,
    JSON.stringify({ version: 1, default: "allow", audit: { safeToLog: ["message", "content"] } }),
  );
  const message = "SECRET-PLAINTEXT-alpha";
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything"]),
    {},
    { THOTH_HOME: home },
  );
  let answer: unknown;
  try {
    answer = await connected.client.callTool({ name: "echo", arguments: { message } });
  } finally {
    await connected.close();
  }
  assert.match(JSON.stringify(answer), /Echo: SECRET-PLAINTEXT-alpha/);
  const lines = await readLogLines(auditPaths(home).dir);
  const records = lines.flatMap((l) => l.record ? [l.record] : []);
  const decision = records.find((r) => r["type"] === "decision" && r["tool"] === "echo");
  assert.deepEqual((decision?.["args"] as { clear?: unknown }).clear, { message });
  const outcome = records.find((r) =>
    r["type"] === "outcome" && r["decisionId"] === decision?.["decisionId"]
  );
  const result = outcome?.["result"] as Record<string, unknown> | undefined;
  assert.deepEqual(Object.keys(result ?? {}).sort(), ["digest", "shape"], JSON.stringify(outcome));
  const stored = lines.map((l) => new TextDecoder().decode(l.bytes)).join("\n");
  assert.doesNotMatch(stored, /Echo: /, "the result's text is in no record");
});
