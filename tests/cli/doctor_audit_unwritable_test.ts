/**
 * The real `thoth doctor` and `thoth health --json` on a profile whose audit
 * log a real governed session wrote, with one file or folder of the log
 * broken so that the writer cannot write it (every governed call is then
 * refused with `audit.unwritable`): doctor fails the audit check and health
 * says `degraded`, with the command that fixes it, which is run as given and
 * makes the check pass again. Permission bits do not bind root: those cases
 * run as another user (uid 65534 through setpriv when the tests run as root,
 * or the tests' own user when it is not root).
 */
import assert from "node:assert/strict";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { copyOfGovernedProfile, memorySession, refused } from "./_governed_profile.ts";
import { CAN_RUN_AS_NOBODY, NOBODY, sharedRoot, thothAsNobody } from "./_thoth_as_nobody.ts";
import { runThoth } from "./_thoth_process.ts";

const POSIX = Deno.build.os !== "windows";
const SELF = POSIX ? Deno.uid() : null;
/** Who the permission cases run as: this user when it is not root, else uid 65534. */
const AS = !POSIX ? null : SELF !== 0 ? "self" : CAN_RUN_AS_NOBODY ? "nobody" : null;
/** The uid those cases' hints name. */
const USER = AS === "self" ? SELF! : NOBODY.uid;

// Said where a test run shows it: a skipped case is not a passed one.
const skipped = !POSIX
  ? null
  : AS === null
  ? "the permission cases are skipped: the tests run as root without /usr/bin/setpriv, so no " +
    "other user can be used (root writes whatever the modes say)"
  : AS === "self"
  ? "the case of a spool folder another user owns is skipped: giving it to another user " +
    "takes root"
  : null;
if (skipped !== null) {
  Deno.stderr.writeSync(new TextEncoder().encode(`doctor_audit_unwritable_test: ${skipped}\n`));
}

/** A copy of the governed profile that the user of the permission cases owns. */
async function usersProfile(): Promise<string> {
  if (AS === "self") return await copyOfGovernedProfile();
  return await copyOfGovernedProfile(await sharedRoot("thoth-unwritable-"), NOBODY);
}

function envOf(home: string): Record<string, string> {
  return { HOME: home, THOTH_HOME: home };
}

/** `thoth ARGS` as the user of the permission cases. */
async function thothAsUser(home: string, args: string[]) {
  return AS === "self"
    ? await runThoth(args, { env: envOf(home), cwd: home })
    : await thothAsNobody(args, { env: envOf(home) });
}

/** `thoth ARGS` as this process's user. */
async function thothAsMe(home: string, args: string[]) {
  return await runThoth(args, { env: envOf(home), cwd: home });
}

/** Runs `command` in /bin/sh as the user of the permission cases (as root: as root). */
async function shell(command: string, as: "user" | "root" = "user"): Promise<void> {
  const argv = as === "user" && AS === "nobody"
    ? [
      "/usr/bin/setpriv",
      `--reuid=${NOBODY.uid}`,
      `--regid=${NOBODY.gid}`,
      "--clear-groups",
      "/bin/sh",
      "-c",
      command,
    ]
    : ["/bin/sh", "-c", command];
  const output = await new Deno.Command(argv[0]!, { args: argv.slice(1) }).output();
  assert.ok(output.success, `${command}: ${new TextDecoder().decode(output.stderr)}`);
}

/** The audit check's line of doctor's output, and its hint (null when none). */
function auditCheck(out: string): { line: string; hint: string | null } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => /^. audit /.test(l));
  assert.ok(at >= 0, out);
  const next = lines[at + 1] ?? "";
  const hint = /^\s+hint: /.test(next) ? next.replace(/^\s+hint: /, "") : null;
  return { line: lines[at]!, hint };
}

/** The audit part of `thoth health --json`, checked against the schema. */
function healthAudit(out: string) {
  return HealthReportSchema.parse(JSON.parse(out)).audit;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function newestSegment(home: string): Promise<string> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${home}/audit`)) {
    if (entry.name.startsWith("seg-")) names.push(entry.name);
  }
  assert.ok(names.length > 0, "the governed session wrote no segment");
  return `${home}/audit/${names.sort().at(-1)}`;
}

const REFUSED = ": every governed tool call is refused (audit.unwritable; observe mode " +
  "forwards them, unrecorded) and its records are lost";

Deno.test({
  name: "a segment its owner may not write fails doctor and degrades health; the chmod fixes it",
  ignore: AS === null,
  fn: async () => {
    const home = await usersProfile();
    const segment = await newestSegment(home);
    await Deno.chmod(segment, 0o400);
    const doctor = await thothAsUser(home, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.out);
    const check = auditCheck(doctor.out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log cannot be written: "${escaped(segment)}" is 0400; it must be ` +
          `0600: its owner cannot read or write it${escaped(REFUSED)}; \\d+ record\\(s\\)`,
      ),
    );
    assert.equal(check.hint, `chmod 600 '${segment}'`);
    const health = await thothAsUser(home, ["health", "--json"]);
    const audit = healthAudit(health.out);
    assert.equal(audit.status, "degraded", health.out);
    assert.equal(audit.hint, `chmod 600 '${segment}'`);
    await shell(check.hint);
    const fixed = auditCheck((await thothAsUser(home, ["doctor"])).out);
    assert.match(fixed.line, /^✓ audit +\d+ record\(s\)/);
    assert.equal(healthAudit((await thothAsUser(home, ["health", "--json"])).out).status, "ok");
  },
});

