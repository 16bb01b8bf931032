/**
 * A `--policy FILE` (and a `THOTH_API_KEY_FILE`) is judged over its whole
 * path, not only its last part and its own folder: a link another user owns
 * on any part of it, a folder above it another user owns, or one every user
 * may write to without the sticky bit, lets that user point the path at a
 * policy of their choosing. The real `thoth policy explain`, `thoth policy
 * check` and `thoth run`, run by a user who is not root (uid 65534), refuse
 * such a path in the same words; the user's own link, and root's, to a
 * root-owned managed policy are followed as before.
 *
 * The cases need two users who are not root: they run as root with
 * /usr/bin/setpriv, and are skipped (ignored, with the reason in their name)
 * otherwise.
 */
import assert from "node:assert/strict";
import { lchownSync } from "node:fs";
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

/** Makes `path` a folder of `uid` with `mode`. */
async function folder(path: string, uid: number, mode: number): Promise<void> {
  await Deno.mkdir(path);
  await Deno.chown(path, uid, uid);
  await Deno.chmod(path, mode);
}

/** Writes `text` to `path`, owned by `uid`, mode 0644. */
async function file(path: string, text: string, uid: number): Promise<void> {
  await Deno.writeTextFile(path, text);
  await Deno.chown(path, uid, uid);
  await Deno.chmod(path, 0o644);
}

/** Makes `path` a link to `target` owned by `uid`. */
async function link(target: string, path: string, uid: number): Promise<void> {
  await Deno.symlink(target, path);
  lchownSync(path, uid, uid);
}

/**
 * A folder root made (0755) holding a private profile of uid 65534 and a
 * managed folder of root's with an allow-all policy, `managed/policy.jsonc`.
 */
async function setting(): Promise<{ root: string; managed: string; env: Record<string, string> }> {
  const root = await sharedRoot("thoth-named-policy-path-");
  await folder(`${root}/home`, NOBODY.uid, 0o755);
  await folder(`${root}/home/.thoth`, NOBODY.uid, 0o700);
  const managed = `${root}/managed`;
  await folder(managed, 0, 0o755);
  await file(`${managed}/policy.jsonc`, OPEN_POLICY, 0);
  return { root, managed, env: { HOME: `${root}/home`, THOTH_HOME: `${root}/home/.thoth` } };
}

/** The `thoth: error:` line of `err`, without its prefix. */
function errorOf(err: string): string {
  const message = /^thoth: error: (.*)$/m.exec(err)?.[1];
  assert.ok(message !== undefined, err);
  return message;
}

/** What `thoth policy explain --policy path` decides as uid 65534, or its refusal. */
async function explained(path: string, env: Record<string, string>): Promise<string> {
  const run = await thothAsNobody([...EXPLAIN, "--policy", path], { env });
  return run.code === 0 ? (JSON.parse(run.out) as { verdict: string }).verdict : errorOf(run.err);
}

/** Asserts that policy check and run refuse `path` with `message`, as policy explain did. */
async function assertRefusedAlike(
  path: string,
  env: Record<string, string>,
  message: string,
): Promise<void> {
  const check = await thothAsNobody(["policy", "check", path], { env });
  assert.equal(check.code, 1, check.out);
  assert.equal(errorOf(check.err), message);
  const run = await thothAsNobody(["run", "--agent-id", "s", "--policy", path, "--", "cat"], {
    env,
  });
  assert.notEqual(run.code, 0, run.err);
  assert.equal(errorOf(run.err), message);
}

Deno.test({
  name: "a --policy path through a folder every user may write to is refused, before and " +
    "after another user swaps a link of theirs into it" + NEEDS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { root, managed, env } = await setting();
    const shared = `${root}/shared`;
    await folder(shared, 0, 0o777);
    await folder(`${shared}/team`, NOBODY.uid, 0o755);
    const policy = `${shared}/team/policy.jsonc`;
    await file(policy, STRICT_POLICY, NOBODY.uid);

    // The user's own folder and file, in a folder anyone may rename them in.
    const before = await explained(policy, env);
    assert.equal(
      before,
      `not using the policy "${policy}" (given with --policy): it is in a place another user ` +
        `can change ("${shared}" can be written by other users, who may rename what is in it), ` +
        "so thoth cannot trust it",
    );
    await assertRefusedAlike(policy, env, before);

    // Which another user does: the path now leads to a policy that allows everything.
    assert.ok(
      await shellAs(OTHER, `cd '${shared}' && mv team team.old && ln -s '${managed}' team`),
    );
    const after = await explained(policy, env);
    assert.equal(
      after,
      `not using the policy "${policy}" (given with --policy): it is reached through a link ` +
        `owned by uid ${OTHER} ("${shared}/team"), not you (uid ${NOBODY.uid}) or root: that ` +
        "user can point it anywhere, so thoth cannot trust it",
    );
    await assertRefusedAlike(policy, env, after);
  },
});

