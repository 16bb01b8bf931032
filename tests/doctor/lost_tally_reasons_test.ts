/**
 * What doctor and health say of the lost tallies dead sessions left waiting
 * to be taken in, on real tally files in a temp THOTH_HOME made as a
 * session makes them: how many records they count, and why they were lost
 * (their distinct reasons, at most 3, control characters replaced), with a
 * hint to free space on the disk holding THOTH_HOME when a reason says the
 * disk was full (before, only how many tally files). And the words that say
 * so: a full disk on Linux, macOS and Windows, and nothing else.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { freeSpaceHint, saysDiskFull } from "../../src/audit/disk_full_words.ts";
import { LostTallyFile } from "../../src/audit/lost_tally_file.ts";
import { lostTallyHealth } from "../../src/audit/lost_tally_health.ts";
import { readAuditHealth } from "../../src/cli/read_audit_health.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import { auditPart } from "../../src/doctor/health_audit_part.ts";
import { HealthAuditSchema } from "../../src/doctor/health_audit_schema.ts";
import { lostTallyNotice } from "../../src/doctor/lost_tally_notice.ts";
import { tempFolder } from "../_temp_dirs.ts";

const FULL = "cannot write the audit spool: No space left on device (os error 28)";
const DENIED = "cannot write the audit spool: Permission denied (os error 13)";
/** A reason that would retitle a terminal and turn its text red, were it shown as it is. */
const ESCAPES = "cannot write the audit spool: \x1b]0;PWNED\x07\x1b[31mred";
const IO = "cannot write the audit spool: Input/output error (os error 5)";

const UID = Deno.build.os === "windows" ? null : Deno.uid();

/** A profile with a log and its keys, as a first session leaves it; its audit key. */
async function profile(prefix: string): Promise<{ home: string; key: Uint8Array }> {
  const home = await tempFolder(prefix);
  const log = await openAuditLog({ thothHome: home });
  await log.close();
  return { home, key: (await loadDeviceKeys(home, new Date())).hmacRaw };
}

/** The tally a killed session of `session` leaves, counting `count` decisions lost for `reason`. */
function deadTally(
  home: string,
  key: Uint8Array,
  session: string,
  count: number,
  reason: string,
): void {
  const tally = LostTallyFile.reserve(home, session);
  tally.useKey(key);
  for (let i = 0; i < count; i++) {
    const id = `d-${session.slice(2).padStart(8, "0")}${i.toString(16).padStart(8, "0")}`;
    assert.ok(tally.add("decision", id, Date.parse("2026-03-01T10:00:00Z") + i, reason));
  }
  tally.close();
}

/** The control characters in `text`. */
function controls(text: string): string[] {
  return [...text].filter((c) => c.charCodeAt(0) < 0x20 || c === "\x7f");
}

Deno.test("lostTallyHealth() counts the waiting tallies' records and keeps their reasons, most records first, at most 3", async () => {
  const { home, key } = await profile("thoth-tally-reasons-");
  deadTally(home, key, "s-full", 3, FULL);
  deadTally(home, key, "s-full2", 1, FULL);
  deadTally(home, key, "s-denied", 2, DENIED);
  deadTally(home, key, "s-esc", 1, ESCAPES);
  deadTally(home, key, "s-io", 1, IO);
  const health = await lostTallyHealth(home, Date.now(), UID);
  assert.equal(health.waiting, 5);
  assert.equal(health.waitingRecords, 8);
  // FULL counts 4, DENIED 2; ESCAPES and IO 1 each, by text ("\x1b" sorts before "I").
  assert.deepEqual(health.waitingReasons, [FULL, DENIED, ESCAPES]);
  assert.equal(health.fullDisk, home);
});

