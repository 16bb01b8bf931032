/**
 * `thoth set-api-key` keeps the key it is given to itself and to the user:
 * it saves no key into a profile another user can change, shows no key typed
 * at a terminal, reads no more of standard input than a key can be, needs no
 * profile when THOTH_API_KEY_FILE names where the key goes, and refuses a
 * THOTH_API_KEY_FILE that names a folder.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { setApiKeyCommand } from "../../src/cli/set_api_key.ts";
import { fakeIo } from "../doctor/_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { CLEAN_ENV, runThoth } from "./_thoth_process.ts";
import {
  AGENT_KEY as KEY,
  CAN_RUN_AS_NOBODY,
  exists,
  NOBODY,
  setApiKeyAsNobody,
  sharedRoot,
} from "./_thoth_as_nobody.ts";
import { thothArgv } from "../e2e/_harness.ts";

Deno.test({
  name: "set-api-key as a user refuses a profile folder another user owns, making nothing",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-set-key-");
    // Another user's folder (not root's: that is a managed profile), which everyone may write
    // to: the user could put a key there.
    const home = `${dir}/other-profile`;
    await Deno.mkdir(home);
    await Deno.chown(home, 4444, 4444);
    await Deno.chmod(home, 0o777);
    const run = await setApiKeyAsNobody({ HOME: dir, THOTH_HOME: home });
    assert.equal(run.code, 1, run.err);
    assert.match(
      run.err,
      new RegExp(
        `not saving the API key: "${home}" is owned by uid 4444, not you \\(uid 65534\\) or root`,
      ),
    );
    assert.match(run.err, /hint: set THOTH_HOME to a folder of your own/);
    assert.match(run.err, /do not chown this folder/);
    assert.doesNotMatch(run.err, /hint: .*\bchown \d/);
    assert.deepEqual([...Deno.readDirSync(home)], [], "nothing made in it");
  },
});

Deno.test({
  name: "set-api-key as a user refuses a profile, or a sessions folder, others may write to",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-set-key-");
    for (const [mode, says] of [[0o777, "every user"], [0o770, "its group"]] as const) {
      const home = `${dir}/own-${mode.toString(8)}`;
      await Deno.mkdir(home);
      await Deno.chown(home, NOBODY.uid, NOBODY.gid);
      await Deno.chmod(home, mode);
      const run = await setApiKeyAsNobody({ HOME: dir, THOTH_HOME: home });
      assert.equal(run.code, 1, run.err);
      assert.match(run.err, new RegExp(`"${home}" is writable by ${says}`));
      assert.equal(await exists(`${home}/proxy_api_key.json`), false);
    }
    // The profile is the user's own and private, but its sessions/ is another user's (not root).
    const home = `${dir}/sessions-foreign`;
    await Deno.mkdir(`${home}/sessions`, { recursive: true });
    await Deno.chown(`${home}/sessions`, 4444, 4444);
    await Deno.chmod(`${home}/sessions`, 0o700);
    await Deno.chown(home, NOBODY.uid, NOBODY.gid);
    await Deno.chmod(home, 0o700);
    const run = await setApiKeyAsNobody({ HOME: dir, THOTH_HOME: home });
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, new RegExp(`"${home}/sessions" is owned by uid 4444`));
    // The user's own new profile is fine (the check can pass).
    await Deno.mkdir(`${dir}/own`, { mode: 0o700 });
    await Deno.chown(`${dir}/own`, NOBODY.uid, NOBODY.gid);
    const fresh = await setApiKeyAsNobody({ HOME: `${dir}/own`, THOTH_HOME: `${dir}/own/fresh` });
    assert.equal(fresh.code, 0, fresh.err);
    assert.equal(
      JSON.parse(await Deno.readTextFile(`${dir}/own/fresh/proxy_api_key.json`)).api_key,
      KEY,
    );
  },
});

/**
 * Runs `thoth set-api-key --api-key -` at a terminal (util-linux `script`
 * gives it one); once it asks, types `typed`, then a Ctrl-D a little later;
 * returns everything the terminal showed and the exit code.
 */
