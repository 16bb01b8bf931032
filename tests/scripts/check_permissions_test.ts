/** `scripts/check_permissions.ts` as CI runs it: a subprocess that only reads. */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const FIXTURES = `${ROOT}/tests/fixtures/release`;

async function check(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-read", `${ROOT}/scripts/check_permissions.ts`, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("check_permissions.ts passes the real deno.json", async () => {
  const r = await check([]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^check_permissions: ok: \d+ task\(s\) and 10 compile command\(s\) stay within the manifest\n$/,
  );
});

Deno.test("check_permissions.ts prints one line per finding and exits 1", async () => {
  const r = await check(["--config", `${FIXTURES}/deno_too_broad.json`]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trimEnd().split("\n");
  assert.deepEqual(lines, [
    'check_permissions: permission set "dev": grants every permission ("all": true) [allow_all]',
    'check_permissions: task "dev": grants every permission (-A/--allow-all); name a manifest set with -P=<set> [allow_all]',
    'check_permissions: task "test": grants more than set "test" in net [broader_than_set]',
    'check_permissions: task "serve": grants env, read without naming a manifest set; use -P=<set> [ungoverned_grant]',
    "check_permissions: 4 finding(s)",
  ]);
  const json = await check(["--config", `${FIXTURES}/deno_too_broad.json`, "--json"]);
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout).findings.length, 4);
});

Deno.test("check_permissions.ts reports compile flags that cannot match the manifest", async () => {
  const r = await check(["--config", `${FIXTURES}/deno_bad_compile.json`]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /build thothctl: deno.json "permissions" has no set "thothctl" for thothctl \[missing_set\]/,
  );
  assert.match(
    r.stderr,
    /build thoth: permission "write" has a relative path "\.thoth".* \[compile_mismatch\]/,
  );
});

Deno.test("check_permissions.ts exits 2 on an unreadable config or a bad flag", async () => {
  const missing = await check(["--config", `${FIXTURES}/nope.json`]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^check_permissions: error: cannot read ".*nope\.json"/);
  const bad = await check(["--frobnicate"]);
  assert.equal(bad.code, 2);
});

Deno.test("check_permissions.ts refuses deno -A after VAR=x, !, &, (…), a line break, xargs and --config", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-perm-" });
  try {
    const real = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
    // The reviewer's bypasses: each of these ran its script with every permission.
    real.tasks = {
      envprefix: "FOO=1 deno run -A probe.ts",
      bang: "! deno run -A probe.ts",
      async: "echo hi & deno run -A probe.ts",
      subshell: "(deno run -A probe.ts)",
      newline: "echo hi\ndeno run -A probe.ts",
      xargs: "echo probe.ts | xargs deno run -A",
      cfg: "deno run --config=other.json -P=check_permissions probe.ts",
      ok: "deno run -P=check_permissions probe.ts",
    };
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(real));
    const r = await check(["--config", `${dir}/deno.json`, "--json"]);
    assert.equal(r.code, 1, r.stderr);
    const findings = JSON.parse(r.stdout).findings as { code: string; where: string }[];
    const named = [...new Set(findings.map((f) => f.where))].sort();
    assert.deepEqual(named, [
      'task "async"',
      'task "bang"',
      'task "cfg"',
      'task "envprefix"',
      'task "newline"',
      'task "subshell"',
      'task "xargs"',
    ]);
    assert.deepEqual(
      findings.filter((f) => f.where === 'task "cfg"').map((f) => f.code),
      ["config_override"],
    );
    assert.match(r.stderr, /^check_permissions: 7 finding\(s\)$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
