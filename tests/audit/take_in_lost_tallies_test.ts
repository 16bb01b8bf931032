/**
 * Taking dead sessions' lost tallies into the log (see
 * `take_in_lost_tallies.ts`), on a real log in a temp THOTH_HOME: a tally no
 * one holds becomes one `decisions_lost` record and is removed; a session
 * stopped between that record and the removal leaves the tally, which the
 * next take-in removes with no second record; a tally its session still
 * holds is left alone; one that counts nothing is removed with no record;
 * one whose MAC does not verify, and one that cannot be read, are refused
 * (set aside with a `spool_refused` record each; see
 * lost_tally_refused_test.ts).
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import {
  decodeLostTally,
  emptyTally,
  encodeLostTally,
  LostTallyMac,
} from "../../src/audit/lost_tally.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { lostTallyFindings } from "../../src/audit/lost_tally_findings.ts";
import { takeInLostTallies, type TallyIntake } from "../../src/audit/take_in_lost_tallies.ts";

const REASON = "cannot write the audit spool: No space left on device";

/** The `decisions_lost` records of the log under `home`. */
async function lostRecords(home: string): Promise<Record<string, unknown>[]> {
  const dir = auditPaths(home).dir;
  const records: Record<string, unknown>[] = [];
  for (const segment of await listSegments(dir)) {
    for (const line of (await Deno.readTextFile(`${dir}/${segment}`)).split("\n")) {
      if (line === "") continue;
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record["type"] === "decisions_lost") records.push(record);
    }
  }
  return records;
}

function tallies(home: string): string[] {
  return [...Deno.readDirSync(LostTallyFile.dir(home))].map((e) => e.name).sort();
}