Deno.test({
  name: "a --policy path through another user's link or folder is refused; the user's own " +
    "link and root's to a managed policy are followed" + NEEDS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { root, managed, env } = await setting();
    // A sticky folder every user may write to, as /tmp: no one renames another's entry in it.
    const sticky = `${root}/sticky`;
    await folder(sticky, 0, 0o1777);
    await link(managed, `${sticky}/theirs`, OTHER);
    await link(managed, `${sticky}/mine`, NOBODY.uid);
    await link(managed, `${root}/roots`, 0);
    // A folder of root's, in a folder of another user's.
    await folder(`${root}/other`, OTHER, 0o755);
    await folder(`${root}/other/sub`, 0, 0o755);
    await file(`${root}/other/sub/policy.jsonc`, OPEN_POLICY, 0);

    const theirs = `${sticky}/theirs/policy.jsonc`;
    const refused = await explained(theirs, env);
    assert.equal(
      refused,
      `not using the policy "${theirs}" (given with --policy): it is reached through a link ` +
        `owned by uid ${OTHER} ("${sticky}/theirs"), not you (uid ${NOBODY.uid}) or root: ` +
        "that user can point it anywhere, so thoth cannot trust it",
    );
    await assertRefusedAlike(theirs, env, refused);
    const deep = `${root}/other/sub/policy.jsonc`;
    const owned = await explained(deep, env);
    assert.equal(
      owned,
      `not using the policy "${deep}" (given with --policy): it is in a place another user ` +
        `can change ("${root}/other" is owned by uid ${OTHER}, not you (uid ${NOBODY.uid}) or ` +
        "root), so thoth cannot trust it",
    );

    // The managed policy itself, through the user's own link, and through root's.
    assert.equal(await explained(`${managed}/policy.jsonc`, env), "allow");
    assert.equal(await explained(`${sticky}/mine/policy.jsonc`, env), "allow");
    assert.equal(await explained(`${root}/roots/policy.jsonc`, env), "allow");
    // The profile's policy as the user's own link to it (a fleet's setup): used by run too.
    await link(`${managed}/policy.jsonc`, `${env.THOTH_HOME}/policy.jsonc`, NOBODY.uid);
    const profile = await thothAsNobody(EXPLAIN, { env });
    assert.equal(profile.code, 0, profile.err);
    assert.equal((JSON.parse(profile.out) as { verdict: string }).verdict, "allow");
    const run = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env });
    assert.equal(run.code, 0, run.err);
  },
});

Deno.test({
  name: "a THOTH_API_KEY_FILE reached through another user's link on its path is not used" +
    NEEDS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { root, env } = await setting();
    const secrets = `${root}/secrets`;
    await folder(secrets, 0, 0o755);
    await file(`${secrets}/key.json`, '{"api_key": "aten_thoth_agent_prod_0123456789"}', 0);
    const sticky = `${root}/sticky`;
    await folder(sticky, 0, 0o1777);
    await link(secrets, `${sticky}/theirs`, OTHER);
    await link(secrets, `${sticky}/mine`, NOBODY.uid);

    const credentials = async (key: string) => {
      const run = await thothAsNobody(["doctor", "--json"], {
        env: { ...env, THOTH_API_KEY_FILE: key },
      });
      const checks =
        (JSON.parse(run.out) as { checks: { id: string; status: string; message: string }[] })
          .checks;
      const check = checks.find((c) => c.id === "credentials");
      assert.ok(check !== undefined, run.out);
      return check;
    };
    const theirs = await credentials(`${sticky}/theirs/key.json`);
    assert.equal(theirs.status, "fail");
    assert.match(
      theirs.message,
      new RegExp(`it is reached through a link owned by uid ${OTHER} \\("${sticky}/theirs"\\)`),
    );
    assert.equal((await credentials(`${sticky}/mine/key.json`)).status, "pass");
  },
});
