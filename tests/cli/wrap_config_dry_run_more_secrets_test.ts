/**
 * `thoth wrap-config --dry-run` shows by fingerprint, in its diff, the
 * secrets a config holds outside the credential variables of `"env"`: a
 * URL's password (in an `"env"` value), a token among a server's `"args"`,
 * and a remote server's credential header, which stands on a context line.
 * The file a write makes still holds every one of them.
 */
import assert from "node:assert/strict";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { inTempDir, thoth } from "./_config_cli.ts";

const shown = (secret: string) => `<api key, fingerprint ${secretFingerprint(secret)}>`;

const PASSWORD = "S3cretPassw0rd!";
const GITHUB_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
const ANTHROPIC_KEY = "sk-ant-api03-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz";

/** Line 1: the server wrap-config rewrites ("-" and "+" lines); line 2: a remote one (context). */
const CONFIG = `{"mcpServers": {"db": ${
  JSON.stringify({
    command: "/usr/bin/mcp-clock",
    args: ["--token", GITHUB_TOKEN, "--password=hunter2"],
    env: { DATABASE_URL: `postgresql://admin:${PASSWORD}@db.internal/prod` },
  })
},
  "remote": {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ${ANTHROPIC_KEY}"}}}}
`;

Deno.test("thoth wrap-config --dry-run masks URL passwords, tokens in args and credential headers; the write keeps them", () =>
  inTempDir(async (dir) => {
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, CONFIG);
    const dry = await thoth(["wrap-config", "--dry-run", path], { cwd: dir });
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^--- /m, dry.out);
    const printed = dry.out + dry.err;
    for (const secret of [PASSWORD, GITHUB_TOKEN, ANTHROPIC_KEY, "hunter2"]) {
      assert.ok(!printed.includes(secret), `${secret} shown:\n${printed}`);
    }
    // What is not secret around them still shows: the user, the host, the scheme, the flag.
    assert.ok(
      dry.out.includes(`"postgresql://admin:${shown(PASSWORD)}@db.internal/prod"`),
      dry.out,
    );
    assert.ok(dry.out.includes(`"--token",`), dry.out);
    assert.match(dry.out, /^-.*"DATABASE_URL"/m, "the env value is on a - line");
    assert.match(dry.out, /^ .*"Authorization"/m, "the header is on a context line");
    assert.ok(dry.out.includes(`"${shown(GITHUB_TOKEN)}"`), dry.out);
    assert.ok(dry.out.includes(`"${shown("--password=hunter2")}"`), dry.out);
    assert.ok(dry.out.includes(`"Authorization": "Bearer ${shown(ANTHROPIC_KEY)}"`), dry.out);
    assert.equal(await Deno.readTextFile(path), CONFIG, "nothing written");

    const wrote = await thoth(["wrap-config", path], { cwd: dir });
    assert.equal(wrote.code, 0, wrote.err);
    const written = await Deno.readTextFile(path);
    for (const secret of [PASSWORD, GITHUB_TOKEN, ANTHROPIC_KEY, "--password=hunter2"]) {
      assert.ok(written.includes(secret), `the written file keeps ${secret}`);
    }
    assert.ok(!written.includes("fingerprint"), "no placeholder is written");
  }));
