import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { setApiKeyCommand } from "../../src/cli/set_api_key.ts";
import { loadCredentials } from "../../src/identity/load_credentials.ts";
import { parseThothEnv } from "../../src/identity/thoth_env.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { fakeIo, withTempDir } from "../doctor/_helpers.ts";

async function setApiKey(
  home: string,
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
) {
  const io = fakeIo(home, options.env ?? {});
  let stdinReads = 0;
  const program = new Command("thoth").addCommand(
    setApiKeyCommand(io, () => {
      stdinReads++;
      return Promise.resolve(options.stdin ?? "");
    }),
  );
  const code = await runProgram("thoth", program, ["set-api-key", ...args], io);
  return { code, stdout: io.stdout.join(""), stderr: io.stderr.join(""), stdinReads };
}

const KEY = "aten_thoth_agent_prod_0123456789";

Deno.test("thoth set-api-key --api-key - reads the key from stdin and trims the newline", () =>
  withTempDir(async (home) => {
    const { code, stdout, stderr, stdinReads } = await setApiKey(home, ["--api-key", "-"], {
      stdin: `${KEY}\n`,
    });
    assert.equal(code, 0, stderr);
    assert.equal(stdinReads, 1);
    assert.equal(
      stdout,
      `saved API key ${secretFingerprint(KEY)} to "${home}/proxy_api_key.json" (mode 0600)\n`,
    );
    assert.ok(!stdout.includes(KEY) && !stderr.includes(KEY));
    const { credential } = await loadCredentials(parseThothEnv({}).env, home, new Date());
    assert.equal(credential?.source, "THOTH_API_KEY_FILE");
    assert.equal(credential?.secret.reveal(), KEY);
    if (Deno.build.os !== "windows") {
      assert.equal(((await Deno.stat(`${home}/proxy_api_key.json`)).mode ?? 0) & 0o777, 0o600);
    }
  }));

Deno.test("thoth set-api-key --api-key KEY saves it and warns about shell history", () =>
  withTempDir(async (home) => {
    const { code, stdout, stderr, stdinReads } = await setApiKey(home, ["--api-key", KEY]);
    assert.equal(code, 0);
    assert.equal(stdinReads, 0);
    assert.ok(!stdout.includes(KEY) && !stderr.includes(KEY));
    assert.match(stderr, /shell history; "--api-key -" reads it from standard input/);
    assert.equal(JSON.parse(await Deno.readTextFile(`${home}/proxy_api_key.json`)).api_key, KEY);
  }));

Deno.test("thoth set-api-key writes to THOTH_API_KEY_FILE when it is set", () =>
  withTempDir(async (home) => {
    const path = `${home}/managed/key.json`;
    const { code, stdout } = await setApiKey(home, ["--api-key", KEY], {
      env: { THOTH_API_KEY_FILE: path },
    });
    assert.equal(code, 0);
    assert.match(stdout, /managed\/key\.json/);
    assert.equal(JSON.parse(await Deno.readTextFile(path)).api_key, KEY);
  }));

Deno.test("thoth set-api-key notes a credential that takes precedence", () =>
  withTempDir(async (home) => {
    const { stderr } = await setApiKey(home, ["--api-key", "-"], {
      stdin: KEY,
      env: { THOTH_RUNTIME_BEARER_TOKEN: "tok" },
    });
    assert.match(stderr, /THOTH_RUNTIME_BEARER_TOKEN is set and takes precedence/);
  }));

Deno.test("thoth set-api-key rejects an empty key with exit 2", () =>
  withTempDir(async (home) => {
    const { code, stderr } = await setApiKey(home, ["--api-key", "-"], { stdin: "\n" });
    assert.equal(code, 2);
    assert.match(stderr, /^thoth: error: the API key is empty$/m);
  }));

Deno.test("thoth set-api-key rejects a key with spaces by fingerprint only", () =>
  withTempDir(async (home) => {
    const bad = "two words-secret";
    const { code, stderr } = await setApiKey(home, ["--api-key", "-"], { stdin: bad });
    assert.equal(code, 2);
    assert.ok(!stderr.includes("secret"), stderr);
    assert.match(stderr, new RegExp(`fingerprint ${secretFingerprint(bad)}`));
  }));

Deno.test("thoth set-api-key requires --api-key", () =>
  withTempDir(async (home) => {
    const { code, stderr } = await setApiKey(home, []);
    assert.equal(code, 2);
    assert.match(stderr, /--api-key/);
  }));
