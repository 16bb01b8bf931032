/**
 * A credential file thoth would not trust is not reported as usable by
 * `thoth doctor`, `thoth health --json` or `loadCredentials`: a link planted
 * in the profile (as root, leading to a root-only key), a key file another
 * user wrote, a key in a folder others may write to. They fail as
 * `credentials.untrusted` with a remedy, and say nothing of what a link
 * leads to: no fingerprint, not whether it exists or is JSON.
 *
 * The cases need files of another uid: they run as root, and are skipped
 * (ignored, with the reason in their name) otherwise.
 */
import assert from "node:assert/strict";
import { lchownSync } from "node:fs";
import { buildHealthReport } from "../../src/doctor/build_health_report.ts";
import { checkCredentials } from "../../src/doctor/check_credentials.ts";
import { isAppError } from "../../src/errors.ts";
import { loadCredentials } from "../../src/identity/load_credentials.ts";
import { Secret } from "../../src/identity/secret.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { testContext, withTempDir } from "./_helpers.ts";

const ROOT = Deno.build.os !== "windows" && Deno.uid() === 0;
const NEEDS_ROOT = " (needs root to own files as another uid: skipped when not root)";
const USER = 1000;
const OTHER = 1001;
const ROOT_KEY = "k-root-only-secret-key";

/** A root-only folder with a root-only key file (`key.json`) and a root-only non-JSON file. */
async function rootSecrets(dir: string): Promise<string> {
  const secrets = `${dir}/root-only`;
  await Deno.mkdir(secrets, { mode: 0o700 });
  await Deno.writeTextFile(`${secrets}/key.json`, JSON.stringify({ api_key: ROOT_KEY }), {
    mode: 0o600,
  });
  await Deno.writeTextFile(`${secrets}/shadow`, "root:x:0:0\n", { mode: 0o600 });
  return secrets;
}

/** A profile `home` of `owner`, 0700 unless `mode`, in `dir` (0755, root's). */
async function userProfile(dir: string, owner: number, mode = 0o700): Promise<string> {
  await Deno.chmod(dir, 0o755);
  const home = `${dir}/home`;
  await Deno.mkdir(home);
  await Deno.chmod(home, mode);
  await Deno.chown(home, owner, owner);
  return home;
}

/** What doctor, health and loadCredentials say of the profile's credentials, as root. */
async function judged(home: string, env: Record<string, string> = {}) {
  const context = testContext(home, { env, host: { uid: () => 0 } });
  const check = await checkCredentials(context);
  const report = await buildHealthReport(context, { probe: false });
  const validated = validateThothEnv(env, Deno.build.os);
  assert.ok(validated.ok);
  const error = await loadCredentials(validated.env, home, new Date()).then(
    () => undefined,
    (error: unknown) => error,
  );
  return { check, health: report.credentials, error };
}

function assertUntrusted(
  seen: Awaited<ReturnType<typeof judged>>,
  why: RegExp,
  unsaid: readonly string[] = [],
): void {
  const { check, health, error } = seen;
  assert.ok(isAppError(error, "credentials.untrusted"), `loadCredentials: ${String(error)}`);
  assert.match(error.message, why);
  assert.ok((error.hints[0] ?? "") !== "", "no remedy");
  assert.equal(check.status, "fail", check.message);
  assert.equal(check.message, error.message);
  assert.equal(check.hint, error.hints[0]);
  assert.equal(health.present, false);
  assert.equal(health.fingerprint, null);
  assert.equal(health.kind, null);
  assert.equal(health.problem, `${error.message}: ${error.hints[0]}`);
  const fingerprint = new Secret(ROOT_KEY).fingerprint;
  for (const text of [check.message, check.hint ?? "", health.problem ?? ""]) {
    for (const word of [fingerprint, ROOT_KEY, "JSON", "it does not exist", ...unsaid]) {
      assert.ok(!text.includes(word), `"${word}" in: ${text}`);
    }
  }
}

