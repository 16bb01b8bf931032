// Edits that aim at the verifier itself (numbers that would make it loop,
// manifests and key files of the wrong shape), and anchors a bundle cannot be
// checked against: verify must answer quickly and say plainly what it checked.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { analyzeChain } from "../../src/audit/verify_chain.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import {
  exportAnchor,
  kinds,
  readLines,
  sampleLog,
  segmentPath,
  steppingClock,
  tamperKinds,
  writeLines,
} from "./_log_helpers.ts";
import { exportSample, readManifest, rewriteManifest } from "./_bundle_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { removeOnUnload } from "../_temp_dirs.ts";
import { threadCpu } from "../_thread_cpu.ts";

Deno.test("verify: a record claiming seq 2^53 - 992 is reported at once, not walked to", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const n = lines.length - 1;
  lines[n] = lines[n]!.replace(/"seq":\d+/, '"seq":9007199254740000');
  await writeLines(path, lines);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  const deleted = report.findings.find((f) => f.kind === "deleted")!;
  assert.deepEqual([deleted.seq, deleted.toSeq], [n, 9007199254739999]);
});

Deno.test("analyzeChain() names many small swaps in n log n, not n²", () => {
  const count = 400_000;
  const seqs = new Float64Array(count);
  for (let p = 0; p < count; p++) seqs[p] = p % 2 === 0 ? p + 1 : p - 1;
  const { value: findings, cpuMs } = threadCpu(() =>
    analyzeChain({
      count,
      seqs,
      prevs: new Uint8Array(count * 32),
      leaves: new Uint8Array(count * 32),
      startSeq: 0,
      startPrev: new Uint8Array(32),
      sourceOf: () => "seg",
    })
  );
  const reordered = findings.filter((f) => f.kind === "reordered");
  assert.equal(reordered.length, count / 2);
  assert.deepEqual([reordered[1]?.seq, reordered[1]?.toSeq], [2, 3]);
  // This thread's CPU, not the wall clock: about a second in n log n, half a minute or more
  // in n² (each of the 200 000 swaps compared with every cluster before it).
  assert.ok(cpuMs < 8_000, `took ${cpuMs.toFixed(0)} ms of CPU`);
});

Deno.test("verify --bundle: a manifest start.size that is negative or not a number cannot run (exit 3)", async () => {
  const home = await sampleLog(3, 6);
  for (const size of [-9007199254740000, "abc", 1.5]) {
    const dir = await exportSample(home);
    await rewriteManifest(dir, (m) => {
      (m["start"] as Record<string, unknown>)["size"] = size;
    });
    const r = await thothAudit(home, "verify", "--bundle", dir);
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(
      r.err,
      new RegExp(
        `^thoth: error: the bundle manifest ".*manifest.json" has an invalid start.size: expected a whole number of records, 0 or more, found ${
          JSON.stringify(size).replace(".", "\\.")
        }\\n`,
      ),
    );
    assert.doesNotMatch(r.err + r.out, /NaN/);
  }
});

Deno.test("verify --bundle: a manifest that lists a path outside the bundle cannot run (exit 3)", async () => {
  const home = await sampleLog(1, 2);
  const dir = await exportSample(home);
  await rewriteManifest(dir, (m) => {
    (m["files"] as unknown[]).push({ path: "../../etc/passwd", sha256: "00".repeat(32) });
  });
  const r = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(r.code, 3);
  assert.match(r.err, /invalid files\[\d+\]\.path: .* found "\.\.\/\.\.\/etc\/passwd"/);
});

Deno.test("verify --bundle: a keys file that is not a list of keys cannot run (exit 3)", async () => {
  const home = await sampleLog(1, 2);
  for (const keys of ["{}", "[null]"]) {
    const dir = await exportSample(home);
    await Deno.writeTextFile(`${dir}/keys/audit-signing-keys.json`, keys);
    await rewriteManifest(dir);
    const r = await thothAudit(home, "verify", "--bundle", dir);
    assert.equal(r.code, 3);
    assert.match(
      r.err,
      /^thoth: error: cannot read the signing keys ".*": (expected a list|entry 0)/,
    );
  }
});

