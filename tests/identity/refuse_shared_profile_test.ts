/**
 * `thoth set-api-key`, run as a user, saves no key where another user could
 * swap the profile: not under a folder above it others may write to, not
 * when a tenant's session file (used before the key) would be read from such
 * a profile, and says how to fix the user's own folder a umask of 002 left
 * writable by its group.
 */
import assert from "node:assert/strict";
import {
  CAN_RUN_AS_NOBODY,
  exists,
  NOBODY,
  sharedRoot,
  thothAsNobody,
} from "../cli/_thoth_as_nobody.ts";
import { unsafePartFor, unsafePartForRoot } from "../../src/platform/root_safe_path.ts";

const KEY = "aten_thoth_agent_prod_0123456789";

/** A folder of uid 65534's own, mode 0700, at `path`. */
async function nobodysFolder(path: string, mode = 0o700): Promise<void> {
  await Deno.mkdir(path, { recursive: true });
  await Deno.chown(path, NOBODY.uid, NOBODY.gid);
  await Deno.chmod(path, mode);
}

function setKey(home: string, env: Record<string, string> = {}) {
  return thothAsNobody(["set-api-key", "--api-key", "-"], {
    env: { HOME: home, THOTH_HOME: home, ...env },
    stdin: `${KEY}\n`,
  });
}

Deno.test({
  name: "set-api-key refuses a profile under a folder everyone may write to, or another user owns",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-shared-profile-");
    const open = `${dir}/open`;
    // Root's, but with no sticky bit: anyone may rename what is in it.
    await Deno.mkdir(open);
    await Deno.chmod(open, 0o777);
    const home = `${open}/ana/.thoth`;
    await nobodysFolder(`${open}/ana`);
    await nobodysFolder(home);
    const run = await setKey(home);
    assert.equal(run.code, 1, run.err);
    assert.match(
      run.err,
      new RegExp(`the profile "${home}" is in a place another user can change`),
    );
    assert.match(run.err, new RegExp(`"${open}" can be written by other users`));
    assert.equal(await exists(`${home}/proxy_api_key.json`), false);
    // Owned by another user, not writable by others: that user can still swap it.
    await Deno.chown(open, 12345, 12345);
    await Deno.chmod(open, 0o755);
    const owned = await setKey(home);
    assert.equal(owned.code, 1, owned.err);
    assert.match(owned.err, new RegExp(`"${open}" is owned by uid 12345, not you`));
    assert.equal(await exists(`${home}/proxy_api_key.json`), false);
  },
});

Deno.test({
  name: "set-api-key takes a profile in a sticky folder when the folder below it is the user's own",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-shared-profile-");
    const sticky = `${dir}/tmp`;
    await Deno.mkdir(sticky);
    await Deno.chmod(sticky, 0o1777);
    // Not there yet: anyone could make it first.
    const unmade = await setKey(`${sticky}/ana`);
    assert.equal(unmade.code, 1, unmade.err);
    assert.match(unmade.err, /it does not exist yet, and anyone may make it before you do/);
    assert.match(unmade.err, new RegExp(`mkdir -p -m 700 '${sticky}/ana'`));
    await nobodysFolder(`${sticky}/ana`);
    const run = await setKey(`${sticky}/ana`);
    assert.equal(run.code, 0, run.err);
    assert.equal(
      JSON.parse(await Deno.readTextFile(`${sticky}/ana/proxy_api_key.json`)).api_key,
      KEY,
    );
  },
});

Deno.test({
  name:
    "set-api-key tells the user to chmod 700 their own profile a umask of 002 left group-writable",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-shared-profile-");
    const home = `${dir}/ana`;
    await nobodysFolder(home, 0o775);
    const run = await setKey(home);
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, new RegExp(`"${home}" is writable by its group \\(mode 0775\\)`));
    assert.match(run.err, new RegExp(`hint: make it yours alone: chmod 700 '${home}', then run`));
    assert.equal(await exists(`${home}/proxy_api_key.json`), false);
    assert.equal((await Deno.stat(home)).mode! & 0o777, 0o775, "thoth changed no mode");
  },
});

