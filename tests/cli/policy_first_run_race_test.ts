/**
 * The default policy on a fresh profile, when many `thoth run` sessions start
 * at once (a client starts all its servers together): exactly one session
 * creates it and says so, the others read it, and a policy someone else
 * placed meanwhile (an admin, an MDM) is never replaced.
 */
import assert from "node:assert/strict";
import { loadPolicyText } from "../../src/cli/prepare_session.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { createExclusive } from "../../src/platform/atomic_write.ts";
import { tempFolder } from "../_temp_dirs.ts";

const NOTE = /wrote the default policy to/;
const ADMIN_POLICY = '{\n  // placed by the admin\n  "version": 1\n}\n';

/** An io that keeps what is said on stderr. */
function recordingIo(
  thothHome: string,
): { thothHome: string; err(t: string): void; said: string[] } {
  const said: string[] = [];
  return { thothHome, said, err: (text: string) => said.push(text) };
}

Deno.test("parallel first runs on an empty profile: one note, one file, no temp files left", async () => {
  const home = await tempFolder("thoth-policy-race-");
  const ios = Array.from({ length: 12 }, () => recordingIo(home));
  const results = await Promise.all(ios.map((io) => loadPolicyText(io, undefined)));
  const notes = ios.flatMap((io) => io.said).filter((line) => NOTE.test(line));
  assert.equal(notes.length, 1, `notes: ${notes.join("")}`);
  for (const result of results) assert.equal(result.text, DEFAULT_POLICY_JSONC);
  const names = [...Deno.readDirSync(home)].map((entry) => entry.name);
  assert.deepEqual(names, ["policy.jsonc"]);
  assert.equal(Deno.readTextFileSync(`${home}/policy.jsonc`), DEFAULT_POLICY_JSONC);
  if (Deno.build.os !== "windows") {
    assert.equal(Deno.statSync(`${home}/policy.jsonc`).mode! & 0o777, 0o600);
  }
});

Deno.test("a policy placed between the check and the creation is kept and read, with no note", async () => {
  const home = await tempFolder("thoth-policy-race-");
  const io = recordingIo(home);
  const result = await loadPolicyText(io, undefined, (file) => {
    Deno.writeTextFileSync(file, ADMIN_POLICY);
  });
  assert.equal(Deno.readTextFileSync(`${home}/policy.jsonc`), ADMIN_POLICY);
  assert.equal(result.text, ADMIN_POLICY);
  assert.deepEqual(io.said.filter((line) => NOTE.test(line)), []);
  assert.deepEqual([...Deno.readDirSync(home)].map((entry) => entry.name), ["policy.jsonc"]);
});

Deno.test("createExclusive never replaces a file, or a link, that is there", async () => {
  const dir = await tempFolder("thoth-create-exclusive-");
  const bytes = new TextEncoder().encode("new\n");
  assert.ok(await createExclusive(`${dir}/a`, bytes, { mode: 0o600 }));
  assert.equal(Deno.readTextFileSync(`${dir}/a`), "new\n");
  Deno.writeTextFileSync(`${dir}/b`, "old\n");
  assert.equal(await createExclusive(`${dir}/b`, bytes), false);
  assert.equal(Deno.readTextFileSync(`${dir}/b`), "old\n");
  const placed = await createExclusive(`${dir}/c`, bytes, {
    beforeLink: (path) => Deno.writeTextFileSync(path, "admin\n"),
  });
  assert.equal(placed, false);
  assert.equal(Deno.readTextFileSync(`${dir}/c`), "admin\n");
  if (Deno.build.os !== "windows") {
    // A dangling link is not followed: its target is not created.
    Deno.symlinkSync(`${dir}/target`, `${dir}/d`);
    assert.equal(await createExclusive(`${dir}/d`, bytes), false);
    assert.deepEqual([...Deno.readDirSync(dir)].some((e) => e.name === "target"), false);
  }
  assert.deepEqual([...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".tmp")), []);
});

Deno.test("many processes starting at once on an empty profile: exactly one creates the policy", async () => {
  const module = new URL("../../src/cli/prepare_session.ts", import.meta.url).href;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const code = `const { loadPolicyText } = await import(${JSON.stringify(module)});
const home = Deno.env.get("THOTH_HOME");
const r = await loadPolicyText({ thothHome: home, err: (t) => Deno.stderr.writeSync(new TextEncoder().encode(t)) }, undefined);
console.log(r.text.length);`;
  for (let round = 0; round < 2; round++) {
    const home = await tempFolder("thoth-policy-procs-");
    const runs = await Promise.all(
      Array.from({ length: 10 }, () =>
        new Deno.Command(Deno.execPath(), {
          args: ["eval", "--quiet", `--config=${config}`, code],
          env: { THOTH_HOME: home },
          stdout: "piped",
          stderr: "piped",
        }).output()),
    );
    const dec = new TextDecoder();
    const notes = runs.filter((r) => NOTE.test(dec.decode(r.stderr))).length;
    for (const r of runs) assert.equal(r.code, 0, dec.decode(r.stderr));
    for (const r of runs) {
      assert.equal(dec.decode(r.stdout).trim(), String(DEFAULT_POLICY_JSONC.length));
    }
    assert.equal(notes, 1, `round ${round}`);
    assert.deepEqual([...Deno.readDirSync(home)].map((e) => e.name), ["policy.jsonc"]);
  }
});
