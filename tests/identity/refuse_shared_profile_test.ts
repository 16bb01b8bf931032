/**
 * `thoth set-api-key`, run as a user, saves no key where another user could
 * swap the profile: not under a folder above it others may write to, not
 * when a tenant's session file (used before the key) would be read from such
 * a profile, and says how to fix the user's own folder a umask of 002 left
 * writable by its group.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { CAN_RUN_AS_NOBODY, NOBODY, thothAsNobody } from "../cli/_thoth_as_nobody.ts";

const KEY = "aten_thoth_agent_prod_0123456789";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** A folder made by root (this test's user) that uid 65534 may enter. */
async function sharedRoot(): Promise<string> {
  const dir = await tempFolder("thoth-shared-profile-");
  await Deno.chmod(dir, 0o755);
  return dir;
}

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
    const dir = await sharedRoot();
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
    const dir = await sharedRoot();
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
    const dir = await sharedRoot();
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
    const dir = await sharedRoot();
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
