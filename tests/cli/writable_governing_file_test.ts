/**
 * A policy, an intent map or a credential file that its group or every user
 * may write to is not used, whoever owns it: another user could rewrite it
 * between two sessions. The real `thoth run`, `thoth policy check`, `thoth
 * policy explain`, `thoth doctor --json` and `thoth status --check`, run by
 * a user who is not root (uid 65534), refuse it in the same words, with a
 * `chmod go-w` that, pasted, makes the file usable; another user (uid 4444)
 * shows the write is real.
 *
 * The cases need two users who are not root: they run as root with
 * /usr/bin/setpriv, and are skipped (ignored, with the reason in their name)
 * otherwise.
 */
import assert from "node:assert/strict";
import {
  CAN_RUN_AS_NOBODY,
  EXPLAIN_DELETE as EXPLAIN,
  NEEDS_TWO_USERS as NEEDS,
  NOBODY,
  OPEN_POLICY,
  OTHER_UID as OTHER,
  sharedRoot,
  shellAs,
  STRICT_POLICY,
  thothAsNobody,
} from "./_thoth_as_nobody.ts";

/** Writes `text` to `path`, owned by `uid` and group `gid`, with `mode`. */
async function place(path: string, text: string, uid: number, gid: number, mode: number) {
  await Deno.writeTextFile(path, text);
  await Deno.chown(path, uid, gid);
  await Deno.chmod(path, mode);
}

/** A home and a private profile of uid 65534 in a folder root made; the folder too. */
async function nobodysProfile(): Promise<{ root: string; env: Record<string, string> }> {
  const root = await sharedRoot("thoth-writable-policy-");
  const home = `${root}/home`;
  const profile = `${home}/.thoth`;
  await Deno.mkdir(profile, { recursive: true });
  for (const folder of [home, profile]) await Deno.chown(folder, NOBODY.uid, NOBODY.gid);
  await Deno.chmod(home, 0o755);
  await Deno.chmod(profile, 0o700);
  return { root, env: { HOME: home, THOTH_HOME: profile } };
}

/** The `thoth: error:` line of `err`, without its prefix, and its first hint. */
function errorOf(err: string): { message: string; hint: string } {
  const message = /^thoth: error: (.*)$/m.exec(err)?.[1];
  assert.ok(message !== undefined, err);
  return { message, hint: /^thoth: hint: (.*)$/m.exec(err)?.[1] ?? "" };
}

/** The `chmod go-w '…'` a hint gives, as it would be pasted. */
function chmodOf(hint: string): string {
  const command = /chmod go-w '[^']+'/.exec(hint)?.[0];
  assert.ok(command !== undefined, hint);
  return command;
}

interface Check {
  id: string;
  status: string;
  message: string;
  hint: string | null;
}

/** `thoth doctor --json` as uid 65534: the check `id`. */
async function doctorCheck(env: Record<string, string>, id: string): Promise<Check> {
  const run = await thothAsNobody(["doctor", "--json"], { env });
  const check = (JSON.parse(run.out) as { checks: Check[] }).checks.find((c) => c.id === id);
  assert.ok(check !== undefined, run.out);
  return check;
}

