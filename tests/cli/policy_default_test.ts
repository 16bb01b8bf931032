/**
 * The real `thoth policy default` prints, byte for byte, the policy a first
 * `thoth run` writes to a new profile (a real session with server-everything
 * through thoth), and `--output` writes the same bytes with the same mode;
 * `--output` never replaces a file that is there unless `--force`, and never
 * writes through a symbolic link.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { connect, everythingArgv, throughThoth } from "../e2e/_harness.ts";
import { runThoth } from "./_thoth_process.ts";

/** The hex SHA-256 of `bytes`, by Web Crypto. */
async function hexSha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("thoth policy default is what a first thoth run writes, on stdout and with --output", async () => {
  const dir = await tempFolder("thoth-policy-default-");
  const profile = `${dir}/profile`;
  const env = { HOME: dir, THOTH_HOME: profile };
  // A real first session: thoth writes the default policy to the new profile.
  const session = await connect(throughThoth(everythingArgv()), {}, env, undefined, dir);
  try {
    assert.ok((await session.client.listTools()).tools.length > 0);
  } finally {
    await session.close();
  }
  assert.match(session.stderr(), /wrote the default policy to/);
  const written = await Deno.readFile(`${profile}/policy.jsonc`);

  const printed = await runThoth(["policy", "default"], { env, cwd: dir });
  assert.equal(printed.code, 0, printed.err);
  assert.equal(printed.err, "");
  assert.deepEqual(new TextEncoder().encode(printed.out), written);

  const output = await runThoth(["policy", "default", "--output", "copy.jsonc"], {
    env,
    cwd: dir,
  });
  assert.equal(output.code, 0, output.err);
  assert.match(output.out, /wrote ".*copy\.jsonc" with the default policy/);
  assert.deepEqual(await Deno.readFile(`${dir}/copy.jsonc`), written);
  if (Deno.build.os !== "windows") {
    const mode = (path: string) => Deno.statSync(path).mode! & 0o777;
    assert.equal(mode(`${dir}/copy.jsonc`), mode(`${profile}/policy.jsonc`));
    assert.equal(mode(`${dir}/copy.jsonc`), 0o600);
  }
  // Only the file asked for: no temp file is left beside it.
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.includes("copy")),
    ["copy.jsonc"],
  );

  const json = await runThoth(["policy", "default", "--json"], { env, cwd: dir });
  assert.equal(json.code, 0, json.err);
  const doc = JSON.parse(json.out);
  assert.equal(doc.file, null);
  assert.equal(doc.text, printed.out);
  assert.equal(doc.bytes, written.length);
  assert.equal(doc.sha256, await hexSha256(written));
});

Deno.test("thoth policy default --output keeps a file that is there unless --force, never through a link", async () => {
  const dir = await tempFolder("thoth-policy-default-out-");
  const env = { HOME: dir, THOTH_HOME: `${dir}/profile` };
  const file = `${dir}/managed.jsonc`;
  const mine = '{ "version": 1, "default": "block" }\n';
  await Deno.writeTextFile(file, mine);

  const refused = await runThoth(["policy", "default", "--output", file], { env, cwd: dir });
  assert.equal(refused.code, 1, refused.err);
  assert.equal(refused.out, "");
  assert.match(
    refused.err,
    /^thoth: error: ".*managed\.jsonc" exists: thoth policy default does not replace a file$/m,
  );
  assert.match(refused.err, /^thoth: hint: .*--force/m);
  assert.match(refused.err, /^thoth: hint: compare them first: thoth policy default \| diff - /m);
  assert.equal(await Deno.readTextFile(file), mine);

  const printed = await runThoth(["policy", "default"], { env, cwd: dir });
  const forced = await runThoth(["policy", "default", "--output", file, "--force", "--json"], {
    env,
    cwd: dir,
  });
  assert.equal(forced.code, 0, forced.err);
  assert.equal(JSON.parse(forced.out).replaced, true);
  assert.equal(JSON.parse(forced.out).file, file);
  assert.equal(await Deno.readTextFile(file), printed.out);
  if (Deno.build.os !== "windows") assert.equal(Deno.statSync(file).mode! & 0o777, 0o600);

  if (Deno.build.os !== "windows") {
    // A link, even with --force: its target (a policy someone manages) stays as it is.
    await Deno.writeTextFile(`${dir}/target.jsonc`, mine);
    await Deno.symlink(`${dir}/target.jsonc`, `${dir}/link.jsonc`);
    for (const extra of [[], ["--force"]]) {
      const run = await runThoth(["policy", "default", "--output", "link.jsonc", ...extra], {
        env,
        cwd: dir,
      });
      assert.equal(run.code, 1, run.err);
      assert.match(run.err, /link\.jsonc" (exists|is a symbolic link)/);
      assert.equal(await Deno.readTextFile(`${dir}/target.jsonc`), mine);
      assert.ok(Deno.lstatSync(`${dir}/link.jsonc`).isSymlink);
    }
  }

  const usage = await runThoth(["policy", "default", "--force"], { env, cwd: dir });
  assert.equal(usage.code, 2, usage.err);
  assert.match(usage.err, /--force goes with --output FILE/);
  // Nothing here made a profile: printing the default needs none.
  await assert.rejects(Deno.lstat(`${dir}/profile`), Deno.errors.NotFound);
});
