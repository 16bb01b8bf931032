/**
 * A THOTH_HOME that is a file (or a path through a file) is named as the
 * problem by every command that reads the profile, with how to fix it and
 * the command's usual exit code, instead of an OS error about a path inside
 * it ("Not a directory (os error 20)") or an internal error.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Every command that reads the profile, with its exit code when it cannot run. */
const COMMANDS: [string[], number][] = [
  [["policy", "check"], 1],
  [["policy", "explain", "--server", "fs", "--tool", "read_file"], 1],
  [["audit", "verify"], 3],
  [["audit", "show"], 1],
  [["audit", "tail"], 1],
  [["audit", "prove", "--seq", "0"], 1],
  [["audit", "checkpoint"], 1],
  [["audit", "export", "--output", "bundle"], 1],
  [["approvals", "list"], 1],
  [["approvals", "approve", "abcdefgh"], 1],
  [["approvals", "deny", "abcdefgh"], 1],
  [["set-api-key", "--api-key", "-"], 1],
];

Deno.test("every command that reads the profile says THOTH_HOME is not a folder", async () => {
  const dir = await tempFolder("thoth-home-file-");
  const home = `${dir}/home`;
  await Deno.writeTextFile(home, "not a profile\n");
  for (const [args, exit] of COMMANDS) {
    const run = await runThoth(args, { env: { THOTH_HOME: home, HOME: dir }, cwd: dir });
    const what = args.join(" ");
    assert.equal(run.code, exit, `${what}: ${run.err}`);
    assert.match(
      run.err,
      new RegExp(`^thoth: error: THOTH_HOME "${home}" is not a folder: it is a file$`, "m"),
      what,
    );
    assert.match(run.err, /^thoth: hint: set THOTH_HOME to a folder .*or move it aside$/m, what);
    assert.doesNotMatch(run.err, /os error|internal error|readdir|stat '/, what);
  }
  assert.equal(await Deno.readTextFile(home), "not a profile\n", "the file is left alone");
});

Deno.test("a THOTH_HOME under a file, and a default profile that is a file, are named too", async () => {
  const dir = await tempFolder("thoth-home-under-file-");
  await Deno.writeTextFile(`${dir}/file`, "");
  const under = await runThoth(["policy", "check"], {
    env: { THOTH_HOME: `${dir}/file/home`, HOME: dir },
    cwd: dir,
  });
  assert.equal(under.code, 1, under.err);
  assert.match(
    under.err,
    /^thoth: error: THOTH_HOME ".*\/file\/home" is not a folder: a file stands/m,
  );
  if (Deno.build.os === "windows") return;
  await Deno.writeTextFile(`${dir}/.thoth`, "");
  const fallback = await runThoth(["approvals", "list"], { env: { HOME: dir }, cwd: dir });
  assert.equal(fallback.code, 1, fallback.err);
  assert.match(
    fallback.err,
    /^thoth: error: the profile ".*\/\.thoth" is not a folder: it is a file$/m,
  );
});

Deno.test("audit verify --bundle and policy check FILE do not need the profile", async () => {
  const dir = await tempFolder("thoth-home-file-free-");
  await Deno.writeTextFile(`${dir}/home`, "");
  await Deno.writeTextFile(`${dir}/policy.jsonc`, '{ "version": 1 }\n');
  const check = await runThoth(["policy", "check", `${dir}/policy.jsonc`], {
    env: { THOTH_HOME: `${dir}/home`, HOME: dir },
    cwd: dir,
  });
  assert.doesNotMatch(check.err, /THOTH_HOME/, check.err);
  const bundle = await runThoth(["audit", "verify", "--bundle", `${dir}/missing`], {
    env: { THOTH_HOME: `${dir}/home`, HOME: dir },
    cwd: dir,
  });
  assert.equal(bundle.code, 3, bundle.err);
  assert.doesNotMatch(bundle.err, /THOTH_HOME/, bundle.err);
});

Deno.test("thothctl names a THOTH_HOME that is a file too, with each command's exit code", async () => {
  const dir = await tempFolder("thothctl-home-file-");
  const home = `${dir}/home`;
  await Deno.writeTextFile(home, "not a profile\n");
  for (const [args, exit] of COMMANDS.filter(([a]) => a[0] !== "set-api-key")) {
    const run = await runThoth(args, {
      env: { THOTH_HOME: home, HOME: dir },
      cwd: dir,
      program: "thothctl",
    });
    const what = `thothctl ${args.join(" ")}`;
    assert.equal(run.code, exit, `${what}: ${run.err}`);
    assert.match(
      run.err,
      new RegExp(`^thothctl: error: THOTH_HOME "${home}" is not a folder: it is a file$`, "m"),
      what,
    );
    assert.doesNotMatch(run.err, /os error|internal error|not a directory/, what);
  }
});