async function setApiKeyAtTerminal(home: string, typed: string) {
  const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
  const command = thothArgv(["set-api-key", "--api-key", "-"]).map(quote).join(" ");
  const child = new Deno.Command("script", {
    args: ["-qefc", command, "/dev/null"],
    clearEnv: true,
    env: { ...CLEAN_ENV, THOTH_HOME: home, HOME: home, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let shown = "";
  try {
    // Typed only once thoth asks: what is typed before that, the terminal shows.
    while (!shown.includes("paste the API key")) {
      const { value, done } = await reader.read();
      assert.ok(!done, `no prompt: ${shown}`);
      shown += decoder.decode(value, { stream: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writer.write(new TextEncoder().encode(typed));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Ends the older reader, which waited for it; by now, this one has gone.
    await writer.write(new TextEncoder().encode("\x04")).catch(() => {/* it has ended */});
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      shown += decoder.decode(value, { stream: true });
    }
    await writer.close().catch(() => {});
    return { code: (await child.status).code, shown };
  } finally {
    clearTimeout(timer);
  }
}

Deno.test({
  name: "set-api-key --api-key - at a terminal does not show the key as it is typed",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-set-key-tty-");
    // A typo taken back with Backspace, then Enter.
    const { code, shown } = await setApiKeyAtTerminal(`${dir}/home`, `${KEY}x\x7f\r`);
    assert.equal(code, 0, shown);
    assert.ok(!shown.includes(KEY.slice(0, 12)), `the key was shown: ${JSON.stringify(shown)}`);
    assert.match(shown, /saved API key [0-9a-f]+ to/);
    assert.equal(
      JSON.parse(await Deno.readTextFile(`${dir}/home/proxy_api_key.json`)).api_key,
      KEY,
    );
  },
});

Deno.test({
  name: "set-api-key --api-key - at a terminal is cancelled by Ctrl-C, saving nothing",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-set-key-tty-");
    const { code, shown } = await setApiKeyAtTerminal(`${dir}/home`, `${KEY}\x03`);
    assert.equal(code, 130, shown);
    assert.ok(!shown.includes(KEY.slice(0, 12)), `the key was shown: ${JSON.stringify(shown)}`);
    assert.match(shown, /cancelled: no API key was saved/);
    assert.equal(await exists(`${dir}/home/proxy_api_key.json`), false);
  },
});

Deno.test("set-api-key --api-key - stops reading standard input past 64 KiB", async () => {
  const dir = await tempFolder("thoth-set-key-big-");
  const [deno, ...args] = thothArgv(["set-api-key", "--api-key", "-"]);
  const child = new Deno.Command(deno!, {
    args,
    clearEnv: true,
    env: { ...CLEAN_ENV, THOTH_HOME: `${dir}/home`, HOME: dir },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // 64 MiB, far more than a key: thoth must leave before it is all written.
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  const writer = child.stdin.getWriter();
  let written = 0;
  try {
    for (; written < 64; written++) await writer.write(chunk);
    await writer.close();
  } catch {
    // The reader went away: what this test wants.
  }
  const output = await child.output();
  const err = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 2, err);
  assert.match(err, /the API key on standard input is too long/);
  assert.ok(written < 64, "all 64 MiB of standard input were read");
  assert.equal(await exists(`${dir}/home/proxy_api_key.json`), false);
});

Deno.test({
  name: "set-api-key as root with a user's HOME saves to THOTH_API_KEY_FILE without a profile",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-set-key-");
    const userHome = `${dir}/ana`;
    await Deno.mkdir(userHome);
    await Deno.chown(userHome, NOBODY.uid, NOBODY.gid);
    const safe = await tempFolder("thoth-root-key-");
    const keyFile = `${safe}/proxy_api_key.json`;
    const run = await runThoth(["set-api-key", "--api-key", "-"], {
      env: { HOME: userHome, THOTH_API_KEY_FILE: keyFile },
      cwd: safe,
      stdin: `${KEY}\n`,
    });
    assert.equal(run.code, 0, run.err);
    assert.equal(JSON.parse(await Deno.readTextFile(keyFile)).api_key, KEY);
    assert.deepEqual([...Deno.readDirSync(userHome)], [], "nothing made in the user's home");
  },
});

async function setApiKeyIn(home: string, env: Record<string, string>) {
  const io = fakeIo(home, env);
  const program = new Command("thoth").addCommand(
    setApiKeyCommand(io, () => Promise.resolve(`${KEY}\n`)),
  );
  const code = await runProgram("thoth", program, ["set-api-key", "--api-key", "-"], io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join("") };
}

Deno.test("set-api-key refuses a THOTH_API_KEY_FILE that names a folder, making nothing", async () => {
  const dir = await tempFolder("thoth-set-key-folder-");
  const home = `${dir}/home`;
  await Deno.mkdir(`${dir}/keys`);
  const folder = await setApiKeyIn(home, { THOTH_API_KEY_FILE: `${dir}/keys` });
  assert.equal(folder.code, 1, folder.stderr);
  assert.equal(
    folder.stderr.split("\n")[0],
    `thoth: error: THOTH_API_KEY_FILE must name a file, such as "${dir}/keys/proxy_api_key.json": ` +
      `"${dir}/keys" is a folder`,
  );
  assert.doesNotMatch(folder.stderr, /os error|rename/);
  assert.deepEqual([...Deno.readDirSync(`${dir}/keys`)], []);
  const slash = await setApiKeyIn(home, { THOTH_API_KEY_FILE: `${dir}/new/` });
  assert.equal(slash.code, 1, slash.stderr);
  // Nothing is there: the path only ends in "/", it is not said to be a folder.
  assert.equal(
    slash.stderr.split("\n")[0],
    `thoth: error: THOTH_API_KEY_FILE must name a file, such as "${dir}/new/proxy_api_key.json": ` +
      `"${dir}/new/" ends in / (names a folder)`,
  );
  assert.equal(await exists(`${dir}/new`), false, "no folder left behind");
  // A folder that is there, named with a "/": it is one.
  const both = await setApiKeyIn(home, { THOTH_API_KEY_FILE: `${dir}/keys/` });
  assert.equal(both.code, 1, both.stderr);
  assert.match(both.stderr.split("\n")[0]!, new RegExp(`: "${dir}/keys/" is a folder$`));
});