Deno.test({
  name: "a --policy file of root's that every user may write to is refused by policy " +
    "explain, policy check and run, and used once the hint's chmod is run" + NEEDS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { root, env } = await nobodysProfile();
    const etc = `${root}/etc`;
    await Deno.mkdir(etc, { mode: 0o755 });
    const strict = `${etc}/strict.jsonc`;
    await place(strict, STRICT_POLICY, 0, 0, 0o666);

    const explain = await thothAsNobody([...EXPLAIN, "--policy", strict], { env });
    assert.equal(explain.code, 1, explain.out);
    const refused = errorOf(explain.err);
    assert.equal(
      refused.message,
      `not using the policy "${strict}" (given with --policy): it is 0666: every user can ` +
        "write to it and decide what it says, so thoth cannot trust it",
    );
    assert.ok(
      refused.hint.startsWith(
        "read it (another user may have changed it), then make it writable by its owner " +
          `alone as root: chmod go-w '${strict}'; or `,
      ),
      refused.hint,
    );

    // Another user can indeed rewrite it: thoth run must not govern with what they wrote.
    assert.ok(await shellAs(OTHER, `printf '%s' '${OPEN_POLICY}' > '${strict}'`));
    const run = await thothAsNobody(
      ["run", "--agent-id", "s", "--policy", strict, "--", "cat"],
      { env },
    );
    assert.notEqual(run.code, 0, run.err);
    assert.equal(errorOf(run.err).message, refused.message);
    const check = await thothAsNobody(["policy", "check", strict], { env });
    assert.equal(check.code, 1, check.out);
    assert.equal(errorOf(check.err).message, refused.message);

    // Read (and put back), then the chmod the hint gives, run by its owner: it is used.
    await Deno.writeTextFile(strict, STRICT_POLICY);
    assert.ok(await shellAs(0, chmodOf(refused.hint)));
    assert.equal((await Deno.stat(strict)).mode! & 0o777, 0o644);
    const used = await thothAsNobody([...EXPLAIN, "--policy", strict], { env });
    assert.equal(used.code, 0, used.err);
    assert.equal((JSON.parse(used.out) as { verdict: string }).verdict, "block");
  },
});

Deno.test({
  name: "a --policy file its group may write to is refused, whoever is in the group; one only " +
    "its owner may write to is used" + NEEDS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { root, env } = await nobodysProfile();
    const etc = `${root}/etc`;
    await Deno.mkdir(etc, { mode: 0o755 });
    const cases: { owner: number; group: number; mode: number; refused: boolean }[] = [
      // Root's, in a group another user is in (as every user is in staff on macOS).
      { owner: 0, group: OTHER, mode: 0o664, refused: true },
      // The user's own, in its own group: a POSIX ACL may let others write through the group's bits.
      { owner: NOBODY.uid, group: NOBODY.gid, mode: 0o660, refused: true },
      // Writable by its owner alone: used, whoever may read it.
      { owner: 0, group: OTHER, mode: 0o644, refused: false },
      { owner: NOBODY.uid, group: NOBODY.gid, mode: 0o640, refused: false },
    ];
    for (const [i, { owner, group, mode, refused }] of cases.entries()) {
      const file = `${etc}/p${i}.jsonc`;
      await place(file, STRICT_POLICY, owner, group, mode);
      const explain = await thothAsNobody([...EXPLAIN, "--policy", file], { env });
      if (!refused) {
        assert.equal(explain.code, 0, `${mode.toString(8)}: ${explain.err}`);
        continue;
      }
      assert.equal(explain.code, 1, explain.out);
      assert.equal(
        errorOf(explain.err).message,
        `not using the policy "${file}" (given with --policy): it is 0${mode.toString(8)}: ` +
          "any member of its group can write to it and decide what it says, so thoth " +
          "cannot trust it",
      );
    }
  },
});

