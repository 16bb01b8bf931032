// A bundle labelled "thoth-audit-bundle/1" carries no signed export
// statement, so verify cannot know whether records were cut from either end.
// A genuine older bundle still only warns (exit 2), but its headline says
// what cannot be known instead of "nothing was changed"; a bundle whose
// records or manifest no "/1" export could have written (a checkpoint
// record's frontier, a handshake record, a manifest without the range every
// "/1" export listed) is a relabelled or rewritten one: tampering (exit 1).
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { thothAudit } from "./_audit_cli.ts";
import { readLines, sampleLog, steppingClock, writeLines } from "./_log_helpers.ts";
import { asOlderBundle, bundleRecords, rewriteManifest } from "./_bundle_helpers.ts";
import { asOlderLog } from "./_older_log.ts";

/**
 * `thoth audit export --since 2026-03-01 --with-findings --output <home>/<name>`;
 * returns the bundle folder. A log rewritten as an older thoth wrote it keeps
 * the state file the newer writer left, so the device's log does not verify:
 * its findings go into the statement, which the older format drops.
 */
async function exportCli(home: string, name = "b1"): Promise<string> {
  const dir = `${home}/${name}`;
  const r = await thothAudit(
    home,
    "export",
    "--since",
    "2026-03-01",
    "--with-findings",
    "--output",
    dir,
  );
  assert.equal(r.code, 0, r.err);
  return dir;
}

/**
 * Cuts a bundle's records after the first checkpoint record past its middle
 * and removes the checkpoint notes past it; returns the seq of the last
 * record kept.
 */
async function cutEnd(dir: string): Promise<number> {
  const path = bundleRecords(dir);
  const lines = await readLines(path);
  const k = lines.findIndex((line, i) =>
    i > lines.length / 3 && JSON.parse(line).type === "checkpoint"
  );
  assert.ok(k > 0 && k < lines.length - 1, "a checkpoint record inside the bundle");
  await writeLines(path, lines.slice(0, k + 1));
  for (const entry of [...Deno.readDirSync(`${dir}/checkpoints`)]) {
    if (Number(/cp-(\d+)/.exec(entry.name)![1]) > k) {
      await Deno.remove(`${dir}/checkpoints/${entry.name}`);
    }
  }
  return JSON.parse(lines[k]!).seq;
}

Deno.test("verify --bundle: a cut bundle relabelled as /1, its statement, README and range removed, is tampering (the records hold checkpoint frontiers)", async () => {
  const home = await sampleLog(2, 4);
  const dir = await exportCli(home);
  await Deno.remove(`${dir}/export.note`);
  await Deno.remove(`${dir}/README.md`);
  await cutEnd(dir);
  await rewriteManifest(dir, (m) => {
    m["format"] = "thoth-audit-bundle/1";
    delete m["included"];
    delete m["requested"];
  });
  const r = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^TAMPERED: /);
  assert.doesNotMatch(r.out, /nothing was changed/);
  assert.match(
    r.out,
    /tamper {2}modified: manifest\.json labels the bundle "thoth-audit-bundle\/1", which carries no export statement, but its records hold a checkpoint record with its Merkle frontier at seq \d+/,
  );
  assert.match(
    r.out,
    /tamper {2}deleted: the bundle's signed export statement \(export\.note\) is missing/,
  );
  const json = JSON.parse((await thothAudit(home, "verify", "--bundle", dir, "--json")).out);
  assert.equal(json.status, "tampered");
});

Deno.test("verify --bundle: a genuine older bundle warns that records may be missing at either end, whole or cut at its end", async () => {
  const home = await sampleLog(2, 4);
  await asOlderLog(home);
  const dir = await exportCli(home);
  await asOlderBundle(dir);
  const whole = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(whole.code, 2, whole.out);
  const headline = whole.out.split("\n")[0]!;
  assert.doesNotMatch(headline, /nothing was changed/);
  assert.match(
    headline,
    /^PERIOD UNPROVEN: .*no signed export statement.*cut from its start or its end/,
  );
  assert.match(whole.out, /warning period_unproven: .*records cut from its start or from its end/);

  // The end cut, and the manifest's range and hashes rewritten to match, as
  // a careful forger would: nothing in the bundle shows it, and verify says so.
  const last = await cutEnd(dir);
  await rewriteManifest(dir, (m) => {
    (m["included"] as { lastSeq: number }).lastSeq = last;
    (m["requested"] as { lastSeq: number }).lastSeq = last;
  });
  const cut = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(cut.code, 2, cut.out);
  assert.match(cut.out, /^PERIOD UNPROVEN: /);
  assert.match(cut.out, new RegExp(`bundle records: seq 0\\.\\.${last} `));
  assert.equal(
    JSON.parse((await thothAudit(home, "verify", "--bundle", dir, "--json")).out).status,
    "warnings",
  );
});

Deno.test("verify --bundle: an older bundle whose manifest lacks what every /1 export wrote is modified", async () => {
  const home = await sampleLog(2, 4);
  await asOlderLog(home);
  const dir = await exportCli(home);
  await asOlderBundle(dir);
  await cutEnd(dir);
  await rewriteManifest(dir, (m) => {
    delete m["included"];
    delete m["requested"];
  });
  const r = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^TAMPERED: /);
  assert.match(
    r.out,
    /tamper {2}modified: manifest\.json labels the bundle "thoth-audit-bundle\/1", but no export wrote it: .* this one lists no requested range, no included range: it was rewritten after the export/,
  );
  // Not a relabelled /2 bundle: nothing says it carried a statement.
  assert.doesNotMatch(r.out, /export\.note\) is missing/);
});

Deno.test("verify --bundle: a handshake record, or a session_start naming its user, in a /1 bundle shows it was relabelled", async () => {
  const home = await sampleLog(1, 2);
  const log = await openAuditLog({
    thothHome: home,
    now: steppingClock("2026-03-01T11:00:00Z"),
    checkpointEvery: 10,
  });
  await log.append({
    type: "session_start",
    session: "s-h",
    server: "fs",
    commandDigest: "ab".repeat(32),
    envKeys: [],
    userId: "ana",
  });
  await log.append({ type: "handshake", session: "s-h", server: "fs", clientName: "probe" });
  await log.append({ type: "session_end", session: "s-h", exitCode: 0, signal: null });
  await log.close();
  await asOlderLog(home);
  const dir = await exportCli(home);
  await asOlderBundle(dir);
  const r = await thothAudit(home, "verify", "--bundle", dir);
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.out,
    /its records hold a session_start record with userId at seq \d+, a handshake record at seq \d+, which thoth wrote only once it exported bundles as "thoth-audit-bundle\/2"/,
  );
  assert.match(r.out, /export\.note\) is missing/);
});