Deno.test({
  name: "root does not report a key a link planted in a user's profile leads to" + NEEDS_ROOT,
  ignore: !ROOT,
  fn: () =>
    withTempDir(async (dir) => {
      const secrets = await rootSecrets(dir);
      const home = await userProfile(dir, USER);
      const key = `${home}/proxy_api_key.json`;
      const messages: string[] = [];
      // A root-only key, a root-only file that is no JSON, a root-only path that is not there.
      for (const target of [`${secrets}/key.json`, `${secrets}/shadow`, `${secrets}/none`]) {
        await Deno.remove(key).catch(() => {});
        await Deno.symlink(target, key);
        lchownSync(key, USER, USER);
        const seen = await judged(home);
        assertUntrusted(seen, /is a symbolic link/, [secrets]);
        messages.push(seen.check.message);
      }
      // Nothing tells the three targets apart.
      assert.equal(new Set(messages).size, 1, messages.join("\n"));
    }),
});

Deno.test({
  name: "root does not follow a sessions folder a user linked to a root-only folder" + NEEDS_ROOT,
  ignore: !ROOT,
  fn: () =>
    withTempDir(async (dir) => {
      const secrets = await rootSecrets(dir);
      await Deno.writeTextFile(`${secrets}/acme--govapi.acme.example.com--admin-token.jwt`, "t-1");
      const home = await userProfile(dir, USER);
      await Deno.symlink(secrets, `${home}/sessions`);
      lchownSync(`${home}/sessions`, USER, USER);
      const env = {
        THOTH_TENANT_ID: "acme",
        THOTH_USER_ID: "ana@example.com",
        THOTH_APEX_DOMAIN: "example.com",
      };
      assertUntrusted(await judged(home, env), /"[^"]*\/sessions" is a symbolic link/, [secrets]);
    }),
});

Deno.test({
  name: "a key file another user wrote in a user's profile is not used" + NEEDS_ROOT,
  ignore: !ROOT,
  fn: () =>
    withTempDir(async (dir) => {
      // A world-writable profile, and a private one: the key's owner decides in both.
      for (const mode of [0o777, 0o700]) {
        const home = await userProfile(dir, USER, mode);
        const key = `${home}/proxy_api_key.json`;
        await Deno.writeTextFile(key, JSON.stringify({ api_key: ROOT_KEY }), { mode: 0o600 });
        await Deno.chown(key, OTHER, OTHER);
        assertUntrusted(
          await judged(home),
          mode === 0o777
            ? /its folder "[^"]*" is writable by every user/
            : new RegExp(`is owned by uid ${OTHER}, not the profile's owner \\(uid ${USER}\\)`),
        );
        // The owner's own key in the private profile is used.
        if (mode === 0o700) {
          await Deno.chown(key, USER, USER);
          const { check, health, error } = await judged(home);
          assert.equal(error, undefined);
          assert.equal(check.status, "pass", check.message);
          assert.equal(health.present, true);
          assert.equal(health.fingerprint, new Secret(ROOT_KEY).fingerprint);
        }
        await Deno.remove(home, { recursive: true });
      }
    }),
});

Deno.test({
  name: "a named key file behind a link another user owns is not used; root's own link is" +
    NEEDS_ROOT,
  ignore: !ROOT,
  fn: () =>
    withTempDir(async (dir) => {
      const secrets = await rootSecrets(dir);
      const home = await userProfile(dir, USER);
      const shared = `${dir}/shared`;
      await Deno.mkdir(shared);
      await Deno.chmod(shared, 0o1777); // Like /tmp.
      const link = `${shared}/key.json`;
      await Deno.symlink(`${secrets}/key.json`, link);
      lchownSync(link, USER, USER);
      assertUntrusted(
        await judged(home, { THOTH_API_KEY_FILE: link }),
        /reached through a link owned by uid 1000/,
        [secrets],
      );
      // A link of root's (a secret mount) is followed.
      lchownSync(link, 0, 0);
      const { check, error } = await judged(home, { THOTH_API_KEY_FILE: link });
      assert.equal(error, undefined);
      assert.equal(check.status, "pass", check.message);
    }),
});
