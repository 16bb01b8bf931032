/**
 * The audit health `thoth doctor` and `thoth health` report when the log
 * holds records but its signing keys list is missing, damaged, empty or
 * unreadable: `thoth audit verify` cannot trust the log then, so the health
 * is degraded with the reason and a remedy, never "ok". And a state file
 * that dates its last checkpoint in the future is a problem, not a date to
 * pass on.
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { fromBase64 } from "../../src/audit/encoding.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import type { LogState } from "../../src/audit/log_state.ts";
import { stateMac, stateMacKey } from "../../src/audit/state_mac.ts";
import { fakeIo } from "./_helpers.ts";
import { CAN_RUN_AS_NOBODY, NOBODY, thothAsNobody } from "../cli/_thoth_as_nobody.ts";

const POSIX = Deno.build.os !== "windows";
const ROOT = POSIX && Deno.uid() === 0;

function auditHealth(home: string) {
  return thothDoctorPlugins(fakeIo(home)).auditHealth!({ env: {}, thothHome: home, os: "linux" });
}

const keysFile = (home: string) => `${home}/keys/audit-signing-keys.json`;

/** The MAC a writer holding the device's audit key puts on `state`. */
async function deviceMac(home: string, state: LogState): Promise<string> {
  const raw = fromBase64((await Deno.readTextFile(auditPaths(home).hmacKey)).trim())!;
  return stateMac(stateMacKey(raw), state);
}

Deno.test("audit health is ok while the signing keys list is there", async () => {
  const home = await sampleLog(1, 4);
  const health = await auditHealth(home);
  assert.equal(health.status, "ok", health.message);
});

Deno.test("audit health is degraded when keys/ is gone beside a log with records", async () => {
  const home = await sampleLog(1, 4);
  await Deno.remove(`${home}/keys`, { recursive: true });
  const health = await auditHealth(home);
  assert.equal(health.status, "degraded", health.message);
  assert.equal(health.verified, false);
  assert.equal(health.lastSequence, 8);
  assert.match(
    health.message,
    new RegExp(`holds 9 record\\(s\\), but its signing keys list "${keysFile(home)}" is missing`),
  );
  assert.match(health.hint ?? "", new RegExp(`^restore '${home}/keys' from a backup`));
});

Deno.test("audit health is degraded when the signing keys list is not valid JSON", async () => {
  const home = await sampleLog(1, 4);
  await Deno.writeTextFile(keysFile(home), "garbage\n");
  const health = await auditHealth(home);
  assert.equal(health.status, "degraded", health.message);
  assert.match(health.message, /cannot read the signing keys ".+": it is not valid JSON/);
  assert.match(health.hint ?? "", /restore the keys file from a backup/);
});

Deno.test("audit health is degraded when the signing keys list lists no key", async () => {
  const home = await sampleLog(1, 4);
  await Deno.writeTextFile(keysFile(home), "[]\n");
  const health = await auditHealth(home);
  assert.equal(health.status, "degraded", health.message);
  assert.match(health.message, /signing keys list ".+" lists no key/);
});

Deno.test("audit health is degraded when the signing keys list is not a list of keys", async () => {
  const home = await sampleLog(1, 4);
  await Deno.writeTextFile(keysFile(home), '{"name":"x"}\n');
  const health = await auditHealth(home);
  assert.equal(health.status, "degraded", health.message);
  assert.match(health.message, /expected a list of keys/);
});

Deno.test({
  name: "audit health is degraded when this user cannot read the signing keys list",
  // Root reads a mode-000 file: the case runs as another user below.
  ignore: !POSIX || ROOT,
  fn: async () => {
    const home = await sampleLog(1, 4);
    await Deno.chmod(keysFile(home), 0o000);
    try {
      const health = await auditHealth(home);
      assert.equal(health.status, "degraded", health.message);
      assert.match(health.message, /cannot read the signing keys ".+": permission denied/);
      assert.match(health.hint ?? "", /chmod u\+rw /);
    } finally {
      await Deno.chmod(keysFile(home), 0o600);
    }
  },
});

