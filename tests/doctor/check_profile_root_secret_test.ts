/**
 * The doctor's `profile` check judges a key file or session file root owns,
 * in a profile root manages, as `thoth run` judges it
 * (`secretModeVerdict`): private to root it passes (run leaves it as it is);
 * readable by others it fails in run's words (`credentials.exposed`), with
 * the `chown` root runs to give it to the user. Root's file in `keys/`
 * (which run does not judge so) still fails as another user's. Also the
 * verdict itself, case by case.
 *
 * Chowning needs root: the profile cases are skipped (ignored, the reason in
 * the name) otherwise.
 */
import assert from "node:assert/strict";
import { checkProfile } from "../../src/doctor/check_profile.ts";
import { isAppError } from "../../src/errors.ts";
import { secretModeVerdict } from "../../src/identity/secret_mode_verdict.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const NEEDS = " (needs root to chown: skipped otherwise)";
const CAN = Deno.build.os !== "windows" && Deno.uid() === 0;
/** The user the profile is for. */
const USER = 4242;
const SESSION = "sessions/acme--govapi.acme.example.com--admin-token.jwt";

/** `home` as a profile root manages for `USER` (root's, 0755; its folders `USER`'s, 0700). */
async function managed(home: string): Promise<void> {
  await Deno.chown(home, 0, 0);
  await Deno.chmod(home, 0o755);
  for (const name of ["audit", "sessions", "approvals", "state", "keys"]) {
    await Deno.mkdir(`${home}/${name}`);
    await Deno.chown(`${home}/${name}`, USER, USER);
    await Deno.chmod(`${home}/${name}`, 0o700);
  }
}

/** Root's file `name` in `home`, of mode `mode`. */
async function rootFile(home: string, name: string, mode: number): Promise<string> {
  const path = `${home}/${name}`;
  await Deno.writeTextFile(path, "secret");
  await Deno.chown(path, 0, 0);
  await Deno.chmod(path, mode);
  return path;
}

const asUser = (home: string) => testContext(home, { host: { uid: () => USER } });

Deno.test({
  name: "checkProfile() passes root's private key file and session file, as run uses them" +
    NEEDS,
  ignore: !CAN,
  fn: () =>
    withTempDir(async (home) => {
      await managed(home);
      await rootFile(home, "proxy_api_key.json", 0o600);
      await rootFile(home, SESSION, 0o400);
      const check = await checkProfile(asUser(home));
      assert.equal(check.status, "pass", check.message);
      assert.match(check.message, /is managed by root/);
    }),
});

Deno.test({
  name: "checkProfile() fails root's key file and session file others can read, in run's words" +
    NEEDS,
  ignore: !CAN,
  fn: () =>
    withTempDir(async (home) => {
      await managed(home);
      const key = await rootFile(home, "proxy_api_key.json", 0o644);
      const session = await rootFile(home, SESSION, 0o640);
      const check = await checkProfile(asUser(home));
      assert.equal(check.status, "fail");
      const words = (path: string, mode: string, readers: string) =>
        `not using the secret "${path}": it is ${mode} (${readers} can read it) and owned by ` +
        `root, so you (uid ${USER}) cannot make it 0600`;
      assert.equal(
        check.message,
        `${words(key, "0644", "every user")}; ${words(session, "0640", "any member of its group")}`,
      );
      assert.equal(
        check.hint,
        `chown ${USER} '${key}' && chmod 600 '${key}' && chown ${USER} '${session}' && ` +
          `chmod 600 '${session}'`,
      );
    }),
});

Deno.test({
  name: "checkProfile() still fails root's file in keys/, which run does not judge as a " +
    "credential" + NEEDS,
  ignore: !CAN,
  fn: () =>
    withTempDir(async (home) => {
      await managed(home);
      const file = await rootFile(home, "keys/audit-hmac.key", 0o600);
      const check = await checkProfile(asUser(home));
      assert.equal(check.status, "fail");
      assert.match(check.message, new RegExp(`"${file}" is owned by uid 0, not you`));
    }),
});

Deno.test("secretModeVerdict() leaves a private secret, tightens one its runner may, refuses the rest", () => {
  const path = "/p/proxy_api_key.json";
  const you = { owner: 1000, self: 1000 };
  // Private, whoever owns it: used as it is.
  for (const uid of [0, 1000, 4444]) {
    assert.equal(secretModeVerdict(path, { uid, mode: 0o100600 }, you).kind, "private");
    assert.equal(secretModeVerdict(path, { uid, mode: 0o100400 }, you).kind, "private");
  }
  assert.equal(secretModeVerdict(path, { uid: 0, mode: null }, you).kind, "private");
  // The runner's own, or any when root runs thoth: made 0600.
  assert.deepEqual(secretModeVerdict(path, { uid: 1000, mode: 0o100644 }, you), {
    kind: "tighten",
    mode: 0o100644,
  });
  assert.equal(
    secretModeVerdict(path, { uid: 4444, mode: 0o100604 }, { owner: 0, self: 0 }).kind,
    "tighten",
  );
  // Root's, readable by others: refused, with root's two remedies.
  const root = secretModeVerdict(path, { uid: 0, mode: 0o100620 }, you);
  assert.equal(root.kind, "exposed");
  if (root.kind !== "exposed") return;
  assert.ok(isAppError(root.error, "credentials.exposed"));
  assert.equal(
    root.error.message,
    `not using the secret "${path}": it is 0620 (any member of its group can write to it) and ` +
      "owned by root, so you (uid 1000) cannot make it 0600",
  );
  assert.deepEqual(root.error.hints, [
    `as root, give it to you (uid 1000): chown 1000 '${path}' && chmod 600 '${path}'`,
    `or, as root, keep it root's and make it 0600: chmod 600 '${path}' (thoth, run as uid ` +
    "1000, then cannot read it)",
  ]);
  // Another user's: removed. Root judging the profile of uid 1000 is told of its owner.
  const theirs = secretModeVerdict(path, { uid: 4444, mode: 0o100644 }, { owner: 1000, self: 0 });
  assert.equal(theirs.kind, "exposed");
  if (theirs.kind !== "exposed") return;
  assert.match(theirs.error.message, /owned by uid 4444, so the profile's owner \(uid 1000\)/);
  assert.deepEqual(theirs.error.hints, [
    `another user (uid 4444) wrote it: remove it (rm -f '${path}')`,
  ]);
});