Deno.test("verify --bundle: a file the manifest does not list is a finding", async () => {
  const home = await sampleLog(3, 6);
  const dir = await exportSample(home);
  const [name] = [...Deno.readDirSync(`${dir}/checkpoints`)].map((e) => e.name);
  await Deno.copyFile(`${dir}/checkpoints/${name}`, `${dir}/checkpoints/cp-999999999999.note`);
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1);
  assert.ok(
    report.findings.some((f) =>
      f.kind === "inserted" && f.source === "checkpoints/cp-999999999999.note"
    ),
  );
});

Deno.test("verify --bundle: an anchor newer than the bundle cannot be checked, and says so (exit 2)", async () => {
  const home = await sampleLog(3, 6);
  const dir = await exportSample(home, { until: "2026-03-01T10:00:20Z" });
  const anchorPath = await exportAnchor(home, "2026-03-01T12:00:00Z");
  const report = await verifyBundle(dir, { anchorPath });
  assert.deepEqual(tamperKinds(report.findings), [], JSON.stringify(report.findings));
  assert.ok(kinds(report.findings).includes("anchor_unchecked"));
  assert.equal(report.exitCode, 2);
  assert.deepEqual(report.anchor?.verified, false);
  assert.equal(report.anchor?.outcome, "not_checkable");
  assert.match(
    report.findings.find((f) => f.kind === "anchor_unchecked")!.message,
    /past the end of this bundle/,
  );
});

Deno.test("verify --bundle: an anchor older than the bundle's start is not checked, never verified", async () => {
  const home = await sampleLog(3, 6);
  const anchorPath = await exportAnchor(home, "2026-03-01T10:30:00Z");
  const log = await openAuditLog({ thothHome: home, now: steppingClock("2026-03-01T11:00:00Z") });
  await log.append({
    type: "session_start",
    session: "s-9",
    server: "fs",
    commandDigest: "x",
    envKeys: [],
  });
  await log.append({ type: "session_end", session: "s-9", exitCode: 0, signal: null });
  await log.close();
  const dir = await exportSample(home, { since: "2026-03-01T11:00:00Z" });
  const start = (await readManifest(dir))["start"] as { size: number };
  const anchorSize = Number((await Deno.readTextFile(anchorPath)).split("\n")[1]);
  assert.ok(anchorSize < start.size, `${anchorSize} < ${start.size}`);
  const r = await thothAudit(home, "verify", "--bundle", dir, "--anchor", anchorPath);
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, new RegExp(`anchor at size ${anchorSize} NOT checked`));
  assert.match(r.out, /anchor_unchecked seq \d+: the anchor at size \d+ is before the start/);
});

Deno.test("verify --bundle: an anchor at the bundle's start is checked against the start frontier", async () => {
  const home = await sampleLog(3, 6);
  const lines = (await readLines(await segmentPath(home))).map((l) => JSON.parse(l));
  const cp = lines.find((r) => r.type === "checkpoint" && r.seq > 10)!;
  const anchorPath = await Deno.makeTempFile({ suffix: ".note" });
  removeOnUnload(anchorPath);
  await Deno.writeTextFile(anchorPath, cp.note);
  const dir = await exportSample(home, { since: cp.ts });
  assert.equal(((await readManifest(dir))["start"] as { size: number }).size, cp.size);
  const report = await verifyBundle(dir, { anchorPath });
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.deepEqual(report.anchor, { size: cp.size, verified: true, outcome: "matched" });
  // A start frontier that is not the tree the anchor signed is a fork.
  await rewriteManifest(dir, (m) => {
    const start = m["start"] as { frontier: string[] };
    start.frontier[0] = "11".repeat(32);
  });
  const forked = await verifyBundle(dir, { anchorPath });
  assert.equal(forked.exitCode, 1);
  assert.ok(kinds(forked.findings).includes("fork"));
});