Deno.test({
  name: "set-api-key with THOTH_API_KEY_FILE and a tenant refuses a profile others may change",
  ignore: !CAN_RUN_AS_NOBODY,
  fn: async () => {
    const dir = await sharedRoot("thoth-shared-profile-");
    const home = `${dir}/ana`;
    await nobodysFolder(home, 0o777);
    await nobodysFolder(`${dir}/keys`);
    const keyFile = `${dir}/keys/proxy_api_key.json`;
    const env = { THOTH_API_KEY_FILE: keyFile };
    // The tenant's session file, used before the key, is read from THOTH_HOME.
    const tenant = await setKey(home, {
      ...env,
      THOTH_TENANT_ID: "acme",
      THOTH_APEX_DOMAIN: "example.com",
    });
    assert.equal(tenant.code, 1, tenant.err);
    assert.match(tenant.err, new RegExp(`"${home}" is writable by every user`));
    assert.equal(await exists(keyFile), false);
    // Without a tenant, no session file is read from there: the key file alone matters.
    const alone = await setKey(home, env);
    assert.equal(alone.code, 0, alone.err);
    assert.equal(JSON.parse(await Deno.readTextFile(keyFile)).api_key, KEY);
  },
});

Deno.test({
  name:
    "set-api-key takes a profile in a folder others may write to inside one only the user may enter",
  ignore: !CAN_RUN_AS_NOBODY || Deno.build.os !== "linux",
  fn: async () => {
    const dir = await sharedRoot("thoth-shared-profile-");
    const closed = `${dir}/closed`;
    await nobodysFolder(closed);
    // Root's, writable by every user (a 0777 drive mounted there), but no one else gets in.
    const shared = `${closed}/shared`;
    await Deno.mkdir(shared);
    await Deno.chmod(shared, 0o777);
    const home = `${shared}/.thoth`;
    await nobodysFolder(home);
    const run = await setKey(home);
    assert.equal(run.code, 0, run.err);
    assert.equal(JSON.parse(await Deno.readTextFile(`${home}/proxy_api_key.json`)).api_key, KEY);
    await Deno.remove(`${home}/proxy_api_key.json`);
    // Its group may enter (or an ACL lets someone in, which shows as the group's x): refused.
    for (const mode of [0o710, 0o701, 0o750]) {
      await Deno.chmod(closed, mode);
      const open = await setKey(home);
      assert.equal(open.code, 1, `${mode.toString(8)}: ${open.err}`);
      assert.match(open.err, new RegExp(`"${shared}" can be written by other users`));
      assert.equal(await exists(`${home}/proxy_api_key.json`), false);
    }
    // A folder in it another user owns is refused all the same.
    await Deno.chmod(closed, 0o700);
    await Deno.chown(shared, 12345, 12345);
    const owned = await setKey(home);
    assert.equal(owned.code, 1, owned.err);
    assert.match(owned.err, new RegExp(`"${shared}" is owned by uid 12345, not you`));
  },
});

Deno.test({
  name: "unsafePartFor() shields below a closed folder only when asked; root never is",
  ignore: !CAN_RUN_AS_NOBODY || Deno.build.os !== "linux",
  fn: async () => {
    const dir = await sharedRoot("thoth-shared-profile-");
    const closed = `${dir}/closed`;
    await Deno.mkdir(`${closed}/shared`, { recursive: true });
    await Deno.chmod(closed, 0o700);
    await Deno.chmod(`${closed}/shared`, 0o777);
    const path = `${closed}/shared/.thoth`;
    const trusted = new Set([0, NOBODY.uid]);
    assert.equal(await unsafePartFor(path, trusted, { closedFolders: true }), undefined);
    assert.equal((await unsafePartFor(path, trusted))?.why, "writable");
    assert.deepEqual(await unsafePartForRoot(path), {
      path: `${closed}/shared`,
      uid: 0,
      why: "writable",
    });
    // Closed, but under a folder others may write to: they can swap the closed folder itself.
    await Deno.chmod(dir, 0o777);
    assert.deepEqual(await unsafePartFor(path, trusted, { closedFolders: true }), {
      path: dir,
      uid: 0,
      why: "writable",
    });
  },
});
