import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { tempDir } from "../e2e/_harness.ts";
import { passwdHome } from "../../src/platform/passwd_home.ts";

/**
 * Runs `thoth ARGS` in the folder `dir`, with the profile in `dir/.thoth`
 * (see {@linkcode profileOf}): not the current folder itself, whose relative
 * paths would then all reach thoth's own files.
 */
async function thoth(dir: string, args: string[], env: Record<string, string> = {}) {
  const io = fakeCliIo(profileOf(dir), env);
  Object.assign(io, { cwd: dir });
  const program = new Command("thoth").addCommand(policyCommand(io));
  const code = await runProgram("thoth", program, args, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** The profile folder the tests' `thoth` uses in `dir`, made when missing. */
function profileOf(dir: string): string {
  Deno.mkdirSync(`${dir}/.thoth`, { recursive: true });
  return `${dir}/.thoth`;
}

/** `policy explain` of a read of the relative "secret/plan.txt" under `file`, with `extra` flags. */
function explainSecret(
  dir: string,
  file: string,
  extra: string[],
  env: Record<string, string> = {},
) {
  return thoth(dir, [
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
    ...extra,
  ], env);
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
  const list = await thoth(dir.path, ["policy", "explain", ...args, "--args", '["/etc/x"]']);
  assert.equal(list.code, 2);
  assert.match(list.err, /^thoth: error: --args: must be a JSON object, not an array$/m);
});

Deno.test("thoth policy explain refuses --annotations that are not a JSON object, with an annotations example", async () => {
  await using dir = await tempDir();
  const explain = (annotations: string) =>
    thoth(dir.path, [
      "policy",
      "explain",
      "--server",
      "fs",
      "--tool",
      "read_file",
      "--annotations",
      annotations,
    ]);
  const notJson = await explain("readOnlyHint");
  assert.equal(notJson.code, 2);
  assert.match(notJson.err, /^thoth: error: --annotations: not JSON/m);
  assert.match(
    notJson.err,
    /^thoth: hint: quote it for the shell, for example --annotations '\{"readOnlyHint":true\}'$/m,
  );
  assert.doesNotMatch(notJson.err, /"path"/);
  for (const [text, kind] of [["true", "a boolean"], ["[]", "an array"], ["null", "null"]]) {
    const run = await explain(text!);
    assert.equal(run.code, 2, text);
    assert.match(
      run.err,
      new RegExp(`^thoth: error: --annotations: must be a JSON object, not ${kind}$`, "m"),
    );
    assert.match(run.err, /for example --annotations '\{"readOnlyHint":true\}'/);
  }
  const ok = await explain('{"readOnlyHint":true}');
  assert.equal(ok.code, 0, ok.err);
});

Deno.test("thoth policy explain refuses --annotations with --unlisted: thoth run gives an unlisted tool none", async () => {
  await using dir = await tempDir();
  const file = await writeRule(dir.path, {
    id: "read-only",
    match: { annotations: { readOnlyHint: true } },
    decision: "allow",
  });
  const run = await thoth(dir.path, [
    "policy",
    "explain",
    "--policy",
    file,
    "--server",
    "fs",
    "--tool",
    "read_file",
    "--unlisted",
    "--annotations",
    '{"readOnlyHint":true}',
  ]);
  assert.equal(run.code, 2);
  assert.equal(run.out, "");
  assert.match(
    run.err,
    /^thoth: error: --annotations and --unlisted together: thoth run never applies annotations to a tool the server did not list in tools\/list$/m,
  );
  assert.match(run.err, /^thoth: hint: drop --annotations to explain a call to an unlisted tool$/m);
  assert.match(
    run.err,
    /^thoth: hint: drop --unlisted to explain a listed tool with these annotations$/m,
  );
});

Deno.test("thoth policy explain applies the server's intent map entry, as thoth run does", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(
    `${profileOf(dir.path)}/intent_map.json`,
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
  await Deno.writeTextFile(`${profileOf(dir.path)}/intent_map.json`, '{"broken": "two words"}');
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
    const run = await explainSecret(dir.path, file, ["--json", ...extra]);
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
  const human = await explainSecret(dir.path, file, ["--base", "/srv", "/data"]);
  assert.match(
    human.out,
    /^relative paths: as written, and in rules that block as resolved in \/srv, \/data$/m,
  );
});

Deno.test("thoth policy explain expands a --base that starts with ~ to the home folder", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  const file = await writeRule(dir.path, {
    id: "no-secret",
    match: { args: { path: { glob: `${home}/proj/secret/**` } } },
    decision: "block",
  });
  const explain = (env: Record<string, string>, ...base: string[]) =>
    explainSecret(dir.path, file, ["--json", ...base], env);
  for (const base of [["--base=~/proj"], ["--base", "~/proj"], ["--base", "~/proj/"]]) {
    const run = await explain({ HOME: home }, ...base);
    assert.equal(run.code, 0, run.err);
    const json = JSON.parse(run.out);
    assert.equal(json.verdict, "block", base.join(" "));
    assert.match(json.bases[0], new RegExp(`^${home}/proj/?$`));
  }
  const alone = JSON.parse((await explain({ HOME: home }, "--base=~")).out);
  assert.deepEqual(alone.bases, [home]);
  const windows = JSON.parse((await explain({ USERPROFILE: home }, "--base=~/proj")).out);
  assert.deepEqual(windows.bases, [`${home}/proj`]);

  const noHome = await explain({}, "--base=~/proj");
  assert.equal(noHome.code, 2);
  assert.match(
    noHome.err,
    /^thoth: error: --base "~\/proj": no home folder to expand "~" to \(HOME and USERPROFILE are not set\)$/m,
  );
  const otherUser = await explain({ HOME: home }, "--base=~ana/proj");
  assert.equal(otherUser.code, 2);
  assert.match(
    otherUser.err,
    /--base "~ana\/proj": thoth expands "~" and "~\/…" to your home folder, not another user's/,
  );
  assert.match(
    otherUser.err,
    /^thoth: hint: write "\.\/~ana\/proj" for a folder of that name in the current folder$/m,
  );
  const named = JSON.parse((await explain({ HOME: home }, "--base=./~ana")).out);
  assert.deepEqual(named.bases, [`${dir.path}/./~ana`]);
});

