// `verify` with no records at all: never "intact". No log and no trace of one
// is a warning (exit 2); a log that is gone while what a writer makes with it
// remains (its keys, its state file) is a failure (exit 1).
import assert from "node:assert/strict";
import { listSegments } from "../../src/audit/log_files.ts";
import { kinds, sampleLog } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("thoth audit verify: a deleted audit folder whose signing key remains is a lost log (exit 1)", async () => {
  const home = await sampleLog(1, 2);
  await Deno.remove(`${home}/audit`, { recursive: true });
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.doesNotMatch(r.out, /intact/);
  assert.match(r.out, /^NO LOG: there are no audit records, and what is left shows there were\n/);
  assert.match(
    r.out,
    /tamper +records_lost seq 0: the audit log is gone: .*\/audit holds no record and no state file, but the signing key made with it on 2026-03-01T10:00:\d\d\.000Z is still in keys\//,
  );
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  assert.equal(json.status, "log_lost", "NO LOG has its own status; exitCode stays 1");
  assert.equal(json.exitCode, 1);
  assert.deepEqual(kinds(json.findings), ["records_lost"]);
});

Deno.test("thoth audit verify: segments deleted beside a state file that counts them are records lost", async () => {
  const home = await sampleLog(1, 2);
  for (const name of await listSegments(`${home}/audit`)) {
    await Deno.remove(`${home}/audit/${name}`);
  }
  await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  // As when the segments are emptied: the state file counted records the log lost.
  assert.match(r.out, /^RECORDS LOST: the state file counts \d+ records, the log holds 0\n/);
  assert.match(
    r.out,
    /records_lost seq 0\.\.\d+: records were lost: the state file counts \d+ records, the log holds 0/,
  );
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  assert.equal(json.status, "records_lost");
});

Deno.test("thoth audit verify: no log and no trace of one is a warning that nothing was verified (exit 2)", async () => {
  const home = await tempFolder("thoth-audit-");
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /^NO LOG: there are no audit records, so nothing was verified\n/);
  assert.match(
    r.out,
    /warning no_log: there is no audit log in .*\/audit: no record, no state file, no checkpoint and no signing key/,
  );
  assert.doesNotMatch(r.out, /intact/);
});

Deno.test("thoth audit verify: a log opened but never written holds no records yet (exit 2)", async () => {
  const home = await tempFolder("thoth-audit-");
  const opened = await thothAudit(home, "checkpoint");
  assert.equal(opened.code, 1, "nothing to checkpoint");
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /^NO LOG: /);
  assert.match(
    r.out,
    /no_log: the audit log in .*\/audit holds no records yet \(its state file counts none\)/,
  );
});

Deno.test("thoth audit verify: segments and state file deleted, checkpoint notes left, is a lost log", async () => {
  const home = await sampleLog(1, 2);
  for (const name of await listSegments(`${home}/audit`)) {
    await Deno.remove(`${home}/audit/${name}`);
  }
  await Deno.remove(`${home}/audit/.state.json`);
  const notes = [...Deno.readDirSync(`${home}/audit/checkpoints`)].length;
  assert.ok(notes > 0);
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^NO LOG: there are no audit records, and what is left shows there were\n/);
  assert.match(
    r.out,
    new RegExp(
      `records_lost seq 0: the audit log is gone: .* holds no record and no state file, but the signing key made with it on \\S+ is still in keys/, and ${notes} checkpoint note\\(s\\) are still in checkpoints/`,
    ),
  );
  assert.match(r.out, /tamper +truncated/, "and the notes show records were removed");
});

Deno.test("a writer that stopped before its first record leaves a log that says it holds none", async () => {
  const home = await tempFolder("thoth-audit-");
  // What a first session killed right after opening the log leaves: keys and a state counting none.
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  await openAuditLog({ thothHome: home });
  assert.match(await Deno.readTextFile(`${home}/audit/.state.json`), /"size":0/);
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 2, r.out);
  assert.doesNotMatch(r.out, /records_lost|deleted/);
  assert.match(r.out, /holds no records yet/);
  const { thothDoctorPlugins } = await import("../../src/cli/doctor_plugins.ts");
  const { fakeCliIo } = await import("../cli/_fake_cli_io.ts");
  const plugins = thothDoctorPlugins(fakeCliIo(home));
  const health = await plugins.auditHealth!({ env: {}, thothHome: home, os: Deno.build.os });
  assert.notEqual(health.status, "degraded", health.message);
});