Deno.test({
  name: "a profile policy and intent map others may write to are refused alike by run, " +
    "doctor, policy explain and status --check" + NEEDS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env } = await nobodysProfile();
    const home = env.HOME!;
    const profile = env.THOTH_HOME!;
    const config = `${home}/c.json`;
    await place(
      config,
      JSON.stringify({ mcpServers: { s: { command: "/bin/cat", args: ["-u"] } } }),
      NOBODY.uid,
      NOBODY.gid,
      0o600,
    );
    const wrap = await thothAsNobody(["wrap-config", config], { env });
    assert.equal(wrap.code, 0, wrap.err);
    const policy = `${profile}/policy.jsonc`;
    await place(policy, STRICT_POLICY, NOBODY.uid, NOBODY.gid, 0o666);

    const run = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env });
    assert.notEqual(run.code, 0, run.err);
    const refused = errorOf(run.err);
    assert.equal(
      refused.message,
      `not using the policy "${policy}": it is 0666: every user can write to it and decide ` +
        "what it says, so thoth cannot trust it",
    );
    const check = await doctorCheck(env, "policy");
    assert.equal(check.status, "fail");
    assert.equal(check.message, refused.message);
    assert.equal(check.hint, refused.hint);
    const explain = await thothAsNobody(EXPLAIN, { env });
    assert.equal(explain.code, 1, explain.out);
    assert.equal(errorOf(explain.err).message, refused.message);
    const status = await thothAsNobody(["status", "--check", "--config", config], { env });
    assert.equal(status.code, 1, status.out + status.err);
    assert.ok(
      (status.out + status.err).includes(`thoth run will refuse to start: ${refused.message}`),
      status.out + status.err,
    );

    // The chmod the hint gives, pasted by the user: the policy governs again.
    assert.ok(await shellAs(NOBODY.uid, chmodOf(refused.hint)));
    assert.equal((await doctorCheck(env, "policy")).status, "pass");
    const fixed = await thothAsNobody(["status", "--check", "--config", config], { env });
    assert.equal(fixed.code, 0, fixed.out + fixed.err);

    // So for the intent map, its group's write alone.
    const map = `${profile}/intent_map.json`;
    await place(map, "{}", NOBODY.uid, NOBODY.gid, 0o620);
    const mapRun = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env });
    assert.notEqual(mapRun.code, 0, mapRun.err);
    const mapRefused = errorOf(mapRun.err);
    assert.equal(
      mapRefused.message,
      `not using the intent map "${map}": it is 0620: any member of its group can write to ` +
        "it and decide what it says, so thoth cannot trust it",
    );
    const mapCheck = await doctorCheck(env, "intent_map");
    assert.equal(mapCheck.status, "fail");
    assert.ok(mapCheck.message.startsWith(mapRefused.message), mapCheck.message);
    const mapStatus = await thothAsNobody(["status", "--check", "--config", config], { env });
    assert.equal(mapStatus.code, 1, mapStatus.out + mapStatus.err);
    assert.ok(
      (mapStatus.out + mapStatus.err).includes(mapRefused.message),
      mapStatus.out + mapStatus.err,
    );
  },
});

Deno.test({
  name: "a key file THOTH_API_KEY_FILE names that its group or every user may write to is " +
    "not used" + NEEDS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { root, env } = await nobodysProfile();
    const etc = `${root}/etc`;
    await Deno.mkdir(etc, { mode: 0o755 });
    const key = `${etc}/key.json`;
    await place(key, '{"api_key": "aten_thoth_agent_prod_0123456789"}', 0, 0, 0o666);
    const named = { ...env, THOTH_API_KEY_FILE: key };

    const check = await doctorCheck(named, "credentials");
    assert.equal(check.status, "fail");
    assert.equal(
      check.message,
      `not using the THOTH_API_KEY_FILE "${key}": it is 0666: every user can write to it and ` +
        "change the credential thoth presents, so thoth cannot trust it",
    );
    assert.ok(await shellAs(0, chmodOf(check.hint ?? "")));
    const fixed = await doctorCheck(named, "credentials");
    assert.equal(fixed.status, "pass", fixed.message);

    // The user's own key file, writable by its own group: refused as well.
    const own = `${etc}/own.json`;
    await place(
      own,
      '{"api_key": "aten_thoth_agent_prod_0123456789"}',
      NOBODY.uid,
      NOBODY.gid,
      0o660,
    );
    const ownCheck = await doctorCheck({ ...env, THOTH_API_KEY_FILE: own }, "credentials");
    assert.equal(ownCheck.status, "fail");
    assert.match(ownCheck.message, /: it is 0660: any member of its group can write to it and/);
  },
});
