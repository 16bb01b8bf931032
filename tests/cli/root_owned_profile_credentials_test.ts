/**
 * A profile folder root owns (a fleet's `THOTH_HOME=/var/lib/thoth`, 0755,
 * the folders thoth writes made for the user) is trusted for credentials as
 * it is for the policy: the key file the user keeps there is read by `thoth
 * run` and the doctor, and `thoth set-api-key` does not refuse the profile
 * as one another user can change (it only cannot write in root's folder).
 * Root's folder that its group may write to, or another user's folder, is
 * still refused. Run as uid 65534 with /usr/bin/setpriv: skipped (ignored,
 * the reason in the name) when this is not root.
 */
import assert from "node:assert/strict";
import {
  CAN_RUN_AS_NOBODY,
  NEEDS_ONE_USER,
  NOBODY,
  setApiKeyAsNobody,
  sharedRoot,
  thothAsNobody,
} from "./_thoth_as_nobody.ts";

/** Another user, who must not own the profile folder. */
const OTHER = 4444;
const KEY = "aten_thoth_agent_prod_0123456789";

/**
 * A profile folder of `owner` (`mode`) with root's policy and intent map, the
 * folders thoth writes to and a key file of uid 65534's (0600); a home of that user.
 */
async function profileWithKey(owner: number, mode: number): Promise<Record<string, string>> {
  const root = await sharedRoot("thoth-root-owned-key-");
  const home = `${root}/home`;
  await Deno.mkdir(home);
  await Deno.chown(home, NOBODY.uid, NOBODY.gid);
  const profile = `${root}/thoth`;
  await Deno.mkdir(profile);
  await Deno.chown(profile, owner, owner);
  await Deno.chmod(profile, mode);
  for (
    const [name, text] of [["policy.jsonc", '{"version": 1, "default": "allow"}'], [
      "intent_map.json",
      "{}",
    ]]
  ) {
    await Deno.writeTextFile(`${profile}/${name}`, text!);
    await Deno.chmod(`${profile}/${name}`, 0o644);
  }
  for (const name of ["audit", "sessions", "approvals", "keys", "spool"]) {
    await Deno.mkdir(`${profile}/${name}`);
    await Deno.chown(`${profile}/${name}`, NOBODY.uid, NOBODY.gid);
    await Deno.chmod(`${profile}/${name}`, 0o700);
  }
  const key = `${profile}/proxy_api_key.json`;
  await Deno.writeTextFile(key, JSON.stringify({ api_key: KEY }));
  await Deno.chown(key, NOBODY.uid, NOBODY.gid);
  await Deno.chmod(key, 0o600);
  return { HOME: home, THOTH_HOME: profile };
}

interface Check {
  id: string;
  status: string;
  message: string;
}

/** The doctor's checks `ids`, as uid 65534 sees them. */
async function doctorChecks(env: Record<string, string>, ids: readonly string[]) {
  const run = await thothAsNobody(["doctor", "--json"], { env });
  const checks = (JSON.parse(run.out) as { checks: Check[] }).checks;
  return ids.map((id) => {
    const check = checks.find((c) => c.id === id);
    assert.ok(check !== undefined, run.out);
    return check;
  });
}

Deno.test({
  name: "the key file in a profile folder root owns is used by run and doctor, and set-api-key " +
    "does not call the profile shared" + NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const env = await profileWithKey(0, 0o755);
    const run = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /not using|cannot trust/);
    const [profile, credentials] = await doctorChecks(env, ["profile", "credentials"]);
    assert.equal(profile!.status, "pass", profile!.message);
    assert.match(profile!.message, /is managed by root/);
    assert.equal(credentials!.status, "pass", credentials!.message);
    assert.match(credentials!.message, /^API key from the default API key file/);
    // Not refused as a profile another user can change: root's folder is only not the user's
    // to write in.
    const set = await setApiKeyAsNobody(env);
    assert.notEqual(set.code, 0, set.err);
    assert.doesNotMatch(set.err, /not saving the API key/);
    assert.match(set.err, /permission denied/);
  },
});

Deno.test({
  name: "the key file in a profile folder root owns that its group may write to, or in one " +
    "another user owns, is still refused" + NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const writable = await profileWithKey(0, 0o775);
    const [credentials] = await doctorChecks(writable, ["credentials"]);
    assert.equal(credentials!.status, "fail");
    assert.match(
      credentials!.message,
      new RegExp(`its folder "${writable.THOTH_HOME}" is writable by its group \\(mode 0775\\)`),
    );
    const set = await setApiKeyAsNobody(writable);
    assert.notEqual(set.code, 0);
    assert.match(set.err, /not saving the API key: "[^"]*" is writable by its group/);

    const theirs = await profileWithKey(OTHER, 0o755);
    const [owned] = await doctorChecks(theirs, ["credentials"]);
    assert.equal(owned!.status, "fail");
    assert.match(
      owned!.message,
      new RegExp(
        `its folder "${theirs.THOTH_HOME}" is owned by uid ${OTHER}, not you \\(uid ` +
          `${NOBODY.uid}\\) or root`,
      ),
    );
    const refused = await setApiKeyAsNobody(theirs);
    assert.match(
      refused.err,
      new RegExp(`is owned by uid ${OTHER}, not you \\(uid ${NOBODY.uid}\\) or root`),
    );
  },
});
