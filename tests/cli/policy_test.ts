import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { tempDir } from "../e2e/_harness.ts";

async function thoth(home: string, args: string[]) {
  const io = fakeCliIo(home);
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, args, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** A policy file in `dir` allowing by default, with `rule` as its only rule. */
async function writeRule(dir: string, rule: Record<string, unknown>): Promise<string> {
  const file = `${dir}/p.jsonc`;
  await Deno.writeTextFile(file, JSON.stringify({ version: 1, default: "allow", rules: [rule] }));
  return file;
}

Deno.test("thoth policy check summarizes the built-in default when there is no policy file", async () => {
  await using dir = await tempDir();
  const run = await thoth(dir.path, ["policy", "check"]);
  assert.equal(run.code, 0, run.err);
  assert.match(run.out, /built-in default is valid/);
  assert.match(run.out, /destructive: step_up/);
  assert.match(run.out, /block: BLOCK verdicts are rejected/);
  const json = JSON.parse((await thoth(dir.path, ["policy", "check", "--json"])).out);
  assert.equal(json.valid, true);
  assert.equal(json.builtIn, true);
  assert.ok(json.rules.some((r: { id: string }) => r.id === "destructive"));
});

Deno.test("thoth policy check names the file, line, column and key of a mistake", async () => {
  await using dir = await tempDir();
  const file = `${dir.path}/p.jsonc`;
  await Deno.writeTextFile(
    file,
    '{\n  "version": 1,\n  "rules": [{ "id": "x", "match": {}, "decison": "block" }]\n}',
  );
  const run = await thoth(dir.path, ["policy", "check", file]);
  assert.equal(run.code, 1);
  assert.match(
    run.err,
    /^thoth: error: policy ".*p\.jsonc" line 1 column 1: default: missing required key/m,
  );
  assert.match(run.err, /line 3 column \d+: rules\[0\]\.decison: unknown key/);
  const missing = await thoth(dir.path, ["policy", "check", `${dir.path}/nope.jsonc`]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read policy/);
});

Deno.test("thoth policy explain gives the verdict and every reason, without argument values", async () => {
  await using dir = await tempDir();
  const file = await writeRule(dir.path, {
    id: "fs-outside-data",
    match: { server: "filesystem", tool: "write_file", args: { path: { notGlob: "/data/**" } } },
    decision: "block",
    reason: "writes stay in /data",
  });
  const args = ["--server", "filesystem", "--tool", "write_file", "--policy", file];
  const outside = await thoth(dir.path, [
    "policy",
    "explain",
    ...args,
    "--args",
    '{"path":"/etc/cron.d/x"}',
  ]);
  assert.equal(outside.code, 0, outside.err);
  assert.match(outside.out, /verdict: BLOCK \(fs-outside-data\)/);
  assert.doesNotMatch(outside.out, /cron/);
  const inside = JSON.parse(
    (await thoth(dir.path, [
      "policy",
      "explain",
      ...args,
      "--args",
      '{"path":"/data/a.txt"}',
      "--json",
    ])).out,
  );
  assert.equal(inside.verdict, "allow");
  const observe = JSON.parse(
    (await thoth(dir.path, [
      "policy",
      "explain",
      ...args,
      "--args",
      '{"path":"/etc/x"}',
      "--mode",
      "observe",
      "--json",
    ])).out,
  );
  assert.deepEqual([observe.verdict, observe.action], ["block", "forward"]);
  const bad = await thoth(dir.path, ["policy", "explain", ...args, "--args", "{nope"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--args: not JSON/);
});

Deno.test("thoth policy explain applies the server's intent map entry, as thoth run does", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(
    `${dir.path}/intent_map.json`,
    '{"gdrive": "calendar_management"}',
  );
  const explain = (...args: string[]) => thoth(dir.path, ["policy", "explain", ...args]);

  const mapped = await explain("--server", "gdrive", "--tool", "send_mail");
  assert.equal(mapped.code, 0, mapped.err);
  assert.match(mapped.out, /^verdict: BLOCK \(intent\.out_of_scope/m);
  assert.match(mapped.out, /^intent: calendar_management \(intent map entry for "gdrive"\)$/m);
  const inScope = JSON.parse(
    (await explain("--server", "gdrive", "--tool", "list_events", "--json")).out,
  );
  assert.deepEqual(
    [inScope.verdict, inScope.intent, inScope.intentSource],
    ["allow", "calendar_management", 'intent map entry for "gdrive"'],
  );

  const unmapped = await explain("--server", "memory", "--tool", "send_mail");
  assert.match(unmapped.out, /^verdict: ALLOW/m);
  assert.match(unmapped.out, /^intent: none \(no --intent, no intent map entry for "memory"\)$/m);

  const flag = await explain(
    "--server",
    "memory",
    "--tool",
    "send_mail",
    "--intent",
    "calendar_management",
  );
  assert.match(flag.out, /^intent: calendar_management \(--intent\)$/m);
  assert.match(flag.out, /^verdict: BLOCK/m);

  // A map thoth run would refuse is refused here too, whichever server is asked about.
  await Deno.writeTextFile(`${dir.path}/intent_map.json`, '{"broken": "two words"}');
  const bad = await explain("--server", "memory", "--tool", "send_mail");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /the intent of "broken" is not an intent name/);
});

Deno.test("thoth policy explain treats a tool as listed, as thoth run does after tools/list, unless --unlisted", async () => {
  await using dir = await tempDir();
  const policy = `${dir.path}/p.jsonc`;
  await Deno.writeTextFile(
    policy,
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [{ id: "known-garbage", match: { tool: "garbage", listed: true }, decision: "block" }],
    }),
  );
  const explain = (...args: string[]) =>
    thoth(dir.path, ["policy", "explain", "--policy", policy, "--server", "s", ...args]);
  const listed = await explain("--tool", "garbage");
  assert.equal(listed.code, 0, listed.err);
  assert.match(listed.out, /^verdict: BLOCK \(known-garbage\)/m);
  const unlisted = await explain("--tool", "garbage", "--unlisted");
  assert.match(unlisted.out, /^verdict: ALLOW/m);
  const progressive = await explain("--tool", "garbage", "--mode", "progressive");
  assert.match(progressive.out, /explain assumes no earlier violation in the window/);
});

Deno.test("thoth policy explain resolves a relative path in the current folder or the --base folders", async () => {
  await using dir = await tempDir();
  const file = await writeRule(dir.path, {
    id: "no-secret",
    match: { args: { path: { glob: `${dir.path}/secret/**` } } },
    decision: "block",
  });
  const verdict = async (...extra: string[]) => {
    const run = await thoth(dir.path, [
      "policy",
      "explain",
      "--server",
      "fs",
      "--tool",
      "read_file",
      "--policy",
      file,
      "--args",
      '{"path":"secret/plan.txt"}',
      "--json",
      ...extra,
    ]);
    assert.equal(run.code, 0, run.err);
    return JSON.parse(run.out).verdict;
  };
  assert.equal(await verdict(), "block", "the fake io's current folder is the temp dir");
  assert.equal(await verdict("--base", "/srv"), "allow");
  assert.equal(await verdict("--base", "/srv", dir.path), "block");
  assert.equal(
    await verdict("--base", "sub/.."),
    "block",
    "a relative base is in the current folder",
  );
  const human = await thoth(dir.path, [
    "policy",
    "explain",
    "--server",
    "fs",
    "--tool",
    "read_file",
    "--policy",
    file,
    "--base",
    "/srv",
    "/data",
  ]);
  assert.match(
    human.out,
    /^relative paths: as written, and in rules that block as resolved in \/srv, \/data$/m,
  );
});
