/** `scripts/check_permissions.ts` as CI runs it: a subprocess that only reads. */
import assert from "node:assert/strict";
import { UNSCOPED_RUN_ALLOWED } from "../../src/release/permission_ceiling.ts";

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
  // Notes (the sets allowed an unscoped run) come first and fail nothing.
  assert.match(
    r.stderr.replace(/^check_permissions: note: .*\n/gm, ""),
    /^check_permissions: ok: \d+ task\(s\) and 10 compile command\(s\) stay within the manifest\n$/,
  );
});

Deno.test("check_permissions.ts prints one line per finding and exits 1", async () => {
  const r = await check(["--config", `${FIXTURES}/deno_too_broad.json`]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trimEnd().split("\n");
  assert.deepEqual(lines, [
    'check_permissions: permission set "dev": grants every permission ("all": true) [allow_all]',
    'check_permissions: task "thoth": runs "src/cli/thoth.ts", the thoth program, without --no-remote, so deno fetches modules from the network for it: a dynamic import() of https://esm.sh/…, jsr:… or https://deno.land/… loads even in the sandboxed proxy core, whose Worker grants no import; add --no-remote before the module [remote_modules]',
    'check_permissions: task "thoth": runs "src/cli/thoth.ts", the thoth program, without --cached-only, so an import("npm:…") in it, which no Worker permission stops, has deno ask the npm registry for the package it names (even with --frozen-lockfile), a connection out whose package name can carry data; add --cached-only before the module [remote_modules]',
    'check_permissions: task "thoth": runs "src/cli/thoth.ts", the thoth program, without --frozen-lockfile, so an import("npm:…") in it, which no Worker permission stops, may write a package into deno.lock; add --frozen-lockfile before the module [remote_modules]',
    'check_permissions: task "dev": runs "deno run" without --no-prompt, so at a terminal deno asks to grant what the permission set leaves out and one keypress widens it; add --no-prompt before the module [no_prompt]',
    'check_permissions: task "dev": runs "src/cli/thoth.ts", the thoth program, without --no-remote, so deno fetches modules from the network for it: a dynamic import() of https://esm.sh/…, jsr:… or https://deno.land/… loads even in the sandboxed proxy core, whose Worker grants no import; add --no-remote before the module [remote_modules]',
    'check_permissions: task "dev": runs "src/cli/thoth.ts", the thoth program, without --cached-only, so an import("npm:…") in it, which no Worker permission stops, has deno ask the npm registry for the package it names (even with --frozen-lockfile), a connection out whose package name can carry data; add --cached-only before the module [remote_modules]',
    'check_permissions: task "dev": runs "src/cli/thoth.ts", the thoth program, without --frozen-lockfile, so an import("npm:…") in it, which no Worker permission stops, may write a package into deno.lock; add --frozen-lockfile before the module [remote_modules]',
    'check_permissions: task "dev": grants every permission (-A/--allow-all); name a manifest set with -P=<set> [allow_all]',
    'check_permissions: task "test": grants more than set "test" in net [broader_than_set]',
    'check_permissions: task "serve": bundles short flags in "-RE", which Deno reads by which letters take a value in each subcommand ("-PA" is -P -A); write each flag on its own, the set as -P=<set> [unreadable_task]',
    'check_permissions: task "serve": grants env, read without naming a manifest set; use -P=<set> [ungoverned_grant]',
    'check_permissions: permission set "dev": has no ceiling in src/release/permission_ceiling.ts, so nothing pins what it may grant; add one there in the same commit (a reviewer sees it), or use an existing set [above_ceiling]',
    'check_permissions: deno.json "nodeModulesDir": is unset: deno task may then run every node_modules/.bin program in this folder and the folders above it as a command, and one named deno or echo runs instead, with every permission; set "nodeModulesDir" to "none" or "auto" [npm_commands]',
    "check_permissions: deno.lock: is missing or not a version 5 lock, so this check cannot list the npm packages whose commands deno task adds (one named deno runs instead of deno, with every permission); commit the deno.lock that deno 2 writes [npm_commands]",
    `check_permissions: note: permission set "thoth": grants run without scope, which is allow-all-equivalent (a program it starts runs outside Deno's sandbox, with every permission); allowed by UNSCOPED_RUN_ALLOWED in src/release/permission_ceiling.ts: ${
      UNSCOPED_RUN_ALLOWED["thoth"]
    } [allow_all]`,
    `check_permissions: note: permission set "test": grants run without scope, which is allow-all-equivalent (a program it starts runs outside Deno's sandbox, with every permission); allowed by UNSCOPED_RUN_ALLOWED in src/release/permission_ceiling.ts: ${
      UNSCOPED_RUN_ALLOWED["test"]
    } [allow_all]`,
    "check_permissions: 15 finding(s)",
  ]);
  const json = await check(["--config", `${FIXTURES}/deno_too_broad.json`, "--json"]);
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout).findings.length, 15);
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
      cfg: "deno run --config=other.json -P=check_permissions --no-prompt probe.ts",
      ok: "deno run -P=check_permissions --no-prompt probe.ts",
    };
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(real));
    await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
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
    // FOO=1 and the line break are findings of their own, and each deno run lacks --no-prompt.
    assert.match(r.stderr, /^check_permissions: 14 finding\(s\)$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A project folder: the real deno.json and deno.lock, with `tasks` and extra files. */
async function project(
  dir: string,
  tasks: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<void> {
  const real = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  real.tasks = { ok: "deno run -P=check_permissions --no-prompt probe.ts", ...tasks };
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(real));
  await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
}

async function findingsOf(config: string) {
  const r = await check(["--config", config, "--json"]);
  const findings = JSON.parse(r.stdout).findings as { code: string; where: string }[];
  return { code: r.code, stderr: r.stderr, findings };
}

Deno.test("check_permissions.ts passes a clean project folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-perm-" });
  try {
    await project(`${dir}/p`, { fmt: "deno fmt" }, { "sub/deno.json": '{"fmt":{}}' });
    const r = await findingsOf(`${dir}/p/deno.json`);
    assert.deepEqual(r.findings, []);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check_permissions.ts refuses the reviewer's bypasses 1-7 in a project folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-perm-" });
  try {
    // Each of these ran a probe script with every permission on Deno 2.9.6.
    await project(`${dir}/p`, {
      selfexe: "/proc/self/exe run -A probe.ts",
      cpglob: "cp /usr/bin/den? ./rt && ./rt run -A probe.ts",
      nbsp: "deno run --quiet\u00a0-A probe.ts",
      bin: "mcp-server-memory",
      binpath: "node_modules/.bin/probebin",
      viapkg: "deno task evil",
      dep: { command: "echo dep-ran", dependencies: ["evil"] },
      nested: "deno run -P=check_permissions --no-prompt sub/probe.ts",
      pa: "deno run -PA probe.ts",
      inst: "deno install -gfA -q --root ./inst -n probe ./probe.ts && ./inst/bin/probe",
    }, {
      "package.json": '{"scripts":{"evil":"deno run -A probe.ts"}}',
      "sub/deno.json": '{"permissions":{"check_permissions":{"all":true}}}',
      "node_modules/.bin/probebin": "#!/usr/bin/env node\n",
    });
    const r = await findingsOf(`${dir}/p/deno.json`);
    assert.equal(r.code, 1, r.stderr);
    const named = [...new Set(r.findings.map((f) => `${f.code} ${f.where}`))].sort();
    assert.deepEqual(named, [
      'allow_all task "inst"',
      'allow_all task "pa"',
      'nested_config "sub/deno.json"',
      'no_prompt task "nbsp"',
      'no_prompt task "pa"',
      'package_scripts "package.json"',
      'unknown_set task "pa"',
      'unknown_task task "dep"',
      'unknown_task task "viapkg"',
      'unlisted_command task "bin"',
      'unlisted_command task "binpath"',
      'unlisted_command task "cpglob"',
      'unlisted_command task "inst"',
      'unlisted_command task "selfexe"',
      'unreadable_task task "cpglob"',
      'unreadable_task task "inst"',
      'unreadable_task task "nbsp"',
      'unreadable_task task "pa"',
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check_permissions.ts refuses a workspace above the project and a symlinked folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-perm-" });
  try {
    await project(`${dir}/p`, {}, { "sub/deno.jsonc": '{"tasks":{} // x\n}' });
    await Deno.writeTextFile(`${dir}/deno.json`, '{"workspace":["./p"],"permissions":{}}');
    await Deno.symlink(`${dir}`, `${dir}/p/up`);
    const r = await findingsOf(`${dir}/p/deno.json`);
    assert.deepEqual(r.findings.map((f) => `${f.code} ${f.where}`), [
      'nested_config "sub/deno.jsonc"',
      `nested_config "${dir}/deno.json"`,
      'nested_config "up"',
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
