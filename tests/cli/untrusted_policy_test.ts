/**
 * A policy or intent map another user can change is not governed with: the
 * real `thoth run`, `thoth doctor --json`, `thoth policy explain` and `thoth
 * policy check`, run by the profile's owner (uid 65534), refuse a
 * `policy.jsonc` another user (uid 4444) wrote into a profile everyone may
 * write to, and go on refusing it once the folder is private (its owner is
 * still the other user), each in the same words, with a remedy that works
 * when pasted. So for the intent map, and for a `--policy FILE` another user
 * owns or may replace (the rule `THOTH_API_KEY_FILE` follows).
 *
 * The cases need two users who are not root: they run as root with
 * /usr/bin/setpriv, and are skipped (ignored, with the reason in their name)
 * otherwise.
 */
import assert from "node:assert/strict";
import {
  CAN_RUN_AS_NOBODY,
  NEEDS_TWO_USERS,
  NOBODY,
  sharedRoot,
  thothAsNobody,
} from "./_thoth_as_nobody.ts";

/** Another user, who writes into the profile's owner's files. */
const OTHER = 4444;
/** A policy that allows everything and looks for nothing. */
const OPEN_POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [],
  detectors: { secrets: "off", phi: "off", pii: "off" },
});
const KEY_ARGS = '{"k":"AKIAQ3EGRBPSXLYH7TNU"}';

/** A home folder and a profile (`mode`) of uid 65534, in a folder root made. */
async function nobodysProfile(mode: number): Promise<{ env: Record<string, string> }> {
  const root = await sharedRoot("thoth-untrusted-policy-");
  const home = `${root}/home`;
  const profile = `${root}/profile`;
  for (const folder of [home, profile]) {
    await Deno.mkdir(folder);
    await Deno.chown(folder, NOBODY.uid, NOBODY.gid);
  }
  await Deno.chmod(profile, mode);
  return { env: { HOME: home, THOTH_HOME: profile } };
}

/** Writes `text` to `path` as uid `uid` would have, mode 0644. */
async function writeAs(path: string, text: string, uid: number): Promise<void> {
  await Deno.writeTextFile(path, text, { mode: 0o644 });
  await Deno.chmod(path, 0o644);
  await Deno.chown(path, uid, uid);
}

/** Runs `command` in /bin/sh as uid 65534. */
async function shellAsNobody(command: string): Promise<void> {
  const output = await new Deno.Command("/usr/bin/setpriv", {
    args: [
      `--reuid=${NOBODY.uid}`,
      `--regid=${NOBODY.gid}`,
      "--clear-groups",
      "/bin/sh",
      "-c",
      command,
    ],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin" },
  }).output();
  assert.ok(output.success, `${command}: ${new TextDecoder().decode(output.stderr)}`);
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
  const checks = (JSON.parse(run.out) as { checks: Check[] }).checks;
  const check = checks.find((c) => c.id === id);
  assert.ok(check !== undefined, run.out);
  return check;
}

/** The `thoth: error:` line of `err`, without its prefix, and its first hint. */
function errorOf(err: string): { message: string; hint: string | undefined } {
  const message = /^thoth: error: (.*)$/m.exec(err)?.[1];
  assert.ok(message !== undefined, err);
  return { message, hint: /^thoth: hint: (.*)$/m.exec(err)?.[1] };
}

const EXPLAIN = ["policy", "explain", "--server", "s", "--tool", "delete_everything"];

Deno.test({
  name: "a policy another user wrote into the profile is refused by run, doctor and policy, " +
    "before and after the folder is made private" + NEEDS_TWO_USERS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env } = await nobodysProfile(0o777);
    const profile = env.THOTH_HOME!;
    const policy = `${profile}/policy.jsonc`;
    await writeAs(policy, OPEN_POLICY, OTHER);

    // The folder everyone may write to: refused, whoever owns the file.
    const run = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env });
    assert.notEqual(run.code, 0, run.err);
    const refused = errorOf(run.err);
    assert.match(
      refused.message,
      new RegExp(
        `^not using the policy "${profile}/policy\\.jsonc": its folder "${profile}" is ` +
          "writable by every user \\(mode 0777\\)",
      ),
    );
    assert.equal(refused.hint?.startsWith(`make the profile its owner's alone: chmod 700 '`), true);
    const check = await doctorCheck(env, "policy");
    assert.equal(check.status, "fail", check.message);
    assert.equal(check.message, refused.message);
    assert.equal(check.hint, refused.hint);
    const explain = await thothAsNobody([...EXPLAIN, "--args", KEY_ARGS], { env });
    assert.equal(explain.code, 1, explain.out);
    assert.equal(explain.out, "");
    assert.equal(errorOf(explain.err).message, refused.message);
    const summary = await thothAsNobody(["policy", "check"], { env });
    assert.equal(summary.code, 1, summary.out);
    assert.equal(errorOf(summary.err).message, refused.message);

    // The remedy, pasted as given: the folder is private, and the file is still another user's.
    await shellAsNobody(
      refused.hint!.replace(/^make the profile its owner's alone: /, "")
        .replace(/ \(a file another .*$/, ""),
    );
    assert.equal((await Deno.stat(profile)).mode! & 0o777, 0o700);
    const still = await doctorCheck(env, "policy");
    assert.equal(still.status, "fail", still.message);
    assert.match(
      still.message,
      new RegExp(`it is owned by uid ${OTHER}, not you \\(uid ${NOBODY.uid}\\) or root`),
    );
    const again = await thothAsNobody([...EXPLAIN, "--args", KEY_ARGS], { env });
    assert.equal(again.code, 1, again.out);
    assert.equal(errorOf(again.err).message, still.message);
    assert.equal(errorOf(again.err).hint, still.hint);

    // Its removal, as the hint says: the default policy governs, and the key is seen.
    const removal = /^remove it \((rm -f '[^']+')\)/.exec(still.hint ?? "")?.[1];
    assert.ok(removal !== undefined, still.hint ?? "");
    await shellAsNobody(removal);
    const fixed = await doctorCheck(env, "policy");
    assert.equal(fixed.status, "pass", fixed.message);
    const explained = await thothAsNobody([...EXPLAIN, "--args", KEY_ARGS, "--json"], { env });
    assert.equal(explained.code, 0, explained.err);
    assert.notEqual((JSON.parse(explained.out) as { verdict: string }).verdict, "allow");
  },
});