Deno.test("an emptied state file beside a signing key, with the records gone, is a lost log", async () => {
  const home = await sampleLog(1, 2);
  for (const name of await listSegments(`${home}/audit`)) {
    await Deno.remove(`${home}/audit/${name}`);
  }
  await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
  await Deno.writeTextFile(`${home}/audit/.state.json`, "");
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /records_lost .*the audit log is gone/);
});

for (const left of ["missing", "empty", "damaged"] as const) {
  Deno.test(`the next writer records a log that was gone (state file ${left}): verify still says it was deleted`, async () => {
    const home = await sampleLog(1, 2);
    for (const name of await listSegments(`${home}/audit`)) {
      await Deno.remove(`${home}/audit/${name}`);
    }
    await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
    if (left === "missing") await Deno.remove(`${home}/audit/.state.json`);
    else await Deno.writeTextFile(`${home}/audit/.state.json`, left === "empty" ? "" : "{oops");
    const before = await thothAudit(home, "verify");
    assert.equal(before.code, 1, before.out);

    const { openAuditLog } = await import("../../src/audit/audit_log.ts");
    const log = await openAuditLog({ thothHome: home });
    await log.append({ type: "session_end", session: "s-next", exitCode: 0, signal: null });
    await log.close();

    const r = await thothAudit(home, "verify");
    assert.equal(r.code, 1, r.out);
    assert.doesNotMatch(r.out, /intact/);
    assert.match(
      r.out,
      new RegExp(
        `tamper +records_lost seq 0: the audit log was gone before seq 0: a writer found no segment and ${
          /^[aeiou]/.test(left) ? "an" : "a"
        } ${left} state file beside the signing key made on 2026-03-01T10:00:\\d\\d\\.000Z, and started the log again`,
      ),
    );
    assert.equal(/unless an older thoth/.test(r.out), left === "empty");
    const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
    assert.equal(json.status, "tampered");
    assert.deepEqual(kinds(json.findings).filter((k: string) => k === "records_lost"), [
      "records_lost",
    ]);
  });
}

Deno.test("a new log's empty state is on disk before its keys are made", async () => {
  const home = await tempFolder("thoth-audit-");
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  const seen: string[] = [];
  // The clock is read as the keys are made: what is on disk then is what a crash would leave.
  const log = await openAuditLog({
    thothHome: home,
    now: () => {
      if (seen.length === 0) {
        seen.push(Deno.readTextFileSync(`${home}/audit/.state.json`));
        for (const key of ["audit-hmac.key", "audit-signing.key", "audit-signing-keys.json"]) {
          assert.throws(() => Deno.lstatSync(`${home}/keys/${key}`), Deno.errors.NotFound);
        }
      }
      return new Date("2026-03-01T10:00:00.000Z");
    },
  });
  await log.close();
  assert.match(seen[0] ?? "", /"size":0/);
  // No trace of a removed log: a fresh device whose first writer stopped at once.
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 2, r.out);
  assert.doesNotMatch(r.out, /records_lost|was gone/);
});

Deno.test("a log removed while a writer runs is recorded by that writer, not started again in silence", async () => {
  const home = await sampleLog(1, 2);
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  const log = await openAuditLog({ thothHome: home });
  await log.append({ type: "session_end", session: "s-0", exitCode: 0, signal: null });
  for (const name of await listSegments(`${home}/audit`)) {
    await Deno.remove(`${home}/audit/${name}`);
  }
  await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
  await Deno.truncate(`${home}/audit/.state.json`, 0);
  await log.append({ type: "session_end", session: "s-1", exitCode: 0, signal: null });
  await log.close();
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.out,
    /records_lost seq 0: the audit log was gone before seq 0: a writer found no segment and an empty state file/,
  );
});

Deno.test("an empty segment file where the log was does not turn its removal into a warning", async () => {
  const home = await sampleLog(1, 2);
  const names = await listSegments(`${home}/audit`);
  for (const name of names) await Deno.remove(`${home}/audit/${name}`);
  await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
  await Deno.remove(`${home}/audit/.state.json`);
  // What a writer killed in its first batch left in older builds, or what an attacker leaves.
  await Deno.writeFile(`${home}/audit/${names[0]}`, new Uint8Array());
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  const log = await openAuditLog({ thothHome: home });
  await log.close();
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.out,
    /the audit log was gone before seq 0: a writer found no segment and a missing state file/,
  );
  assert.doesNotMatch(r.out, /state_lost/);
});