Deno.test("doctor's audit check and health --json say how many records wait, why, and to free space when the disk was full", async () => {
  const { home, key } = await profile("thoth-tally-full-");
  deadTally(home, key, "s-full", 3, FULL);
  deadTally(home, key, "s-esc", 1, ESCAPES);
  const audit = await readAuditHealth(home);

  const notice = lostTallyNotice(audit.lostTallies);
  assert.ok(notice !== null);
  assert.match(
    notice.message,
    /^2 lost tally file\(s\) of sessions that ended count 4 decision or approval record\(s\) they lost \(why: "cannot write the audit spool: No space left on device \(os error 28\)", "cannot write the audit spool: \?\]0;PWNED\?\?\[31mred"; the disk was full\), which wait to be taken into the log/,
  );
  assert.deepEqual(notice.hints.slice(0, 1), [freeSpaceHint(home)]);

  const check = checkAudit(audit);
  assert.equal(check.status, "warn", check.message);
  assert.match(check.message, /count 4 decision or approval record\(s\) they lost \(why: /);
  assert.deepEqual(controls(check.message), []);
  const quoted = `'${home}'`;
  assert.equal(
    check.hint,
    `free space on the disk holding THOTH_HOME (${quoted}): while it is full, thoth refuses ` +
      'every governed tool call; then run "thoth doctor" again',
  );
  assert.match(check.moreHints?.[0] ?? "", /^start any governed server/);

  const part = HealthAuditSchema.parse(auditPart(audit));
  assert.equal(part.lost_tallies?.waiting, 2);
  assert.equal(part.lost_tallies?.waiting_records, 4);
  assert.deepEqual(part.lost_tallies?.waiting_reasons, [
    FULL,
    "cannot write the audit spool: ?]0;PWNED??[31mred",
  ]);
  assert.equal(part.lost_tallies?.disk_full, true);
  assert.match(part.hint ?? "", new RegExp(`^free space on the disk holding THOTH_HOME \\('`));
});

Deno.test("a tally lost for another reason than a full disk gets no hint to free space", async () => {
  const { home, key } = await profile("thoth-tally-denied-");
  deadTally(home, key, "s-denied", 2, DENIED);
  const audit = await readAuditHealth(home);
  const check = checkAudit(audit);
  assert.match(
    check.message,
    /1 lost tally file\(s\) of sessions that ended count 2 decision or approval record\(s\) they lost \(why: "cannot write the audit spool: Permission denied \(os error 13\)"\), which wait/,
  );
  assert.doesNotMatch(check.message, /the disk was full/);
  assert.match(check.hint ?? "", /^start any governed server/);
  assert.ok(![check.hint, ...(check.moreHints ?? [])].some((h) => /free space/.test(h ?? "")));
  const part = auditPart(audit);
  assert.equal(part.lost_tallies?.disk_full, false);
  assert.equal(part.lost_tallies?.waiting_records, 2);
});

Deno.test("saysDiskFull() knows a full disk or quota by its words, or by its number on the OS that wrote it", () => {
  const full: [string, string][] = [
    ["No space left on device (os error 28)", "linux"],
    ["Disk quota exceeded (os error 122)", "linux"],
    ["No space left on device (os error 28)", "darwin"],
    ["Disc quota exceeded (os error 69)", "darwin"],
    ["There is not enough space on the disk. (os error 112)", "windows"],
    // Windows says it in its own language: the number tells.
    ["Auf dem Datenträger ist nicht genug Speicherplatz vorhanden. (os error 112)", "windows"],
    ["Der Datenträger ist voll. (os error 39)", "windows"],
  ];
  for (const [text, os] of full) assert.ok(saysDiskFull(`cannot write: ${text}`, os), text);
  const not: [string, string][] = [
    ["Permission denied (os error 13)", "linux"],
    ["Read-only file system (os error 30)", "linux"],
    ["some error (os error 280)", "linux"],
    // The same numbers mean something else on another OS.
    ["The data area passed to a system call is too small. (os error 122)", "windows"],
    ["Datenträger voll (os error 112)", "linux"],
    ["", "linux"],
  ];
  for (const [text, os] of not) assert.ok(!saysDiskFull(text, os), text);
});
