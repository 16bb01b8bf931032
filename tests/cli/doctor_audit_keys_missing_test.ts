/**
 * The real `thoth doctor` and `thoth health --json` on a profile whose log a
 * real governed session wrote, with a private audit key missing, or a
 * signing key the log does not trust: doctor fails the audit check and
 * health says `degraded` (every session would record nothing and refuse its
 * calls, or sign what `thoth audit verify` calls tampering), with remedies
 * that work as given: restore the key; or, lost for good, keep the log as
 * evidence and start a new one (signing key), or write a new HMAC key on
 * purpose.
 */
import assert from "node:assert/strict";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { copyOfGovernedProfile, memorySession, refused } from "./_governed_profile.ts";
import { runThoth } from "./_thoth_process.ts";

const POSIX = Deno.build.os !== "windows";

async function thoth(home: string, args: string[]) {
  return await runThoth(args, { env: { HOME: home, THOTH_HOME: home }, cwd: home });
}

function auditCheck(out: string): { line: string; hint: string } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => /^. audit /.test(l));
  assert.ok(at >= 0, out);
  return { line: lines[at]!, hint: (lines[at + 1] ?? "").replace(/^\s+hint: /, "") };
}

async function healthAudit(home: string) {
  return HealthReportSchema.parse(JSON.parse((await thoth(home, ["health", "--json"])).out)).audit;
}

async function sh(command: string): Promise<void> {
  const output = await new Deno.Command("/bin/sh", { args: ["-c", command] }).output();
  assert.ok(output.success, `${command}: ${new TextDecoder().decode(output.stderr)}`);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `name+keyHash` of the first key the profile's keys list names. */
async function firstKey(home: string): Promise<string> {
  const [first] = JSON.parse(await Deno.readTextFile(auditPaths(home).publicKeys));
  return `${first.name}+${first.keyHash}`;
}

const BLOCKS = "every governed session now records nothing and blocks every tool call " +
  "(observe mode forwards them, unrecorded)";

Deno.test({
  name: "a missing signing key beside a log with records fails doctor; restoring it passes",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    const paths = auditPaths(home);
    const backup = await Deno.readFile(paths.signingKey);
    await Deno.remove(paths.signingKey);
    const doctor = await thoth(home, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.out);
    const check = auditCheck(doctor.out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log holds \\d+ record\\(s\\), but its signing key ` +
          `"${escaped(paths.signingKey)}" is missing \\(audit\\.key_missing\\): rather than sign ` +
          `with a new key "thoth audit verify" would not trust, ${escaped(BLOCKS)}`,
      ),
    );
    assert.ok(
      check.hint.startsWith(
        `restore '${paths.signingKey}' from a backup of this profile (the key ` +
          `${await firstKey(home)}), then run "thoth audit verify"; if it is lost for good`,
      ),
      check.hint,
    );
    const audit = await healthAudit(home);
    assert.equal(audit.status, "degraded");
    assert.equal(audit.hint, check.hint);
    await Deno.writeFile(paths.signingKey, backup, { mode: 0o600 });
    assert.match(auditCheck((await thoth(home, ["doctor"])).out).line, /^✓ audit /);
  },
});

Deno.test({
  name:
    "a signing key lost for good: the log is kept as evidence as the hint says, a new one starts",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    await Deno.remove(auditPaths(home).signingKey);
    const { hint } = auditCheck((await thoth(home, ["doctor"])).out);
    const keep = hint.match(/start a new one: (mkdir -m 700 .+) \("THOTH_HOME=/)?.[1];
    assert.ok(keep !== undefined, hint);
    const kept = `${home}/audit-key-lost`;
    assert.ok(
      hint.endsWith(`("THOTH_HOME='${kept}' thoth audit verify" still checks the old log)`),
    );
    await sh(keep);
    const verified = await thoth(kept, ["audit", "verify"]);
    assert.equal(verified.code, 0, verified.out + verified.err);
    assert.match(verified.out, /^OK: the audit log is intact/);
    assert.match(
      auditCheck((await thoth(home, ["doctor"])).out).line,
      /^✓ audit +no audit log yet/,
    );
    const session = await memorySession(home, "block");
    assert.ok(!refused(session), session.stderr);
    assert.match(auditCheck((await thoth(home, ["doctor"])).out).line, /^✓ audit /);
  },
});

Deno.test({
  name: "a missing HMAC key beside a log with records fails doctor; the new key it gives passes",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    const paths = auditPaths(home);
    await Deno.remove(paths.hmacKey);
    const check = auditCheck((await thoth(home, ["doctor"])).out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log holds \\d+ record\\(s\\), but its HMAC key ` +
          `"${escaped(paths.hmacKey)}" is missing \\(audit\\.key_missing\\): rather than make a ` +
          "new key, which would leave the argument digests in the log unmatchable against " +
          `values, ${escaped(BLOCKS)}`,
      ),
    );
    assert.equal((await healthAudit(home)).status, "degraded");
    const write = check.hint.match(/write a new key on purpose: (\(umask 077 .+?\));/)?.[1];
    assert.ok(write !== undefined, check.hint);
    await sh(write);
    assert.equal((await Deno.stat(paths.hmacKey)).mode! & 0o777, 0o600);
    assert.match(auditCheck((await thoth(home, ["doctor"])).out).line, /^✓ audit /);
    const session = await memorySession(home, "block");
    assert.ok(!refused(session), session.stderr);
  },
});

Deno.test({
  name: "a signing key the log does not trust (made anew as the previous release did) fails doctor",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    const paths = auditPaths(home);
    const trusted = await firstKey(home);
    // As the writer of the previous release did: a new key in place of the lost one, listed after.
    const other = await tempFolder("thoth-other-key-");
    await loadDeviceKeys(other, new Date());
    const [added] = JSON.parse(await Deno.readTextFile(auditPaths(other).publicKeys));
    const listed = JSON.parse(await Deno.readTextFile(paths.publicKeys));
    await Deno.writeTextFile(paths.publicKeys, JSON.stringify([...listed, added], null, 2));
    await Deno.copyFile(auditPaths(other).signingKey, paths.signingKey);
    // A session signs with it: verify calls that tampering.
    assert.ok(!refused(await memorySession(home, "block")));
    const verify = await thoth(home, ["audit", "verify"]);
    assert.equal(verify.code, 1, verify.out);
    assert.match(verify.out, /unknown_key/);
    const check = auditCheck((await thoth(home, ["doctor"])).out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log holds \\d+ record\\(s\\), but its signing key ` +
          `"${escaped(paths.signingKey)}" \\(${escaped(`${added.name}+${added.keyHash}`)}\\) is ` +
          `not a key the log trusts \\(the first in "${escaped(paths.publicKeys)}", or one a key ` +
          "rotation led to\\)",
      ),
    );
    assert.ok(check.hint.startsWith(`restore the log's own key ${trusted} to '`), check.hint);
    assert.equal((await healthAudit(home)).status, "degraded");
  },
});
