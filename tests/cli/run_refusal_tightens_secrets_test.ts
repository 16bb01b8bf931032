/**
 * `thoth run` makes the profile's secrets that others can read 0600 before
 * it checks anything (`tighten_existing_secrets.ts`): a session it refuses
 * (a tenant without `THOTH_USER_ID`, the product reference's own example of
 * a session intent; a flag it refuses) leaves no key others can read behind
 * (it left `proxy_api_key.json` 0644 before). It creates nothing, writes
 * nothing on stdout but the refusal, says what it did once on stderr, skips
 * a FIFO in the place of the key without waiting on it, changes nothing
 * under a `THOTH_HOME` that is not an absolute path, and leaves a key root
 * placed 0644 as it is, the refusal still saying only what it said.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { initializeLine } from "../e2e/_harness.ts";
import { runThoth } from "./_thoth_process.ts";
import { CAN_RUN_AS_NOBODY, NOBODY, sharedRoot, thothAsNobody } from "./_thoth_as_nobody.ts";

const INITIALIZE = initializeLine();
const KEY_TEXT = JSON.stringify({ api_key: "aten_thoth_agent_prod_0123456789" });
const NO_USER = [
  'thoth: error: THOTH_USER_ID is not set, and governed runs for tenant "acme" need it',
  'thoth: hint: export THOTH_USER_ID="you@company.com", or add it to the server\'s "env" block',
];

/** A home with a profile folder (0755) holding only an API key file of mode 0644. */
async function profileWithOpenKey(): Promise<{ home: string; profile: string; key: string }> {
  const home = await tempFolder("thoth-run-tighten-");
  const profile = `${home}/.thoth`;
  await Deno.mkdir(profile);
  await Deno.chmod(profile, 0o755);
  const key = `${profile}/proxy_api_key.json`;
  await Deno.writeTextFile(key, KEY_TEXT);
  await Deno.chmod(key, 0o644);
  return { home, profile, key };
}

async function modeOf(path: string): Promise<number> {
  return ((await Deno.lstat(path)).mode ?? 0) & 0o777;
}

async function names(folder: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(folder)) found.push(entry.name);
  return found.sort();
}

function notice(path: string): string {
  return `thoth: tightened the permissions of "${path}" from 0644 to 0600: it holds a secret`;
}

/** Whether `out` is the one answer a refused session gives the client's initialize. */
function oneRefusalAnswer(out: string): boolean {
  const lines = out.split("\n").filter((line) => line !== "");
  const answer = JSON.parse(lines[0] ?? "{}") as { id?: unknown; error?: unknown };
  return lines.length === 1 && answer.id === 1 && answer.error !== undefined;
}

Deno.test("thoth run refused for a tenant without THOTH_USER_ID still makes the key file 0600", async () => {
  const { home, profile, key } = await profileWithOpenKey();
  const run = await runThoth(["run", "--agent-id", "e", "--", "cat"], {
    env: { HOME: home, THOTH_TENANT_ID: "acme" },
    cwd: home,
    stdin: INITIALIZE,
  });
  assert.equal(run.code, 1, run.err);
  assert.equal(await modeOf(key), 0o600, run.err);
  assert.equal(run.err, [notice(key), ...NO_USER, ""].join("\n"), "said once, then the refusal");
  assert.ok(oneRefusalAnswer(run.out), run.out);
  assert.equal(await Deno.readTextFile(key), KEY_TEXT);
  // Nothing set up: the refusal comes before the profile's set-up.
  assert.deepEqual(await names(profile), ["proxy_api_key.json"]);
  assert.equal(await modeOf(profile), 0o755, "folders are left as they are, as the set-up does");
});

Deno.test("thoth run refused for a bad --enforcement-mode makes the key 0600, not under a relative THOTH_HOME", async () => {
  const { home, key } = await profileWithOpenKey();
  const args = ["run", "--agent-id", "e", "--enforcement-mode", "bogus", "--", "cat"];
  // A THOTH_HOME that is not an absolute path names no profile: nothing is changed through it.
  const relative = await runThoth(args, {
    env: { HOME: home, THOTH_HOME: ".thoth", THOTH_USER_ID: "a@b.com" },
    cwd: home,
    stdin: INITIALIZE,
  });
  assert.equal(relative.code, 2, relative.err);
  assert.equal(await modeOf(key), 0o644, relative.err);
  assert.doesNotMatch(relative.err, /tightened/);
  const run = await runThoth(args, {
    env: { HOME: home, THOTH_USER_ID: "a@b.com" },
    cwd: home,
    stdin: INITIALIZE,
  });
  assert.equal(run.code, 2, run.err);
  assert.equal(await modeOf(key), 0o600, run.err);
  const lines = run.err.split("\n");
  assert.equal(lines[0], notice(key));
  assert.match(
    lines[1] ?? "",
    /^thoth: error: option '--enforcement-mode <mode>' argument 'bogus'/,
  );
  assert.equal(run.err.split("tightened").length, 2, "said once");
  assert.ok(oneRefusalAnswer(run.out), run.out);
});

