/**
 * A profile folder root owns (a fleet's `THOTH_HOME=/var/lib/thoth`, 0755,
 * with the policy and intent map root placed, and the folders thoth writes
 * made in advance for the user) is as safe as the user's own: only root can
 * put a file in it. The real `thoth run`, `thoth policy check`, `thoth
 * policy explain`, `thoth doctor --json` and `thoth status --check`, run by a user who is not root
 * (uid 65534), govern with its policy; the same folder made writable by its
 * group, or owned by another user, is refused as before.
 *
 * The cases need a user who is not root: they run as root with
 * /usr/bin/setpriv, and are skipped (ignored, with the reason in their name)
 * otherwise.
 */
import assert from "node:assert/strict";
import {
  CAN_RUN_AS_NOBODY,
  NEEDS_ONE_USER,
  NOBODY,
  sharedRoot,
  thothAsNobody,
} from "./_thoth_as_nobody.ts";

/** Another user, who must not own the profile folder. */
const OTHER = 4444;
/** Root's policy: what no rule allows is blocked. */
const STRICT_POLICY = '{"version": 1, "default": "block"}';
const EXPLAIN = ["policy", "explain", "--server", "s", "--tool", "delete_everything", "--json"];

/**
 * A profile folder of `owner` (0755) holding root's policy and intent map,
 * and the folders thoth writes to, made for uid 65534 (0700); a home of that user.
 */
async function fleetProfile(owner: number): Promise<Record<string, string>> {
  const root = await sharedRoot("thoth-root-owned-profile-");
  const home = `${root}/home`;
  await Deno.mkdir(home);
  await Deno.chown(home, NOBODY.uid, NOBODY.gid);
  const profile = `${root}/thoth`;
  await Deno.mkdir(profile);
  await Deno.chown(profile, owner, owner);
  await Deno.chmod(profile, 0o755);
  const files: [string, string][] = [["policy.jsonc", STRICT_POLICY], ["intent_map.json", "{}"]];
  for (const [name, text] of files) {
    await Deno.writeTextFile(`${profile}/${name}`, text);
    await Deno.chmod(`${profile}/${name}`, 0o644);
  }
  for (const name of ["audit", "sessions", "approvals", "keys", "spool"]) {
    await Deno.mkdir(`${profile}/${name}`);
    await Deno.chown(`${profile}/${name}`, NOBODY.uid, NOBODY.gid);
    await Deno.chmod(`${profile}/${name}`, 0o700);
  }
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
  name: "a profile folder root owns is used by run, policy check, policy explain, doctor and " +
    "status --check" +
    NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const env = await fleetProfile(0);
    const run = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /not using/);
    const check = await thothAsNobody(["policy", "check"], { env });
    assert.equal(check.code, 0, check.err);
    const explain = await thothAsNobody(EXPLAIN, { env });
    assert.equal(explain.code, 0, explain.err);
    assert.equal((JSON.parse(explain.out) as { verdict: string }).verdict, "block");
    for (const found of await doctorChecks(env, ["policy", "intent_map"])) {
      assert.equal(found.status, "pass", `${found.id}: ${found.message}`);
    }
    // A server wrapped to run through thoth passes status --check: thoth run starts it.
    const config = `${env.HOME}/c.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ mcpServers: { s: { command: "/bin/cat", args: ["-u"] } } }),
    );
    await Deno.chown(config, NOBODY.uid, NOBODY.gid);
    // The fleet's profile written into the entry: the client passes it, not this shell's.
    const wrap = await thothAsNobody(
      ["wrap-config", "--env", `THOTH_HOME=${env.THOTH_HOME}`, config],
      { env },
    );
    assert.equal(wrap.code, 0, wrap.err);
    const status = await thothAsNobody(["status", "--check", "--config", config], { env });
    assert.equal(status.code, 0, status.out + status.err);
  },
});

Deno.test({
  name: "a profile folder root owns that its group may write to, or one another user owns, " +
    "is still refused" + NEEDS_ONE_USER,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const writable = await fleetProfile(0);
    await Deno.chmod(writable.THOTH_HOME!, 0o775);
    const run = await thothAsNobody(["run", "--agent-id", "s", "--", "cat"], { env: writable });
    assert.notEqual(run.code, 0, run.err);
    assert.match(
      run.err,
      new RegExp(
        `thoth: error: not using the policy "${writable.THOTH_HOME}/policy\\.jsonc": its folder ` +
          `"${writable.THOTH_HOME}" is writable by its group \\(mode 0775\\)`,
      ),
    );

    const theirs = await fleetProfile(OTHER);
    const [policy] = await doctorChecks(theirs, ["policy"]);
    assert.equal(policy!.status, "fail");
    assert.equal(
      policy!.message,
      `not using the policy "${theirs.THOTH_HOME}/policy.jsonc": its folder ` +
        `"${theirs.THOTH_HOME}" is owned by uid ${OTHER}, not you (uid ${NOBODY.uid}) or root: ` +
        "that user can put a file of their own in its place, so thoth cannot trust it",
    );
  },
});
