/**
 * Every reader of a policy (and of the intent map) refuses a file that is
 * not UTF-8, in the same words, where it used to read `Müller` saved as
 * Latin-1 as `M\uFFFDller` and judge the policy valid: `thoth run`
 * (`prepareSession`), `status` (thoth run's small readers), `policy check`
 * and `policy explain`, `doctor` and `health`. And `policy check` gives
 * hints that fit a folder, a file over the limit and an empty file.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { readIntentMapText } from "../../src/config/read_intent_map_text.ts";
import { checkPolicy } from "../../src/doctor/check_policy.ts";
import { readIntentMapReport } from "../../src/doctor/check_intent_map.ts";
import { policyPart } from "../../src/doctor/health_policy_part.ts";
import { isAppError } from "../../src/errors.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { testContext } from "../doctor/_helpers.ts";

/** A policy that blocks the folder `/srv/patienten/Müller`, its ü written in Latin-1. */
const LATIN1 = Uint8Array.from([
  ...new TextEncoder().encode(
    '{\n  "version": 1,\n  "default": "allow",\n  "rules": [{ "id": "akte", "match": { "args": ' +
      '{ "path": { "glob": "/srv/patienten/M',
  ),
  0xfc,
  ...new TextEncoder().encode('ller/**" } } }, "decision": "block" }]\n}\n'),
]);
const WHERE = /line 4 column 85: the byte 0xFC is not UTF-8/;

/** `thoth policy ARGS` in-process, the profile in `home`. */
async function policy(home: string, args: string[]) {
  const io = fakeCliIo(home, {});
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, ["policy", ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

Deno.test("every policy reader refuses a policy that is not UTF-8, naming line and column", async () => {
  await inTempDir(async (dir) => {
    const home = `${dir}/home/.thoth`;
    await Deno.mkdir(home, { recursive: true });
    const file = `${home}/policy.jsonc`;
    await Deno.writeFile(file, LATIN1);
    // thoth run.
    await assert.rejects(
      () => prepareSession(fakeCliIo(home, { PATH: "" }), { server: "fs", mode: "block" }),
      (error: unknown) => {
        assert.ok(isAppError(error, "policy.invalid"), String(error));
        assert.match(error.message, WHERE);
        assert.match(error.hints[0]!, /^save the file as UTF-8/);
        return true;
      },
    );
    // policy check and explain.
    const check = await policy(home, ["check", file]);
    assert.equal(check.code, 1, check.out);
    assert.match(check.err, WHERE);
    const call = ["--server", "fs", "--tool", "read_file", "--args", '{"path":"/srv/x"}'];
    const explain = await policy(home, ["explain", ...call]);
    assert.equal(explain.code, 1, explain.out);
    assert.match(explain.err, WHERE);
    // status, with thoth run's small readers.
    await Deno.writeTextFile(
      `${dir}/c.json`,
      JSON.stringify({
        mcpServers: { fs: { command: THOTH, args: ["run", "--agent-id", "fs", "--", "npx", "x"] } },
      }),
    );
    const status = await thoth(["status", "--check", "--config", `${dir}/c.json`], { cwd: dir });
    assert.equal(status.code, 1, status.out);
    assert.match(status.out + status.err, WHERE);
    // doctor and health.
    const doctor = await checkPolicy(testContext(home));
    assert.equal(doctor.status, "fail");
    assert.match(doctor.message, WHERE);
    assert.match(doctor.hint ?? "", /^save the file as UTF-8/);
    const health = await policyPart(testContext(home), file);
    assert.equal(health.valid, false);
    assert.match(health.problem ?? "", WHERE);
  });
});

Deno.test("thoth run and policy check say a UTF-16 policy is UTF-16", async () => {
  await inTempDir(async (dir) => {
    const home = `${dir}/home/.thoth`;
    await Deno.mkdir(home, { recursive: true });
    const file = `${home}/policy.jsonc`;
    const text = '{ "version": 1, "default": "allow" }';
    const utf16 = [0xff, 0xfe];
    for (const ch of text) utf16.push(ch.charCodeAt(0), 0);
    await Deno.writeFile(file, Uint8Array.from(utf16));
    const said = /is saved as UTF-16 \(little-endian\), not as UTF-8/;
    await assert.rejects(
      () => prepareSession(fakeCliIo(home, { PATH: "" }), { server: "fs", mode: "block" }),
      (error: unknown) => isAppError(error, "policy.invalid") && said.test(error.message),
    );
    const check = await policy(home, ["check", file]);
    assert.equal(check.code, 1);
    assert.match(check.err, said);
    assert.match(check.err, /Set-Content -Encoding utf8 or Out-File -Encoding utf8/);
  });
});

Deno.test("every intent map reader refuses a map that is not UTF-8", async () => {
  await inTempDir(async (dir) => {
    const home = `${dir}/home/.thoth`;
    await Deno.mkdir(home, { recursive: true });
    const file = `${home}/intent_map.json`;
    await Deno.writeFile(
      file,
      Uint8Array.from([...new TextEncoder().encode('{\r"fs": "caf'), 0xe9, 0x22, 0x7d]),
    );
    const where = /^intent map ".*" line 2 column 11: the byte 0xE9 is not UTF-8/;
    assert.throws(() => readIntentMapText(file), (error: unknown) => {
      assert.ok(isAppError(error, "intent_map.invalid"), String(error));
      assert.match(error.message, where);
      return true;
    });
    const doctor = await readIntentMapReport(testContext(home));
    assert.equal(doctor.check.status, "fail");
    assert.match(doctor.check.message, where);
    assert.match(doctor.check.hint ?? "", /^save the file as UTF-8/);
  });
});

Deno.test("policy check gives a folder, a file over the limit and an empty file hints that fit", async () => {
  await inTempDir(async (dir) => {
    const home = `${dir}/home/.thoth`;
    await Deno.mkdir(home, { recursive: true });
    await Deno.mkdir(`${dir}/folder`);
    const folder = await policy(home, ["check", `${dir}/folder`]);
    assert.equal(folder.code, 1);
    assert.match(
      folder.err,
      /it is not a regular file\nthoth: hint: give the path of a policy file/,
    );
    const large = await Deno.open(`${dir}/large.jsonc`, { write: true, create: true });
    await large.truncate(13 * 1024 * 1024);
    large.close();
    const over = await policy(home, ["check", `${dir}/large.jsonc`]);
    assert.equal(over.code, 1);
    assert.match(over.err, /over the 12 MiB .*\nthoth: hint: a policy this large is almost/);
    assert.doesNotMatch(folder.err + over.err, /check the path and its permissions/);
    await Deno.writeTextFile(`${dir}/empty.jsonc`, "\n// to do\n");
    const empty = await policy(home, ["check", `${dir}/empty.jsonc`]);
    assert.equal(empty.code, 1);
    assert.match(empty.err, /empty\.jsonc": the file is empty/);
  });
});
