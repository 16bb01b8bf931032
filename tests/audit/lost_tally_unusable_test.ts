/**
 * Lost tallies a session cannot handle as usual, on a real log in a temp
 * THOTH_HOME: one it cannot open (its user may not read it) stays where it
 * is, neither taken in nor refused, said once on stderr with the fix, and
 * doctor and health count it; a symbolic link at `audit/lost/refused` is
 * never followed (a refused tally stays in `audit/lost` rather than move
 * through it), and verify, doctor and health name it as a folder problem,
 * as they name a link at `audit/lost`.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { lostTallyFindings } from "../../src/audit/lost_tally_findings.ts";
import { lostTallyHealth } from "../../src/audit/lost_tally_health.ts";
import { takeInLostTallies } from "../../src/audit/take_in_lost_tallies.ts";
import { lostTallyNotice } from "../../src/doctor/lost_tally_notice.ts";
import { NOBODY, ROOT, runAsNobody } from "../platform/_as_nobody.ts";
import { tempFolder } from "../_temp_dirs.ts";

const REASON = "cannot write the audit spool: No space left on device";

/** The records of the log under `home`. */
async function records(home: string): Promise<Record<string, unknown>[]> {
  const dir = auditPaths(home).dir;
  const all: Record<string, unknown>[] = [];
  for (const segment of await listSegments(dir)) {
    for (const line of (await Deno.readTextFile(`${dir}/${segment}`)).split("\n")) {
      if (line !== "") all.push(JSON.parse(line));
    }
  }
  return all;
}

/** A tally of session `session` that lost a decision, left by a dead session. */
function deadTally(home: string, session: string, key: Uint8Array): void {
  const tally = LostTallyFile.reserve(home, session);
  tally.useKey(key);
  assert.ok(
    tally.add("decision", "d-00000000000000a1", Date.parse("2026-03-01T10:00:00Z"), REASON),
  );
  tally.close();
}

Deno.test("takeInLostTallies() leaves a tally it cannot open where it is, and says so with the fix", async () => {
  const home = await tempFolder("thoth-tally-unopened-");
  const log = await openAuditLog({ thothHome: home });
  try {
    const key = (await loadDeviceKeys(home, new Date())).hmacRaw;
    deadTally(home, "s-locked-out", key);
    deadTally(home, "s-dead", key);
    const dir = LostTallyFile.dir(home);
    const notes: string[] = [];
    const taken = await takeInLostTallies({
      thothHome: home,
      session: "s-taker",
      log,
      auditKey: key,
      now: Date.now,
      note: (line) => notes.push(line),
      // As for a file this user may not read (root reads every file: the refusal is made here).
      open: (path) => {
        if (path.endsWith("/s-locked-out.tally")) {
          throw new Deno.errors.PermissionDenied(`Permission denied (os error 13): open '${path}'`);
        }
        return Deno.openSync(path, { read: true });
      },
    });
    // The other tally is taken in as ever; this one stays, neither taken in nor refused.
    assert.deepEqual(taken, { recorded: 1, refused: 0, removed: 1 });
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["s-locked-out.tally"]);
    const lost = (await records(home)).filter((r) =>
      r["type"] === "decisions_lost" || r["type"] === "spool_refused"
    );
    assert.deepEqual(lost.map((r) => [r["type"], r["session"]]), [["decisions_lost", "s-dead"]]);
    assert.equal(notes.length, 1, notes.join("\n"));
    assert.match(
      notes[0]!,
      /^warning: cannot open the lost tally ".+\/s-locked-out\.tally" a dead session left \(Permission denied \(os error 13\)\): it stays where it is, and nothing it counts is taken into the audit log; give this user back read and write access to it \(chmod 600 on it/,
    );
  } finally {
    await log.close();
  }
});