/** A log and the device's key under a fresh temp THOTH_HOME, and an intake for session `s-taker`. */
async function profile() {
  const home = await Deno.makeTempDir({ prefix: "thoth-take-tallies-" });
  const log = await openAuditLog({ thothHome: home });
  const key = (await loadDeviceKeys(home, new Date())).hmacRaw;
  const notes: string[] = [];
  const intake = (extra: Partial<TallyIntake> = {}): TallyIntake => ({
    thothHome: home,
    session: "s-taker",
    log,
    auditKey: key,
    now: Date.now,
    note: (line) => notes.push(line),
    ...extra,
  });
  return {
    home,
    key,
    notes,
    intake,
    async [Symbol.asyncDispose]() {
      await log.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

/** A tally of session `session` that lost a decision and its approval, left by a dead session. */
function deadTally(home: string, session: string, key: Uint8Array): void {
  const tally = LostTallyFile.reserve(home, session);
  tally.useKey(key);
  assert.ok(
    tally.add("decision", "d-00000000000000a1", Date.parse("2026-03-01T10:00:00Z"), REASON),
  );
  assert.ok(
    tally.add("approval", "d-00000000000000a1", Date.parse("2026-03-01T10:00:05Z"), REASON),
  );
  tally.close(); // Its lock goes with it, as with a killed session's.
}

Deno.test("takeInLostTallies() records a dead session's tally once, even when stopped between its record and the removal", async () => {
  await using p = await profile();
  deadTally(p.home, "s-dead", p.key);
  const stop = new Error("stopped here");
  const first = await takeInLostTallies(p.intake({
    remove: (path) => {
      if (path.endsWith("/s-dead.tally")) throw stop;
      Deno.removeSync(path);
    },
  }));
  assert.equal(first.recorded, 1);
  assert.deepEqual(tallies(p.home), ["s-dead.tally"], "the stopped take-in left the tally");
  const [record, ...more] = await lostRecords(p.home);
  assert.deepEqual(more, []);
  assert.equal(record!["session"], "s-dead");
  assert.equal(record!["count"], 2);
  assert.equal(record!["tallied"], 2);
  assert.deepEqual(record!["types"], { decision: 1, approval: 1 });
  assert.deepEqual(record!["decisionIds"], ["d-00000000000000a1", "d-00000000000000a1"]);
  assert.equal(record!["from"], "2026-03-01T10:00:00.000Z");
  assert.equal(record!["until"], "2026-03-01T10:00:05.000Z");
  assert.equal(record!["reason"], REASON);
  assert.equal(record!["tally"], "s-dead.tally");
  assert.equal(record!["tallyMac"], "verified");
  assert.equal(record!["takenBy"], "s-taker");
  // Verify no longer warns of it: the log tells of what it counts.
  assert.deepEqual(await lostTallyFindings(p.home), []);
  const second = await takeInLostTallies(p.intake());
  assert.deepEqual(second, { recorded: 0, refused: 0, removed: 1 });
  assert.equal((await lostRecords(p.home)).length, 1, "no second record");
  assert.deepEqual(tallies(p.home), []);
});

Deno.test("takeInLostTallies() leaves the tally of a session that still holds it, and removes a dead one's that counts nothing", async () => {
  await using p = await profile();
  const live = LostTallyFile.reserve(p.home, "s-live");
  try {
    live.useKey(p.key);
    assert.ok(live.add("decision", "d-00000000000000b2", Date.now(), REASON));
    LostTallyFile.reserve(p.home, "s-quiet").close(); // Killed having lost nothing.
    const taken = await takeInLostTallies(p.intake());
    assert.deepEqual(taken, { recorded: 0, refused: 0, removed: 1 });
    assert.deepEqual(tallies(p.home), ["s-live.tally"]);
    assert.deepEqual(await lostRecords(p.home), []);
    const read = decodeLostTally(
      Deno.readFileSync(`${LostTallyFile.dir(p.home)}/s-live.tally`),
      "s-live.tally",
      new LostTallyMac(p.key),
    );
    assert.ok(!("problem" in read) && read.tally.count === 1 && read.mac === "verified");
  } finally {
    live.release();
  }
});

Deno.test("takeInLostTallies() refuses a tally whose MAC does not verify and one it cannot read: no decisions_lost record", async () => {
  await using p = await profile();
  const dir = LostTallyFile.dir(p.home);
  Deno.mkdirSync(dir, { recursive: true });
  const forged = { ...emptyTally("s-forged"), count: 3, types: { decision: 3 }, reason: REASON };
  Deno.writeFileSync(
    `${dir}/s-forged.tally`,
    encodeLostTally(forged, "s-forged.tally", new LostTallyMac(new Uint8Array(32).fill(9))),
  );
  Deno.writeTextFileSync(`${dir}/s-garbled.tally`, "not a tally\n");
  const taken = await takeInLostTallies(p.intake());
  assert.deepEqual(taken, { recorded: 0, refused: 2, removed: 0 });
  assert.deepEqual(await lostRecords(p.home), []);
  assert.deepEqual(tallies(p.home), ["refused"]);
  assert.deepEqual(
    [...Deno.readDirSync(`${dir}/refused`)].map((e) => e.name).sort(),
    ["s-forged.tally", "s-garbled.tally"],
  );
  const reasons = p.notes.filter((n) => n.includes("refused the lost tally")).join("\n");
  assert.match(reasons, /s-forged\.tally[^\n]*MAC does not verify/);
  assert.match(reasons, /s-garbled\.tally[^\n]*cannot be read/);
});

Deno.test("takeInLostTallies() leaves an empty tally file that may be one being made, and removes an old one", async () => {
  await using p = await profile();
  const dir = LostTallyFile.dir(p.home);
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeFileSync(`${dir}/s-new.tally`, new Uint8Array(0));
  Deno.writeFileSync(`${dir}/s-old.tally`, new Uint8Array(0));
  const old = new Date(Date.now() - 10 * 60_000);
  Deno.utimeSync(`${dir}/s-old.tally`, old, old);
  const taken = await takeInLostTallies(p.intake());
  assert.deepEqual(taken, { recorded: 0, refused: 0, removed: 1 });
  assert.deepEqual(tallies(p.home), ["s-new.tally"]);
});
