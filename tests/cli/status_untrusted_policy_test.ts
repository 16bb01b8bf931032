/**
 * `thoth status --check` and `wrap-config` judge a server by the policy and
 * intent map `thoth run` governs it with, and `thoth run` refuses one another
 * user can change (`policy.untrusted`, `intent_map.untrusted`): so must they,
 * for the user's own profile too, else a compliance script passes a server
 * that does not start. The real CLI as the profile's owner (uid 65534), with
 * files another user (uid 4444) wrote.
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

/**
 * A home folder of uid 65534 holding a private profile and a config whose
 * server `wrap-config` wrapped (run as that user, before anything was
 * planted).
 */
async function wrappedConfig(): Promise<{ env: Record<string, string>; config: string }> {
  const root = await sharedRoot("thoth-status-untrusted-");
  const home = `${root}/home`;
  const profile = `${home}/.thoth`;
  await Deno.mkdir(profile, { recursive: true });
  for (const folder of [home, profile]) await Deno.chown(folder, NOBODY.uid, NOBODY.gid);
  await Deno.chmod(home, 0o755);
  await Deno.chmod(profile, 0o700);
  const config = `${home}/c.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({ mcpServers: { s: { command: "/bin/cat", args: ["-u"] } } }),
  );
  await Deno.chown(config, NOBODY.uid, NOBODY.gid);
  const env = { HOME: home, THOTH_HOME: profile };
  const wrap = await thothAsNobody(["wrap-config", config], { env });
  assert.equal(wrap.code, 0, wrap.err);
  const check = await thothAsNobody(["status", "--check", "--config", config], { env });
  assert.equal(check.code, 0, check.out + check.err);
  return { env, config };
}

/** Writes `text` to `path` as uid `uid` would have, mode 0644. */
async function writeAs(path: string, text: string, uid: number): Promise<void> {
  await Deno.writeTextFile(path, text, { mode: 0o644 });
  await Deno.chmod(path, 0o644);
  await Deno.chown(path, uid, uid);
}

Deno.test({
  name: "thoth status --check fails on a server whose policy another user wrote, as run " +
    "refuses it" + NEEDS_TWO_USERS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env, config } = await wrappedConfig();
    const policy = `${env.THOTH_HOME}/policy.jsonc`;
    await writeAs(policy, '{"version": 1, "default": "allow"}', OTHER);

    const check = await thothAsNobody(["status", "--check", "--config", config], { env });
    assert.equal(check.code, 1, check.out + check.err);
    const said = check.out + check.err;
    assert.ok(
      said.includes(
        `thoth run will refuse to start: not using the policy "${policy}": it is owned by ` +
          `uid ${OTHER}, not you (uid ${NOBODY.uid}) or root`,
      ),
      said,
    );
    // The remedy thoth run gives, in its words.
    assert.ok(said.includes(`remove it (rm -f '${policy}')`), said);
    const json = await thothAsNobody(["status", "--json", "--config", config], { env });
    assert.match(json.out, /not using the policy/);
  },
});

Deno.test({
  name: "thoth status --check fails on a server whose intent map another user wrote" +
    NEEDS_TWO_USERS,
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const { env, config } = await wrappedConfig();
    const map = `${env.THOTH_HOME}/intent_map.json`;
    await writeAs(map, '{"other": "wide"}', OTHER);

    const check = await thothAsNobody(["status", "--check", "--config", config], { env });
    assert.equal(check.code, 1, check.out + check.err);
    assert.ok(
      (check.out + check.err).includes(
        `thoth run will refuse to start: not using the intent map "${map}": it is owned by ` +
          `uid ${OTHER}`,
      ),
      check.out + check.err,
    );
  },
});