/** A sample log whose whole profile uid 65534 owns, with HOME beside it. */
async function nobodysLog(): Promise<{ home: string; env: Record<string, string> }> {
  const home = await sampleLog(1, 4);
  await Deno.mkdir(`${home}/hm`);
  const chown = await new Deno.Command("chown", {
    args: ["-R", `${NOBODY.uid}:${NOBODY.gid}`, home],
  }).output();
  assert.ok(chown.success, new TextDecoder().decode(chown.stderr));
  return { home, env: { HOME: `${home}/hm`, THOTH_HOME: home } };
}

Deno.test({
  name: "health and doctor, as the profile's owner, flag a keys folder of mode 0000",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { home, env } = await nobodysLog();
    await Deno.chmod(`${home}/keys`, 0o000);
    const health = await thothAsNobody(["health", "--json"], { env });
    const audit = JSON.parse(health.out).audit;
    assert.equal(audit.status, "degraded", health.out);
    assert.match(audit.message, /cannot read the signing keys ".+": permission denied/);
    assert.match(audit.hint, new RegExp(`chmod u\\+rwx '${home}/keys'`));
    const doctor = await thothAsNobody(["doctor"], { env });
    assert.match(
      doctor.out,
      new RegExp(`✗ profile .*"${home}/keys" is 0000; it must be 0700: its owner cannot list`),
    );
    assert.match(doctor.out, new RegExp(`hint: chmod 700 '${home}/keys'`));
    assert.match(doctor.out, /✗ audit .*permission denied/);
  },
});

Deno.test({
  name: "health and doctor, as the profile's owner, flag a signing keys list of mode 0000",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { home, env } = await nobodysLog();
    await Deno.chmod(keysFile(home), 0o000);
    const health = await thothAsNobody(["health", "--json"], { env });
    const audit = JSON.parse(health.out).audit;
    assert.equal(audit.status, "degraded", health.out);
    assert.match(audit.message, /permission denied/);
    const doctor = await thothAsNobody(["doctor"], { env });
    assert.match(doctor.out, /: its owner cannot read or write it/);
    assert.match(doctor.out, new RegExp(`chmod 600 '${keysFile(home)}'`));
  },
});

Deno.test("audit health is degraded when the state dates the last checkpoint in the future", async () => {
  const home = await sampleLog(1, 4);
  const path = `${home}/audit/.state.json`;
  const state = JSON.parse(await Deno.readTextFile(path));
  assert.ok(state.checkpointAt > 0);
  state.checkpointAt = Date.parse("2230-01-02T00:00:00.000Z");
  await Deno.writeTextFile(path, JSON.stringify(state).padEnd(4095, " ") + "\n");
  const health = await auditHealth(home);
  assert.equal(health.status, "degraded", health.message);
  assert.equal(health.lastCheckpointAt, null);
  assert.match(
    health.message,
    /2230-01-02T00:00:00\.000Z: the last checkpoint is dated in the future: the clock was wrong or the state was edited/,
  );
});

Deno.test("a checkpoint a minute ahead of this clock is clock skew, not a problem", async () => {
  const home = await sampleLog(1, 4);
  const path = `${home}/audit/.state.json`;
  const state = JSON.parse(await Deno.readTextFile(path));
  state.checkpointAt = Date.now() + 60_000;
  // As a writer whose clock runs a minute ahead writes it: under the device's key.
  state.mac = await deviceMac(home, state);
  await Deno.writeTextFile(path, JSON.stringify(state).padEnd(4095, " ") + "\n");
  const health = await auditHealth(home);
  assert.equal(health.status, "ok", health.message);
  assert.equal(health.lastCheckpointAt, new Date(state.checkpointAt).toISOString());
});
