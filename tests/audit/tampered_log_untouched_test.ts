/**
 * A log with a record deleted from its middle is evidence: `audit export`,
 * `audit checkpoint` and the next governed session's writer never write to it
 * (no record with a seq the log already holds, no checkpoint signed over it),
 * and an export never names a record by its place instead of its seq.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import {
  appendAsNextWriter,
  appendUncovered,
  readLines,
  sampleLog,
  segmentPath,
  writeLines,
} from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Every file under the audit folder with its bytes, to compare before and after. */
async function snapshot(home: string, folder = "audit"): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`, `${path}/`);
      else out.set(path, await Deno.readTextFile(`${dir}/${entry.name}`));
    }
  };
  await walk(`${home}/${folder}`, "");
  return out;
}

/** The tamper findings of `verify --json`, as "kind seq". */
async function tamperFindings(home: string, ...args: string[]): Promise<string[]> {
  const r = await thothAudit(home, "verify", "--json", ...args);
  const report = JSON.parse(r.out) as {
    findings: { kind: string; severity: string; seq?: number }[];
  };
  return report.findings.filter((f) => f.severity === "tamper").map((f) => `${f.kind} ${f.seq}`);
}

/** A one-segment sample log with the record at `place` deleted; returns the home and its lines. */
async function logWithout(place: number): Promise<{ home: string; lines: string[] }> {
  const home = await sampleLog(2, 8);
  const path = await segmentPath(home);
  const lines = await readLines(path);
  assert.equal(JSON.parse(lines[place]!).seq, place);
  await writeLines(path, lines.filter((_, i) => i !== place));
  return { home, lines };
}

Deno.test("audit export and audit checkpoint leave a log with a deleted record as it is", async () => {
  const { home } = await logWithout(5);
  assert.deepEqual(await tamperFindings(home), ["deleted 5"]);
  const before = await snapshot(home);

  const exported = await thothAudit(home, "export", "--output", `${home}/bundle`);
  assert.equal(exported.code, 1, exported.out);
  assert.match(exported.err, /thoth: error: the audit log in ".*" is damaged: .*seq 5 is missing/);
  assert.match(exported.err, /thoth: hint: run "thoth audit verify"/);
  assert.equal(await Deno.stat(`${home}/bundle`).catch(() => undefined), undefined);
  assert.deepEqual(await snapshot(home), before, "export wrote nothing to the log");

  const checkpoint = await thothAudit(home, "checkpoint");
  assert.equal(checkpoint.code, 1, checkpoint.out);
  assert.match(
    checkpoint.err,
    /thoth: error: the audit log in ".*" is damaged: .*seq 5 is missing/,
  );
  assert.match(checkpoint.err, /no record was written/);
  assert.match(checkpoint.err, /thoth: hint: run "thoth audit verify"/);
  assert.deepEqual(await snapshot(home), before, "checkpoint wrote nothing to the log");

  assert.deepEqual(await tamperFindings(home), ["deleted 5"]);
});

Deno.test("the next governed session's writer fails closed on a log with a deleted record", async () => {
  const { home } = await logWithout(5);
  const before = await snapshot(home);
  await assert.rejects(
    () => appendAsNextWriter(home),
    (error) =>
      isAppError(error, "audit.chain_broken") && /seq 5 is missing/.test(error.message) &&
      error.hints.some((h) => h.includes('"thoth audit verify"')) &&
      error.hints.some((h) => /move ".*\/audit" away and keep it/.test(h)),
  );
  assert.deepEqual(await snapshot(home), before);
  assert.deepEqual(await tamperFindings(home), ["deleted 5"]);

  // The remedy its hint gives works: the damaged log kept aside, a new one is started.
  await Deno.rename(`${home}/audit`, `${home}/audit-damaged`);
  assert.ok(await appendAsNextWriter(home) > 0, "after the record that the old log is gone");
  const restarted = (await readLines(await segmentPath(home))).map((l) => JSON.parse(l));
  assert.equal(restarted[0].type, "state_rebuilt");
  assert.deepEqual(
    await snapshot(home, "audit-damaged"),
    before,
    "the damaged log is kept as it was",
  );
});

Deno.test("a writer fails closed on a log with a repeated seq too", async () => {
  const home = await sampleLog(2, 8);
  const path = await segmentPath(home);
  const lines = await readLines(path);
  await writeLines(path, [...lines.slice(0, 8), lines[7]!, ...lines.slice(8, -1)]);
  const before = await snapshot(home);
  await assert.rejects(
    () => appendAsNextWriter(home),
    (error) => isAppError(error, "audit.chain_broken") && /claims seq 7/.test(error.message),
  );
  assert.deepEqual(await snapshot(home), before);
});

Deno.test("audit export of a period after a deleted record is refused, never blamed on a held seq", async () => {
  const { home, lines } = await logWithout(5);
  const since = JSON.parse(lines[10]!).ts as string;
  const out = `${home}/later`;
  const r = await thothAudit(home, "export", "--since", since, "--output", out);
  assert.equal(r.code, 1, r.out);
  assert.doesNotMatch(r.out, /exported records/);
  assert.match(
    r.err,
    /seq 5 is missing; the records asked for, with the checkpoint that covers them, reach it, so nothing was exported/,
  );
  assert.match(r.err, /thoth: hint: run "thoth audit verify"/);
  assert.match(r.err, /thoth: hint: a period whose records end before seq 5, with a checkpoint/);
  assert.equal(await Deno.stat(out).catch(() => undefined), undefined);
});

Deno.test("audit export of a period before a deleted record, covered before it, names its seqs and verifies with the log's finding", async () => {
  const { home, lines } = await logWithout(15);
  const until = JSON.parse(lines[3]!).ts as string;
  // The first checkpoint after seq 3 covers the period, and lies before the gap.
  const cover = lines.findIndex((l, i) => i > 3 && JSON.parse(l).type === "checkpoint");
  assert.ok(cover > 3 && cover < 15, `checkpoint at ${cover}`);
  const out = `${home}/early`;
  // The log does not verify: refused unless its findings go into the bundle.
  const refused = await thothAudit(home, "export", "--until", until, "--output", out);
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.err, /the audit log does not verify, so nothing was exported.*seq 15/);
  const r = await thothAudit(home, "export", "--until", until, "--with-findings", "--output", out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`^exported records 0\\.\\.${cover} `));
  const records = [...Deno.readDirSync(`${out}/records`)];
  const bundleLines = await readLines(`${out}/records/${records[0]!.name}`);
  assert.deepEqual(bundleLines.map((l) => JSON.parse(l).seq), [...Array(cover + 1).keys()]);
  // Its records verify; the device's finding, stated in its signed export statement, is reported.
  assert.deepEqual(await tamperFindings(home, "--bundle", out), ["deleted undefined"]);
});

Deno.test("audit export never signs a checkpoint itself: uncovered records are refused with the command that covers them", async () => {
  const home = await sampleLog(1, 2);
  await appendUncovered(home, {
    type: "session_start",
    session: "late",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
  });
  const before = await snapshot(home);
  const out = `${home}/bundle`;
  // A period with an end (without one, the bundle stops at the newest checkpoint).
  const until = ["--until", "2026-03-01T12:00:00Z"];
  const r = await thothAudit(home, "export", ...until, "--output", out);
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.err,
    /the newest records \(up to seq \d+\) are not covered by a signed checkpoint yet/,
  );
  assert.match(
    r.err,
    /thoth: hint: run "thoth audit checkpoint" on this device to sign one, then export again/,
  );
  assert.deepEqual(await snapshot(home), before, "export wrote nothing");
  // Following the hint works.
  assert.equal((await thothAudit(home, "checkpoint")).code, 0);
  const again = await thothAudit(home, "export", ...until, "--output", out);
  assert.equal(again.code, 0, again.err);
  // The checkpoint's writer took the record in past its state file's count: it says so.
  const verified = await thothAudit(home, "verify", "--bundle", out, "--json");
  const found = JSON.parse(verified.out).findings.filter((f: { severity: string }) =>
    f.severity !== "info"
  );
  assert.deepEqual(found.map((f: { kind: string }) => f.kind), ["tail_taken_in"], verified.out);
  assert.equal(verified.code, 2);
});

Deno.test("audit export on a profile without a log makes none", async () => {
  const home = await tempFolder("thoth-no-log-");
  const r = await thothAudit(home, "export", "--output", `${home}/bundle`);
  assert.equal(r.code, 1, r.out);
  assert.match(r.err, /thoth: error: there is no audit log to export in ".*\/audit"/);
  assert.deepEqual([...Deno.readDirSync(home)], [], "nothing was made");
});