Deno.test({
  name:
    "thoth run refused skips a FIFO in the place of the key without waiting, and tightens a session file",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const { home, profile, key } = await profileWithOpenKey();
    await Deno.remove(key);
    const made = await new Deno.Command("mkfifo", { args: ["-m", "644", key] }).output();
    assert.ok(made.success);
    await Deno.mkdir(`${profile}/sessions`, { mode: 0o700 });
    const session = `${profile}/sessions/acme.jwt`;
    await Deno.writeTextFile(session, "header.payload.signature");
    await Deno.chmod(session, 0o644);
    const run = await runThoth(["run", "--agent-id", "e", "--", "cat"], {
      env: { HOME: home, THOTH_TENANT_ID: "acme" },
      cwd: home,
      stdin: INITIALIZE,
      timeoutMs: 30_000,
    });
    assert.equal(run.code, 1, run.err);
    assert.equal(run.err, [notice(session), ...NO_USER, ""].join("\n"));
    assert.equal(await modeOf(session), 0o600);
    const fifo = await Deno.lstat(key);
    assert.ok(fifo.isFifo, "left where it was");
    assert.equal((fifo.mode ?? 0) & 0o777, 0o644, "no plain file: not a secret thoth opens");
    assert.ok(oneRefusalAnswer(run.out), run.out);
  },
});

Deno.test({
  name: "thoth run refused leaves root's 0644 key as it is, says the same refusal, and tightens " +
    "the user's own session file (needs root and /usr/bin/setpriv to act as a user who is not " +
    "root: skipped otherwise)",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const root = await sharedRoot("thoth-run-tighten-root-");
    const home = `${root}/home`;
    await Deno.mkdir(home);
    await Deno.chown(home, NOBODY.uid, NOBODY.gid);
    // A profile root manages: root's folder, the user's sessions folder, root's key file.
    const profile = `${root}/thoth`;
    await Deno.mkdir(profile);
    await Deno.chmod(profile, 0o755);
    await Deno.mkdir(`${profile}/sessions`);
    await Deno.chown(`${profile}/sessions`, NOBODY.uid, NOBODY.gid);
    await Deno.chmod(`${profile}/sessions`, 0o700);
    const key = `${profile}/proxy_api_key.json`;
    await Deno.writeTextFile(key, KEY_TEXT);
    await Deno.chmod(key, 0o644);
    const session = `${profile}/sessions/acme.jwt`;
    await Deno.writeTextFile(session, "header.payload.signature");
    await Deno.chown(session, NOBODY.uid, NOBODY.gid);
    await Deno.chmod(session, 0o644);
    const run = await thothAsNobody(["run", "--agent-id", "e", "--", "cat"], {
      env: { HOME: home, THOTH_HOME: profile, THOTH_TENANT_ID: "acme" },
      stdin: INITIALIZE,
    });
    assert.equal(run.code, 1, run.err);
    assert.equal(await modeOf(session), 0o600, run.err);
    const info = await Deno.lstat(key);
    assert.equal(info.uid, 0);
    assert.equal((info.mode ?? 0) & 0o777, 0o644, "not the user's to change");
    // The refusal says what it said; the key is not named (only the profile's set-up judges it).
    assert.equal(run.err, [notice(session), ...NO_USER, ""].join("\n"));
    assert.ok(oneRefusalAnswer(run.out), run.out);
  },
});

Deno.test("thoth run refused before its session starts (a flag given twice, no command) makes the key 0600 too", async () => {
  for (
    const args of [
      ["run", "--agent-id", "a", "--agent-id", "b", "--", "cat"],
      ["run", "--agent-id", "e"],
    ]
  ) {
    const { home, profile, key } = await profileWithOpenKey();
    const run = await runThoth(args, { env: { HOME: home }, cwd: home, stdin: INITIALIZE });
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.err}`);
    assert.equal(await modeOf(key), 0o600, `${args.join(" ")}: ${run.err}`);
    assert.ok(run.err.startsWith(`${notice(key)}\n`), run.err);
    assert.equal(run.err.split(notice(key)).length, 2, `said once: ${run.err}`);
    assert.deepEqual(await names(profile), ["proxy_api_key.json"]);
  }
});
