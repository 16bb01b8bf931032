/**
 * The permission check reads a release compile command by allowlist: the
 * flags `planBuild` writes pass, and a flag that loosens the binary's
 * runtime (a weakened TLS, an origin's storage, V8 or lock flags, an
 * environment file, code run first, a debugger port, a file embedded from
 * outside the project) is a finding, as it is in a task. Each flag goes where
 * `COMPILE_FIXED_FLAGS` would put it.
 */
import assert from "node:assert/strict";
import { checkPermissions, type CompileCommand } from "../../src/release/permission_check.ts";
import { COMPILE_FIXED_FLAGS, planBuild, RELEASE_BINARIES } from "../../src/release/build_plan.ts";
import { RELEASE_TARGETS } from "../../src/release/targets.ts";

const SETS = {
  thoth: { read: true, write: true, env: true, run: true, net: true },
  thothctl: { read: true, write: true, env: true },
};

function planned(root = "/r", outDir = "/r/dist"): CompileCommand[] {
  return planBuild({
    root,
    outDir,
    deno: "deno",
    importMap: `${outDir}/.stamp/import_map.json`,
    binaries: RELEASE_BINARIES,
    targets: RELEASE_TARGETS.map((t) => t.triple),
    permissionSets: SETS,
  }).compiles.map((c) => ({ label: c.asset, set: c.set, argv: c.argv }));
}

/** The thoth compile for Linux with `words` added after the fixed flags. */
function withFixed(...words: string[]): CompileCommand {
  const thoth = planned().find((c) => c.label === "thoth-linux-x86_64") as CompileCommand;
  const at = 2 + COMPILE_FIXED_FLAGS.length;
  return { ...thoth, argv: [...thoth.argv.slice(0, at), ...words, ...thoth.argv.slice(at)] };
}

function findings(compile: CompileCommand) {
  return checkPermissions({ permissions: SETS }, [compile]);
}

Deno.test("checkPermissions() passes every compile command the build plans", () => {
  assert.deepEqual(checkPermissions({ permissions: SETS }, planned()), []);
  // A Windows build joins its root with backslashes and the plan with slashes.
  assert.deepEqual(
    checkPermissions({ permissions: SETS }, planned("C:\\src\\thoth", "D:\\out")),
    [],
  );
  assert.deepEqual(findings(withFixed("--cached-only", "--v8-flags=--max-old-space-size=512")), []);
});

const LOOSENING: { flag: string; code: string; says: RegExp }[] = [
  {
    flag: "--unsafely-ignore-certificate-errors",
    code: "weakened_tls",
    says: /turns off TLS certificate checks/,
  },
  { flag: "--cert=/tmp/x.pem", code: "weakened_tls", says: /another certificate authority/ },
  { flag: "--location=https://x.example", code: "runtime_flag", says: /localStorage/ },
  { flag: "--v8-flags=--allow-natives-syntax", code: "runtime_flag", says: /internal functions/ },
  { flag: "--env-file=/tmp/x", code: "deno_env", says: /environment variables from a file/ },
  { flag: "--env", code: "deno_env", says: /environment variables from a file/ },
  { flag: "--preload=/tmp/x.js", code: "outside_project", says: /runs before the main module/ },
  { flag: "--import=src/x.ts", code: "runtime_flag", says: /not among the flags/ },
  { flag: "--no-lock", code: "runtime_flag", says: /deno\.lock's integrity check/ },
  { flag: "--vendor", code: "runtime_flag", says: /vendor folder/ },
  { flag: "--inspect", code: "debugger", says: /debugger port/ },
  { flag: "--inspect-brk=0.0.0.0:9229", code: "debugger", says: /debugger port/ },
  { flag: "--include=/etc/passwd", code: "outside_project", says: /not a module under/ },
  { flag: "--include=/r/.git/config.ts", code: "outside_project", says: /not a module under/ },
  { flag: "--include=/r/src/../../etc/x.ts", code: "outside_project", says: /not a module/ },
  { flag: "--frozen=false", code: "runtime_flag", says: /not among the flags/ },
  { flag: "--no-config", code: "runtime_flag", says: /not among the flags/ },
];

for (const v of LOOSENING) {
  Deno.test(`checkPermissions() refuses ${v.flag} on a compile command`, () => {
    const found = findings(withFixed(v.flag));
    const hit = found.find((f) => f.code === v.code);
    assert.ok(hit !== undefined, JSON.stringify(found));
    assert.equal(hit.where, "compile thoth-linux-x86_64");
    assert.match(hit.message, v.says);
    for (const part of v.flag.split("=")) assert.ok(hit.message.includes(part), hit.message);
    assert.match(hit.message, /src\/release\/build_plan\.ts/);
  });
}

Deno.test("checkPermissions() refuses a second import map, config or target on a compile command", () => {
  for (const flag of ["--import-map=/tmp/i.json", "--config=/tmp/deno.json", "--target=x"]) {
    const found = findings(withFixed(flag)).filter((f) => f.code === "compile_mismatch");
    assert.ok(found.some((f) => /times/.test(f.message)), `${flag}: ${JSON.stringify(found)}`);
  }
  const thoth = planned()[0] as CompileCommand;
  const swap = (from: RegExp, to: string) => ({
    ...thoth,
    argv: thoth.argv.map((w) => from.test(w) ? to : w),
  });
  const says = (c: CompileCommand) => findings(c).map((f) => `${f.code} ${f.message}`).join("\n");
  assert.match(says(swap(/^--import-map=/, "--import-map=/tmp/i.json")), /stamped import map/);
  assert.match(says(swap(/^--target=/, "--target=x86_64-unknown-freebsd")), /not a release/);
  assert.match(says(swap(/^--config=/, "--config=/r/other.jsonc")), /not the project's deno/);
  assert.match(says(swap(/^\/r\/src\/cli\/thoth\.ts$/, "/tmp/x.ts")), /not a module of the/);
});

Deno.test("checkPermissions() refuses words a compile command would bake into the binary", () => {
  const thoth = planned()[0] as CompileCommand;
  const baked = findings({ ...thoth, argv: [...thoth.argv, "--verbose"] });
  assert.deepEqual(baked.map((f) => f.code), ["compile_mismatch"]);
  assert.match(baked[0]?.message ?? "", /bakes "--verbose" into the binary/);
  // A module before the entry is compiled instead, and the rest baked in.
  const first = findings(withFixed("extra.ts"));
  assert.ok(first.some((f) => /bakes .* \(they follow the module "extra\.ts"\)/.test(f.message)));
});