Deno.test({
  name: "a spool folder another user owns fails doctor; the chown given fixes it",
  // Giving a folder to another user takes root.
  ignore: AS !== "nobody",
  fn: async () => {
    const home = await usersProfile();
    const spool = `${home}/audit/spool`;
    await Deno.chown(spool, 0, 0);
    const doctor = await thothAsUser(home, ["doctor"]);
    const check = auditCheck(doctor.out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log cannot be written: "${escaped(spool)}" is owned by uid 0, ` +
          `not you \\(uid ${USER}\\)${escaped(REFUSED)}`,
      ),
    );
    assert.equal(check.hint, `sudo chown -R ${USER} '${spool}'`);
    assert.equal(
      healthAudit((await thothAsUser(home, ["health", "--json"])).out).status,
      "degraded",
    );
    // sudo is not installed here: the command after it, run by root as sudo would.
    await shell(check.hint.replace(/^sudo /, ""), "root");
    assert.match(auditCheck((await thothAsUser(home, ["doctor"])).out).line, /^✓ audit /);
  },
});

Deno.test({
  name: "a lock file and checkpoints folder their owner may not use fail doctor in one fix",
  ignore: AS === null,
  fn: async () => {
    const home = await usersProfile();
    const lock = `${home}/audit/.lock`;
    const checkpoints = `${home}/audit/checkpoints`;
    await Deno.chmod(lock, 0o000);
    await Deno.chmod(checkpoints, 0o500);
    const check = auditCheck((await thothAsUser(home, ["doctor"])).out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log cannot be written: "${escaped(lock)}" is 0000; it must be ` +
          `0600: its owner cannot read or write it; "${escaped(checkpoints)}" is 0500; it must ` +
          `be 0700: its owner cannot list, enter or write it${escaped(REFUSED)}`,
      ),
    );
    assert.equal(check.hint, `chmod 600 '${lock}' && chmod 700 '${checkpoints}'`);
    await shell(check.hint);
    assert.match(auditCheck((await thothAsUser(home, ["doctor"])).out).line, /^✓ audit /);
  },
});

Deno.test({
  name: "spool files wait while the log cannot be written: no hint to start a server then",
  ignore: AS === null,
  fn: async () => {
    const home = await usersProfile();
    const segment = await newestSegment(home);
    const spoolFile = `${home}/audit/spool/s-gone-1.jsonl`;
    await Deno.writeTextFile(spoolFile, '{"type":"decision","session":"s-gone"}\n');
    if (AS === "nobody") await Deno.chown(spoolFile, NOBODY.uid, NOBODY.gid);
    const old = new Date(Date.now() - 5 * 60_000);
    await Deno.utime(spoolFile, old, old);
    await Deno.chmod(segment, 0o400);
    const check = auditCheck((await thothAsUser(home, ["doctor"])).out);
    assert.match(check.line, /^✗ audit /);
    assert.match(
      check.line,
      /1 spool file\(s\) .* wait to be taken in \(oldest \d+s\); no session takes them in until the audit log can be written$/,
    );
    assert.equal(check.hint, `chmod 600 '${segment}'`);
    const audit = healthAudit((await thothAsUser(home, ["health", "--json"])).out);
    assert.equal(audit.spool_waiting?.due, 1);
    assert.equal(audit.hint, `chmod 600 '${segment}'`);
    assert.doesNotMatch(audit.message ?? "", /the next thoth session to start/);
    // Writable again: now a session would take them in, and the hint says to start one.
    await shell(check.hint);
    const writable = auditCheck((await thothAsUser(home, ["doctor"])).out);
    assert.match(writable.line, /^! audit .*the next thoth session to start/);
    assert.match(writable.hint ?? "", /^start any governed server/);
  },
});

Deno.test({
  name:
    "as root: a file in place of the spool folder and a folder in place of .lock refuse every " +
    "call, fail doctor, and the mv given makes the log writable again",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    const spool = `${home}/audit/spool`;
    const lock = `${home}/audit/.lock`;
    await Deno.remove(spool, { recursive: true });
    await Deno.writeTextFile(spool, "not a folder\n");
    await Deno.remove(lock);
    await Deno.mkdir(lock);
    const doctor = await thothAsMe(home, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.out);
    const check = auditCheck(doctor.out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log cannot be written: "${escaped(lock)}" is a folder, not a ` +
          `regular file; "${escaped(spool)}" is a regular file, not a folder${escaped(REFUSED)}`,
      ),
    );
    assert.equal(
      check.hint,
      `mv '${lock}' '${lock}.moved-aside' && mv '${spool}' '${spool}.moved-aside'`,
    );
    assert.equal(healthAudit((await thothAsMe(home, ["health", "--json"])).out).status, "degraded");
    // What doctor says is so: a governed call is refused.
    assert.ok(refused(await memorySession(home, "block")));
    await shell(check.hint, "root");
    assert.match(auditCheck((await thothAsMe(home, ["doctor"])).out).line, /^✓ audit /);
    const after = await memorySession(home, "block");
    assert.ok(!refused(after), after.stderr);
  },
});