Deno.test("a damaged state file longer than a state is repaired by the next write", async () => {
  const home = await sampleLog(1, 2);
  for (const name of await listSegments(`${home}/audit`)) {
    await Deno.remove(`${home}/audit/${name}`);
  }
  await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
  await Deno.writeTextFile(`${home}/audit/.state.json`, "x".repeat(5000));
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  for (let i = 0; i < 2; i++) {
    const log = await openAuditLog({ thothHome: home });
    await log.append({ type: "session_end", session: `s-${i}`, exitCode: 0, signal: null });
    await log.close();
  }
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  const found = kinds(json.findings);
  assert.deepEqual(found.filter((k: string) => k !== "session_without_end" && k !== "unanchored"), [
    "records_lost",
  ], JSON.stringify(json.findings));
  assert.match(await Deno.readTextFile(`${home}/audit/.state.json`), /^\{.*\}\s*$/s);
});

Deno.test("an HMAC key alone is no trace of a removed log", async () => {
  const home = await tempFolder("thoth-audit-");
  // What a writer killed while it made the keys (before this build) leaves.
  await Deno.mkdir(`${home}/keys`, { recursive: true });
  await Deno.writeTextFile(`${home}/keys/audit-hmac.key`, btoa("k".repeat(32)) + "\n");
  const before = await thothAudit(home, "verify");
  assert.equal(before.code, 2, before.out);
  assert.doesNotMatch(before.out, /records_lost/);
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  await (await openAuditLog({ thothHome: home })).close();
  const after = await thothAudit(home, "verify");
  assert.doesNotMatch(after.out, /records_lost|was gone/);
});

Deno.test("an empty or damaged HMAC key stops the writer with a remedy, never a silent new key", async () => {
  for (const text of ["", "not base64 at all!\n", btoa("short") + "\n"]) {
    const home = await tempFolder("thoth-audit-");
    await Deno.mkdir(`${home}/keys`, { recursive: true });
    await Deno.writeTextFile(`${home}/keys/audit-hmac.key`, text);
    const { openAuditLog } = await import("../../src/audit/audit_log.ts");
    await assert.rejects(
      () => openAuditLog({ thothHome: home }),
      (error: unknown) =>
        (error as { code?: string }).code === "audit.bad_key" &&
        /audit HMAC key .* is empty or damaged/.test((error as Error).message) &&
        (error as { hints: string[] }).hints.some((h) => h.includes("move it aside")),
    );
    assert.equal(await Deno.readTextFile(`${home}/keys/audit-hmac.key`), text, "left as it was");
  }
});

Deno.test("a partial line left where the log was does not turn its removal into a warning", async () => {
  const home = await sampleLog(1, 2);
  const names = await listSegments(`${home}/audit`);
  for (const name of names) await Deno.remove(`${home}/audit/${name}`);
  await Deno.remove(`${home}/audit/checkpoints`, { recursive: true });
  await Deno.remove(`${home}/audit/.state.json`);
  await Deno.writeTextFile(`${home}/audit/${names[0]}`, "x");
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  const log = await openAuditLog({ thothHome: home });
  await log.append({ type: "session_end", session: "s-9", exitCode: 0, signal: null });
  await log.close();
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /records_lost seq 1: the audit log was gone before seq 1/);
  assert.match(r.out, /recovered_torn_tail/, "the partial line was cut first");
  assert.doesNotMatch(r.out, /state_lost/);
});

for (const what of ["its files", "the whole audit folder"]) {
  Deno.test(`a writer whose log is removed under it (${what}) records that and loses nothing after`, async () => {
    const home = await sampleLog(1, 2);
    const { openAuditLog } = await import("../../src/audit/audit_log.ts");
    const log = await openAuditLog({ thothHome: home });
    await log.append({ type: "session_end", session: "s-0", exitCode: 0, signal: null });
    if (what === "its files") {
      for (const entry of Deno.readDirSync(`${home}/audit`)) {
        await Deno.remove(`${home}/audit/${entry.name}`, { recursive: true });
      }
    } else {
      await Deno.remove(`${home}/audit`, { recursive: true });
    }
    for (let i = 1; i <= 3; i++) {
      await log.append({ type: "session_end", session: `s-${i}`, exitCode: 0, signal: null });
    }
    await log.close();
    const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
    const lost = json.findings.filter((f: { kind: string }) => f.kind === "records_lost");
    assert.equal(lost.length, 1, JSON.stringify(json.findings));
    assert.match(lost[0].message, /the audit log was gone before seq 0/);
    const tail = await thothAudit(home, "tail", "-n", "20", "--json");
    const sessions = tail.out.trim().split("\n").map((l) => JSON.parse(l).session).filter(Boolean);
    assert.deepEqual(sessions, ["s-1", "s-2", "s-3"], "the appends after the removal are kept");
  });
}

