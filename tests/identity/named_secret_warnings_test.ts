/**
 * The rule for a credential file a variable names, by its mode: private (no
 * group or other bits, as the profile's own secrets) is said nothing of;
 * readable by its group or by every user is a warning naming the file, its
 * mode, who may read it, and the remedies (`chmod 600`, as root when root
 * owns it and another user runs thoth; the mount's mode for a mounted
 * secret). Files are looked at through their links, never changed.
 */
import assert from "node:assert/strict";
import { namedSecretExposure } from "../../src/identity/secret_mode_verdict.ts";
import { namedSecretWarnings } from "../../src/identity/named_secret_warnings.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("namedSecretExposure() says who may read a named file that is not private", () => {
  const where = '"/run/secrets/key.json"';
  assert.equal(
    namedSecretExposure("THOTH_API_KEY_FILE", where, 0o100444)?.problem,
    'THOTH_API_KEY_FILE "/run/secrets/key.json" is 0444; it holds a secret and must be 0600: ' +
      "every user can read it",
  );
  assert.match(
    namedSecretExposure("THOTH_AUTH_TOKEN_FILE", where, 0o100640)?.problem ?? "",
    /is 0640; .*: any member of its group can read it$/,
  );
  assert.match(
    namedSecretExposure("THOTH_API_KEY_FILE", where, 0o100644)?.mounted ?? "",
    /defaultMode.*Docker or Compose secret's mode\) to 0400/,
  );
  for (const mode of [0o100600, 0o100400, 0o100700]) {
    assert.equal(namedSecretExposure("THOTH_API_KEY_FILE", where, mode), null);
  }
  assert.equal(namedSecretExposure("THOTH_API_KEY_FILE", where, null), null);
});

Deno.test({
  name: "namedSecretWarnings() warns of each named file others can read, through its links",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await tempFolder("thoth-named-warnings-");
    const key = `${dir}/key.json`;
    await Deno.writeTextFile(key, "{}");
    await Deno.chmod(key, 0o644);
    await Deno.symlink(key, `${dir}/link.json`);
    const token = `${dir}/token`;
    await Deno.writeTextFile(token, "t");
    await Deno.chmod(token, 0o600);
    const self = Deno.uid();

    const lines = await namedSecretWarnings(
      { apiKeyFile: `${dir}/link.json`, authTokenFile: token },
      "linux",
      self,
    );
    assert.deepEqual(lines.slice(0, 2), [
      `warning: THOTH_API_KEY_FILE "${dir}/link.json" (${key}) is 0644; it holds a secret and ` +
      'must be 0600: every user can read it; thoth goes on all the same, and "thoth doctor" ' +
      "fails it",
      `hint: make it private: chmod 600 '${key}'`,
    ]);
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.equal(((await Deno.stat(key)).mode ?? 0) & 0o777, 0o644, "never changed");

    // Root's file, thoth run by another user: the chmod is root's to run.
    if (self === 0) {
      const other = await namedSecretWarnings(
        { apiKeyFile: key, authTokenFile: null },
        "linux",
        1000,
      );
      assert.equal(other[1], `hint: as root, make it private: chmod 600 '${key}'`);
    }
    // Not there, no plain file, unset, or Windows: nothing is said.
    assert.deepEqual(
      await namedSecretWarnings({ apiKeyFile: `${dir}/none`, authTokenFile: dir }, "linux", self),
      [],
    );
    assert.deepEqual(
      await namedSecretWarnings({ apiKeyFile: null, authTokenFile: null }, "linux", self),
      [],
    );
    assert.deepEqual(
      await namedSecretWarnings({ apiKeyFile: key, authTokenFile: null }, "windows", self),
      [],
    );
  },
});