Deno.test({
  name: "an intent map another user wrote into a private profile is refused by run, doctor " +
    "and policy explain" + NEEDS_TWO_USERS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env } = await nobodysProfile(0o700);
    const profile = env.THOTH_HOME!;
    const policy = JSON.stringify({
      version: 1,
      default: "allow",
      intents: { wide: { tools: ["*"] } },
    });
    await writeAs(`${profile}/policy.jsonc`, policy, NOBODY.uid);
    await writeAs(`${profile}/intent_map.json`, '{"s": "wide"}', OTHER);

    const run = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env });
    assert.notEqual(run.code, 0, run.err);
    const refused = errorOf(run.err);
    assert.match(
      refused.message,
      new RegExp(
        `^not using the intent map "${profile}/intent_map\\.json": it is owned by uid ${OTHER}`,
      ),
    );
    const check = await doctorCheck(env, "intent_map");
    assert.equal(check.status, "fail", check.message);
    assert.ok(check.message.startsWith(refused.message), check.message);
    assert.equal(check.hint, refused.hint);
    const explain = await thothAsNobody(EXPLAIN, { env });
    assert.equal(explain.code, 1, explain.out);
    assert.equal(errorOf(explain.err).message, refused.message);
    // The policy itself is the owner's: it passes.
    assert.equal((await doctorCheck(env, "policy")).status, "pass");
  },
});

Deno.test({
  name: "a --policy file another user owns or may replace is refused by run and policy explain, " +
    "and one of the user's own in a sticky folder is used" + NEEDS_TWO_USERS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env } = await nobodysProfile(0o700);
    const root = await sharedRoot("thoth-named-policy-");
    const cases: { folderMode: number; owner: number; why: RegExp | null }[] = [
      // Another user's file in root's folder.
      {
        folderMode: 0o755,
        owner: OTHER,
        why: new RegExp(`it is owned by uid ${OTHER}, not you \\(uid ${NOBODY.uid}\\) or root`),
      },
      // The user's own file, in a folder anyone may replace it in.
      { folderMode: 0o777, owner: NOBODY.uid, why: /its folder "[^"]+" is 0777: other users can/ },
      // The user's own file in a sticky folder (like /tmp): no one else may replace it.
      { folderMode: 0o1777, owner: NOBODY.uid, why: null },
    ];
    for (const [i, { folderMode, owner, why }] of cases.entries()) {
      const folder = `${root}/f${i}`;
      await Deno.mkdir(folder);
      await Deno.chmod(folder, folderMode);
      const file = `${folder}/p.jsonc`;
      await writeAs(file, OPEN_POLICY, owner);
      const explain = await thothAsNobody(
        [...EXPLAIN, "--args", KEY_ARGS, "--policy", file, "--json"],
        { env },
      );
      if (why === null) {
        assert.equal(explain.code, 0, explain.err);
        assert.equal((JSON.parse(explain.out) as { verdict: string }).verdict, "allow");
        continue;
      }
      assert.equal(explain.code, 1, explain.out);
      const refused = errorOf(explain.err);
      assert.ok(
        refused.message.startsWith(`not using the policy "${file}" (given with --policy): `),
        refused.message,
      );
      assert.match(refused.message, why);
      const run = await thothAsNobody(
        ["run", "--agent-id", "s", "--policy", file, "--", "cat"],
        { env },
      );
      assert.notEqual(run.code, 0, run.err);
      assert.equal(errorOf(run.err).message, refused.message);
    }
  },
});