Deno.test("a writer that cannot record a removed log reports why, not an internal error", async () => {
  const home = await sampleLog(1, 2);
  const names = await listSegments(`${home}/audit`);
  for (const name of names) await Deno.remove(`${home}/audit/${name}`);
  await Deno.remove(`${home}/audit/.state.json`);
  // A folder where the first segment goes: the record cannot be written.
  await Deno.mkdir(`${home}/audit/${names[0]}`);
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  await assert.rejects(
    () =>
      openAuditLog({
        thothHome: home,
        now: () => new Date(`${names[0]!.slice(17, 27)}T10:00:00Z`),
      }),
    (error: unknown) =>
      (error as { code?: string }).code === "audit.unwritable" &&
      !/Bad resource/i.test((error as Error).message),
  );
});

Deno.test("a writer whose audit folder is moved away records the loss and writes on at the path", async () => {
  const home = await sampleLog(1, 2);
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  const a = await openAuditLog({ thothHome: home });
  await a.append({ type: "session_end", session: "a-0", exitCode: 0, signal: null });
  const trash = await tempFolder("thoth-trash-");
  await Deno.rename(`${home}/audit`, `${trash}/audit`);
  // Another writer starts a log at the path meanwhile.
  const b = await openAuditLog({ thothHome: home });
  await b.append({ type: "session_end", session: "b-0", exitCode: 0, signal: null });
  await b.close();
  for (let i = 1; i <= 3; i++) {
    await a.append({ type: "session_end", session: `a-${i}`, exitCode: 0, signal: null });
  }
  await a.close();
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  const found = kinds(json.findings);
  assert.ok(found.includes("records_lost"), JSON.stringify(json.findings));
  assert.ok(!found.includes("modified"), `no false tamper: ${JSON.stringify(json.findings)}`);
  const tail = await thothAudit(home, "tail", "-n", "30", "--json");
  const sessions = tail.out.trim().split("\n").map((l) => JSON.parse(l).session).filter(Boolean);
  assert.deepEqual(sessions.filter((s: string) => s.startsWith("a-")), ["a-1", "a-2", "a-3"]);
});

Deno.test("a removal a running writer saw is not laundered by a new log another writer starts", async () => {
  const home = await sampleLog(1, 2);
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  const a = await openAuditLog({ thothHome: home });
  await a.append({ type: "session_end", session: "a-0", exitCode: 0, signal: null });
  // Everything, keys included: the next writer sees a new device.
  for (const entry of Deno.readDirSync(home)) {
    await Deno.remove(`${home}/${entry.name}`, { recursive: true });
  }
  await (await openAuditLog({ thothHome: home })).close();
  await a.append({ type: "session_end", session: "a-1", exitCode: 0, signal: null });
  await a.close();
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /records were lost: the state file counted \d+ records, the log held 0/);
});

Deno.test("a writer whose files could not be opened again once recovers when the path is usable", async () => {
  const home = await sampleLog(1, 2);
  const { openAuditLog } = await import("../../src/audit/audit_log.ts");
  const a = await openAuditLog({ thothHome: home });
  await a.append({ type: "session_end", session: "a-0", exitCode: 0, signal: null });
  await Deno.remove(`${home}/audit/.state.json`);
  await Deno.mkdir(`${home}/audit/.state.json`);
  await assert.rejects(() =>
    a.append({ type: "session_end", session: "a-1", exitCode: 0, signal: null })
  );
  await Deno.remove(`${home}/audit/.state.json`);
  await a.append({ type: "session_end", session: "a-2", exitCode: 0, signal: null });
  await a.close();
  const r = await thothAudit(home, "verify");
  assert.doesNotMatch(r.out, /Bad resource|internal error/);
});
