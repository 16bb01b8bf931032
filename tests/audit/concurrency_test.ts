import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import type { Finding } from "../../src/audit/finding.ts";
import { readLines } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

const writer = new URL("../fixtures/audit/writer.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;

function spawnWriter(home: string, count: number, tag: string, torn = false): Deno.ChildProcess {
  const flags = [
    "run",
    "--quiet",
    `--config=${config}`,
    `--allow-read=${home},${new URL("../..", import.meta.url).pathname}`,
    `--allow-write=${home}`,
    ...(torn ? ["--allow-run"] : []),
    writer,
    home,
    String(count),
    tag,
    ...(torn ? ["torn"] : []),
  ];
  return new Deno.Command(Deno.execPath(), { args: flags, stdout: "null", stderr: "piped" })
    .spawn();
}

/**
 * Nothing is found but, at most, the records a writer killed between writing
 * a batch and counting it left: the next writer takes them in under a
 * tail_taken_in record, a warning (see `tail_taken_in_writers_test.ts`).
 */
function assertOnlyTakenIn(findings: readonly Finding[], what: string): void {
  const others = findings.filter((f) => f.severity !== "info" && f.kind !== "tail_taken_in");
  assert.deepEqual(others, [], `${what}${JSON.stringify(findings)}`);
}

async function allRecords(home: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const name of await listSegments(`${home}/audit`)) {
    for (const line of await readLines(`${home}/audit/${name}`)) out.push(JSON.parse(line));
  }
  return out;
}

Deno.test("4 writer processes x 2,500 records: one gapless chain, nothing lost or doubled", async () => {
  const home = await tempFolder("thoth-audit-");
  const children = ["a", "b", "c", "d"].map((tag) => spawnWriter(home, 2500, tag));
  const results = await Promise.all(children.map((c) => c.output()));
  for (const r of results) assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  const records = await allRecords(home);
  assert.deepEqual(records.map((r) => r["seq"]), records.map((_, i) => i));
  const calls = records.filter((r) => r["type"] === "cancellation");
  assert.equal(calls.length, 10_000);
  const keys = new Set(calls.map((r) => `${r["session"]}/${r["requestId"]}`));
  assert.equal(keys.size, 10_000);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings.slice(0, 5)));
});

Deno.test("a writer killed mid-write leaves a torn tail that the next writer cuts and records", async () => {
  const home = await tempFolder("thoth-audit-");
  const child = spawnWriter(home, 20, "t", true);
  const status = await child.output();
  assert.equal(status.signal, "SIGKILL");
  const torn = await verifyLocalLog(home);
  assert.ok(torn.findings.some((f) => f.kind === "torn_tail"));
  assert.notEqual(torn.exitCode, 1);
  const log = await openAuditLog({ thothHome: home });
  await log.append({ type: "session_end", session: "after", exitCode: 0, signal: null });
  await log.close();
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  const recovered = report.findings.find((f) => f.kind === "recovered_torn_tail");
  assert.ok(recovered, "the recovery is recorded");
});

Deno.test("a writer killed at a random moment leaves a gapless log the next writer continues", async () => {
  const home = await tempFolder("thoth-audit-");
  const child = spawnWriter(home, 200_000, "k");
  await new Promise((resolve) => setTimeout(resolve, 900));
  child.kill("SIGKILL");
  await child.output();
  const log = await openAuditLog({ thothHome: home });
  await log.append({ type: "session_end", session: "after", exitCode: 0, signal: null });
  await log.close();
  const records = await allRecords(home);
  assert.deepEqual(records.map((r) => r["seq"]), records.map((_, i) => i));
  const report = await verifyLocalLog(home);
  assertOnlyTakenIn(report.findings, "");
});

Deno.test("a writer killed at any moment never leaves a signed checkpoint over records it did not write", async () => {
  // Regression: a checkpoint note was written before the records it covers.
  for (const delay of [250, 330, 410, 490, 570, 650]) {
    const home = await tempFolder("thoth-audit-");
    try {
      const child = spawnWriter(home, 200_000, "k");
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill("SIGKILL");
      await child.output();
      const log = await openAuditLog({ thothHome: home });
      await log.append({ type: "session_end", session: "after", exitCode: 0, signal: null });
      await log.close();
      const report = await verifyLocalLog(home);
      assertOnlyTakenIn(report.findings, `killed at ${delay} ms: `);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  }
});
