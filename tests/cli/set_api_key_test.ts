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

Deno.test("thoth set-api-key refuses a relative THOTH_API_KEY_FILE instead of writing the default file", () =>
  withTempDir(async (home) => {
    const { code, stdout, stderr } = await setApiKey(home, ["--api-key", "-"], {
      stdin: KEY,
      env: { THOTH_API_KEY_FILE: "keys/key.json" },
    });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      // Not an absolute path, it may be the key itself: shown by fingerprint only.
      /^thoth: error: not saving the API key: THOTH_API_KEY_FILE \(value hidden: not an absolute path, so it may be the credential itself, fingerprint [0-9a-f]{8}\) is not valid: it must be an absolute path/m,
    );
    assert.match(
      stderr,
      /^thoth: hint: fix or unset THOTH_API_KEY_FILE, then run the command again/m,
    );
    assert.deepEqual([...Deno.readDirSync(home)], [], "nothing written");
  }));

Deno.test("thoth set-api-key refuses while any other variable is invalid, even with a valid THOTH_API_KEY_FILE", () =>
  withTempDir(async (home) => {
    const path = `${home}/managed/key.json`;
    const { code, stderr } = await setApiKey(home, ["--api-key", "-"], {
      stdin: KEY,
      env: { THOTH_API_KEY_FILE: path, THOTH_TENANT_ID: "Acme" },
    });
    assert.equal(code, 1);
    assert.match(stderr, /not saving the API key: THOTH_TENANT_ID "Acme" is not valid/);
    assert.ok(!stderr.includes(KEY));
    assert.deepEqual([...Deno.readDirSync(home)], [], "neither the named nor the default file");
  }));

Deno.test("thoth set-api-key says a tenant session file takes precedence over the saved key", () =>
  withTempDir(async (home) => {
    const session = `${home}/sessions/acme--acme.example.com--admin-token.jwt`;
    await Deno.mkdir(`${home}/sessions`, { recursive: true });
    await Deno.writeTextFile(session, "token", { mode: 0o600 });
    const { code, stderr } = await setApiKey(home, ["--api-key", "-"], {
      stdin: KEY,
      env: { THOTH_TENANT_ID: "acme", THOTH_APEX_DOMAIN: "example.com" },
    });
    assert.equal(code, 0, stderr);
    assert.match(
      stderr,
      /^thoth: note: the tenant session file ".*acme--acme\.example\.com--admin-token\.jwt" exists and takes precedence: this key is never used while that file is there/m,
    );
    const quiet = await setApiKey(home, ["--api-key", "-"], {
      stdin: KEY,
      env: { THOTH_TENANT_ID: "other", THOTH_APEX_DOMAIN: "example.com" },
    });
    assert.doesNotMatch(quiet.stderr, /session file/);
  }));

Deno.test("thoth set-api-key --help says where the key goes and what is used before it", () =>
  withTempDir(async (home) => {
    const { code, stdout } = await setApiKey(home, ["--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /Where it goes: the file THOTH_API_KEY_FILE names when it is set, else/);
    assert.ok(stdout.includes(`${home}/proxy_api_key.json`), stdout);
    for (
      const source of [
        "THOTH_RUNTIME_BEARER_TOKEN",
        "THOTH_AUTH_TOKEN,",
        "THOTH_AUTH_TOKEN_FILE",
        "the tenant's session file",
        "THOTH_API_KEY.",
      ]
    ) {
      assert.ok(stdout.includes(source), `${source} in ${stdout}`);
    }
  }));
