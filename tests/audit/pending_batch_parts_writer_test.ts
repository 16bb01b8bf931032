// A writer killed in the middle of a batch of more than 64 records: the log
// ends inside the part its intent names (as a kill during that part's write
// leaves it), and the next writer takes the records in as a thoth's, with no
// tail_taken_in record. An earlier release's intent of such a batch, which
// lists no leaves, still leaves a warning only.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { fromBase64 } from "../../src/audit/encoding.ts";
import { encodePendingBatch, pendingMacKey } from "../../src/audit/pending_batch.ts";
import { PAST_THE_COUNT } from "../../src/audit/unvouched_tail.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { readLines } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

type Rec = Record<string, unknown>;

const killedWriter = new URL("./_killed_mid_batch_writer.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;
const root = new URL("../..", import.meta.url).pathname;

async function allRecords(home: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for (const name of await listSegments(`${home}/audit`)) {
    for (const line of await readLines(`${home}/audit/${name}`)) out.push(JSON.parse(line));
  }
  return out;
}

/** A writer process that counts `counted` records, writes `uncounted` more in one batch, and is killed before counting them. */
async function killedMidBatch(home: string, counted: number, uncounted: number): Promise<void> {
  const status = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${config}`,
      `--allow-read=${home},${root}`,
      `--allow-write=${home}`,
      killedWriter,
      home,
      String(counted),
      String(uncounted),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(status.signal, "SIGKILL", new TextDecoder().decode(status.stderr));
  await Deno.remove(`${home}/audit/checkpoints`);
  await Deno.mkdir(`${home}/audit/checkpoints`);
}

/** Keeps the first `size` records of the log: what a kill during the write of the records after them leaves. */
async function cutTo(home: string, size: number): Promise<void> {
  const [name] = (await listSegments(`${home}/audit`)).slice(-1);
  const path = `${home}/audit/${name}`;
  const lines = await readLines(path);
  const first = JSON.parse(lines[0]!).seq as number;
  await Deno.writeTextFile(path, lines.slice(0, size - first).join("\n") + "\n");
}

async function nextSession(home: string): Promise<void> {
  const log = await openAuditLog({ thothHome: home });
  try {
    await log.append({
      type: "session_start",
      session: "after",
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    await log.append({ type: "session_end", session: "after", exitCode: 0, signal: null });
  } finally {
    await log.close();
  }
}

const stateSize = async (home: string) =>
  JSON.parse(await Deno.readTextFile(`${home}/audit/.state.json`)).size as number;

Deno.test("a writer killed inside a batch of 200 records leaves the log ending at a leaf its intent names: no tail_taken_in, verify clean", async () => {
  for (const back of [1, 10, 40]) {
    const home = await tempFolder("thoth-audit-");
    await killedMidBatch(home, 3, 200);
    const counted = await stateSize(home);
    const held = (await allRecords(home)).length;
    assert.equal(held, counted + 200, "the batch reached the log uncounted");
    // A kill during the write of a part of the batch: the log ends `back` records short of it.
    // The checkpoint the batch carries is written after its records: with the checkpoints
    // folder a file, the last part holds the records past the last multiple of 64.
    const intent = JSON.parse((await Deno.readTextFile(`${home}/audit/.pending`)).split("\n")[0]!);
    assert.ok(intent.end.size - intent.start.size > 64, JSON.stringify(intent));
    assert.equal(intent.end.size, held);
    const size = Math.max(held - back, intent.done.size + 1);
    await cutTo(home, size);
    const before = await verifyLocalLog(home);
    assert.deepEqual(
      before.findings.filter((f) => f.severity !== "info"),
      [],
      `${held - size} short: ${JSON.stringify(before.findings)}`,
    );
    await nextSession(home);
    const records = await allRecords(home);
    assert.deepEqual(records.map((r) => r["seq"]), records.map((_, i) => i), "one gapless chain");
    assert.deepEqual(records.filter((r) => r["type"] === "tail_taken_in"), [], `${back} short`);
    const report = await verifyLocalLog(home);
    assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  }
});

Deno.test("an earlier release's intent of a batch of more than 64 records, the log ending inside it: taken in as past the count, a warning", async () => {
  const home = await tempFolder("thoth-audit-");
  await killedMidBatch(home, 3, 200);
  const held = (await allRecords(home)).length;
  const paths = auditPaths(home);
  const intent = JSON.parse((await Deno.readTextFile(paths.pending)).split("\n")[0]!);
  const raw = fromBase64((await Deno.readTextFile(paths.hmacKey)).trim())!;
  // What an earlier release wrote for the batch: its ends, no leaves.
  await Deno.writeFile(
    paths.pending,
    encodePendingBatch(pendingMacKey(raw), {
      base: intent.base,
      start: intent.start,
      done: intent.start,
      end: intent.end,
    }),
  );
  await cutTo(home, held - 100);
  const before = await verifyLocalLog(home);
  assert.equal(before.exitCode, 2, JSON.stringify(before.findings));
  await nextSession(home);
  const tails = (await allRecords(home)).filter((r) => r["type"] === "tail_taken_in");
  assert.deepEqual(tails.map((t) => t["reason"]), [PAST_THE_COUNT]);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 2, JSON.stringify(report.findings));
});
