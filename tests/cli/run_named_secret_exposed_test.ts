/**
 * A key file `THOTH_API_KEY_FILE` names (or a token file
 * `THOTH_AUTH_TOKEN_FILE` names) that other users may read, as Docker mounts
 * a secret (0444) or Kubernetes does (0644, through a `..data` link), is not
 * refused by `thoth run` (a fleet's sessions keep running) and not changed,
 * but run warns of it on stderr, once per session, naming the file, its mode,
 * who may read it and both remedies (`chmod 600`, the mount's mode), in the
 * words `thoth doctor`'s profile check fails it with. A private one (0600,
 * 0400) is said nothing of.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { initializeLine } from "../e2e/_harness.ts";
import { runThoth } from "./_thoth_process.ts";

const KEY_TEXT = JSON.stringify({ api_key: "aten_thoth_agent_prod_0123456789" });
const TOKEN_TEXT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl";
const MOUNTED = "for a mounted secret, set its mode where it is mounted (a Kubernetes secret " +
  "volume's defaultMode, a Docker or Compose secret's mode) to 0400, owned by the user thoth " +
  "runs as, or copy it to a file of that user's, 0600";

/** A home, and a secrets folder (0700) holding a key file of `keyMode` behind a `..data` link. */
async function mounted(keyMode: number, tokenMode: number) {
  const home = await tempFolder("thoth-named-secret-");
  const secrets = `${home}/secrets`;
  await Deno.mkdir(`${secrets}/..data`, { recursive: true });
  await Deno.chmod(secrets, 0o700);
  const real = `${secrets}/..data/key.json`;
  await Deno.writeTextFile(real, KEY_TEXT);
  await Deno.chmod(real, keyMode);
  await Deno.symlink("..data/key.json", `${secrets}/key.json`);
  const token = `${secrets}/token`;
  await Deno.writeTextFile(token, TOKEN_TEXT);
  await Deno.chmod(token, tokenMode);
  const env = {
    HOME: home,
    THOTH_API_KEY_FILE: `${secrets}/key.json`,
    THOTH_AUTH_TOKEN_FILE: token,
  };
  return { home, key: `${secrets}/key.json`, real, token, env };
}

async function modeOf(path: string): Promise<number> {
  return ((await Deno.stat(path)).mode ?? 0) & 0o777;
}

Deno.test({
  name: "thoth run warns once of named secret files others can read, changes nothing, and runs",
  ignore: Deno.build.os === "windows",
  async fn() {
    const { home, key, real, token, env } = await mounted(0o444, 0o640);
    const run = await runThoth(["run", "--agent-id", "e", "--", "cat"], {
      env,
      cwd: home,
      stdin: initializeLine(),
    });
    assert.equal(run.code, 0, run.err);
    const keyProblem = `THOTH_API_KEY_FILE "${key}" (${real}) is 0444; it holds a secret and ` +
      "must be 0600: every user can read it";
    const tokenProblem = `THOTH_AUTH_TOKEN_FILE "${token}" is 0640; it holds a secret and ` +
      "must be 0600: any member of its group can read it";
    const lines = run.err.split("\n");
    const said = (problem: string) =>
      lines.filter((line) => line.includes(problem.slice(0, 40))).length;
    assert.equal(said(keyProblem), 1, run.err);
    assert.equal(said(tokenProblem), 1, run.err);
    const at = lines.indexOf(
      `thoth: warning: ${keyProblem}; thoth goes on all the same, and "thoth doctor" fails it`,
    );
    assert.notEqual(at, -1, run.err);
    assert.deepEqual(lines.slice(at + 1, at + 3), [
      `thoth: hint: make it private: chmod 600 '${real}'`,
      `thoth: hint: or, ${MOUNTED}`,
    ]);
    assert.ok(
      lines.includes(
        `thoth: warning: ${tokenProblem}; thoth goes on all the same, and "thoth doctor" fails it`,
      ),
      run.err,
    );
    // Not thoth's to change: a mounted secret stays as it was mounted.
    assert.equal(await modeOf(real), 0o444);
    assert.equal(await modeOf(token), 0o640);

    // thoth doctor fails it in the same words, with the same remedies.
    const doctor = await runThoth(["doctor", "--json"], { env, cwd: home });
    const checks = (JSON.parse(doctor.out) as {
      checks: { id: string; status: string; message: string; hint: string | null }[];
    }).checks;
    const profile = checks.find((check) => check.id === "profile");
    assert.equal(profile?.status, "fail", doctor.out);
    assert.ok(profile.message.includes(`${keyProblem} (${MOUNTED})`), profile.message);
    assert.ok(profile.message.includes(`${tokenProblem} (${MOUNTED})`), profile.message);
    assert.match(profile.hint ?? "", new RegExp(`chmod 600 '${real}'`));
  },
});

Deno.test({
  name: "thoth run says nothing of named secret files only their owner can read",
  ignore: Deno.build.os === "windows",
  async fn() {
    const { home, env } = await mounted(0o400, 0o600);
    const run = await runThoth(["run", "--agent-id", "e", "--", "cat"], {
      env,
      cwd: home,
      stdin: initializeLine(),
    });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.err, /holds a secret|THOTH_API_KEY_FILE|THOTH_AUTH_TOKEN_FILE/);
  },
});