Deno.test("a link at audit/lost/refused is never followed: the refused tally stays, and verify, doctor and health name the link", async () => {
  const home = await tempFolder("thoth-tally-refused-link-");
  const elsewhere = await tempFolder("thoth-tally-elsewhere-");
  const log = await openAuditLog({ thothHome: home });
  try {
    const dir = LostTallyFile.dir(home);
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    Deno.writeTextFileSync(`${dir}/s-garbled.tally`, "not a tally\n");
    Deno.symlinkSync(elsewhere, `${dir}/refused`);
    const notes: string[] = [];
    const taken = await takeInLostTallies({
      thothHome: home,
      session: "s-taker",
      log,
      auditKey: (await loadDeviceKeys(home, new Date())).hmacRaw,
      now: Date.now,
      note: (line) => notes.push(line),
    });
    assert.equal(taken.refused, 1);
    assert.deepEqual([...Deno.readDirSync(elsewhere)], [], "nothing moved through the link");
    assert.ok(Deno.lstatSync(`${dir}/s-garbled.tally`).isFile, "the tally stays");
    assert.ok(Deno.lstatSync(`${dir}/refused`).isSymlink, "the link is left as it is");
    const refused = (await records(home)).filter((r) => r["type"] === "spool_refused");
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!["movedTo"], undefined);
    assert.match(
      notes.join("\n"),
      /"lost\/refused" is a symbolic link, never followed\) and stays/,
    );

    // verify names the link as a folder problem.
    const findings = await lostTallyFindings(home);
    const link = findings.find((f) => f.source === "lost/refused");
    assert.ok(link !== undefined, JSON.stringify(findings));
    assert.equal(link.kind, "lost_tally_unusable");
    assert.equal(link.severity, "warning");
    assert.match(
      link.message,
      /refused lost tallies' folder ".+\/audit\/lost\/refused" is a symbolic link, not a folder/,
    );
    assert.match(
      link.message,
      /look at it, then run: mv '.+\/audit\/lost\/refused' '.+\.moved-aside'/,
    );

    // doctor and health do too.
    const uid = Deno.build.os === "windows" ? null : Deno.uid();
    const health = await lostTallyHealth(home, Date.now(), uid);
    assert.match(
      health.refusedFolderProblem?.problem ?? "",
      /refused" is a symbolic link, not a folder/,
    );
    const notice = lostTallyNotice(health);
    assert.match(
      notice?.message ?? "",
      /refused" is a symbolic link, not a folder: no session sets a refused lost tally aside there/,
    );
    assert.ok(
      notice!.hints.some((h) => /^look at it, then run: mv /.test(h)),
      notice!.hints.join("\n"),
    );
  } finally {
    await log.close();
  }
});

Deno.test("lostTallyNotice() names tallies this user cannot read, with the fix", () => {
  const notice = lostTallyNotice({
    folderProblem: null,
    refused: null,
    unchecked: 0,
    waiting: 0,
    unvouched: 0,
    unreadable: 2,
  });
  assert.match(
    notice?.message ?? "",
    /^2 lost tally file\(s\) in THOTH_HOME\/audit\/lost cannot be read by this user/,
  );
  assert.match(notice!.hints.join("\n"), /chmod 600 on each/);
});

Deno.test({
  name: "lostTallyHealth() counts a tally its user cannot read (run as another user)",
  ignore: !ROOT,
  fn: async () => {
    const home = await tempFolder("thoth-tally-unreadable-");
    const dir = LostTallyFile.dir(home);
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    Deno.writeTextFileSync(`${dir}/s-hidden.tally`, "{}");
    Deno.chmodSync(`${dir}/s-hidden.tally`, 0o000);
    for (const path of [home, auditPaths(home).dir, dir, `${dir}/s-hidden.tally`]) {
      Deno.chownSync(path, NOBODY.uid, NOBODY.gid);
    }
    const out = await runAsNobody(`
      import { lostTallyHealth } from ${
      JSON.stringify(new URL("../../src/audit/lost_tally_health.ts", import.meta.url).href)
    };
      const h = await lostTallyHealth(${JSON.stringify(home)}, Date.now(), Deno.uid());
      console.log(JSON.stringify({ unreadable: h.unreadable, folder: h.folderProblem }));
    `);
    assert.deepEqual(JSON.parse(out), { unreadable: 1, folder: null });
  },
});