Deno.test("thoth policy explain reads the intent map as thoth run does: agent ids govern, server names refuse", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(
    `${profileOf(dir.path)}/intent_map.json`,
    '{"Everything-Server": "calendar_management", "notes café": "calendar_management"}',
  );
  const explain = (server: string) =>
    thoth(dir.path, ["policy", "explain", "--server", server, "--tool", "send_mail"]);
  const exact = await explain("Everything-Server");
  assert.equal(exact.code, 0, exact.err);
  assert.match(exact.out, /^verdict: BLOCK \(intent\.out_of_scope/m);
  assert.match(exact.out, /^intent: calendar_management \(intent map/m);
  assert.match(exact.err, /the entry "notes café" is a server name, not an agent id/);
  for (const server of ["notes-cafe", "notes-cafe-2"]) {
    const refused = await explain(server);
    assert.equal(refused.code, 1, server);
    assert.match(refused.err, new RegExp(`has no entry for agent id "${server}"`));
  }
});

/** Runs `run`; if it is still blocked after 5 s, opens `fifo` for writing to release it and fails. */
async function refusedAtOnce(
  run: () => Promise<{ code: number; err: string }>,
  fifo: string,
): Promise<{ code: number; err: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), 5_000);
  });
  const running = run();
  const outcome = await Promise.race([running, hung]);
  clearTimeout(timer);
  if (outcome === "hung") {
    (await Deno.open(fifo, { write: true })).close();
    await running;
    assert.fail(`reading "${fifo}" blocked`);
  }
  return outcome;
}

Deno.test({
  name: "thoth policy explain and check refuse a FIFO intent map or policy instead of hanging",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using dir = await tempDir();
    const map = `${profileOf(dir.path)}/intent_map.json`;
    const policy = `${dir.path}/policy-fifo`;
    for (const fifo of [map, policy]) {
      assert.equal((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
    }
    const explain = await refusedAtOnce(
      () => thoth(dir.path, ["policy", "explain", "--server", "fs", "--tool", "read_file"]),
      map,
    );
    assert.equal(explain.code, 1);
    assert.match(explain.err, /cannot read intent map ".+": it is not a regular file/);
    const check = await refusedAtOnce(() => thoth(dir.path, ["policy", "check", policy]), policy);
    assert.equal(check.code, 1);
    assert.match(check.err, /cannot read policy ".+": it is not a regular file/);
  },
});

Deno.test("thoth policy explain protects the clients' configs under the password file's home when HOME is unset, as thoth run does", async () => {
  if (Deno.build.os === "windows") return;
  const home = passwdHome(await Deno.readTextFile("/etc/passwd"), Deno.uid()!);
  assert.ok(home !== undefined, "this account has a home in the password file");
  await using dir = await tempDir();
  const run = await thoth(dir.path, [
    "policy",
    "explain",
    "--server",
    "fs",
    "--tool",
    "read_file",
    "--args",
    JSON.stringify({ path: `${home}/.cursor/mcp.json` }),
    "--json",
  ], {});
  assert.equal(run.code, 0, run.err);
  const json = JSON.parse(run.out);
  assert.equal(json.verdict, "block");
  assert.deepEqual(json.ruleIds, ["thoth.client_config"]);
});
