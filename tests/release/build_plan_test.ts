import assert from "node:assert/strict";
import {
  listFlag,
  planBuild,
  RELEASE_BINARIES,
  stampImportMap,
  stampVersionModule,
} from "../../src/release/build_plan.ts";
import {
  assetName,
  platformAssetCandidates,
  RELEASE_TARGETS,
  resolveTargetWord,
} from "../../src/release/targets.ts";
import { isAppError } from "../../src/errors.ts";

const SETS = { thoth: { read: true, run: true }, thothctl: { read: true } };

Deno.test("planBuild() plans every binary for every target with the reference names", () => {
  const plan = planBuild({
    root: "/src/thoth",
    outDir: "/out",
    deno: "/bin/deno",
    importMap: "/out/.stamp/import_map.json",
    binaries: RELEASE_BINARIES,
    targets: RELEASE_TARGETS.map((t) => t.triple),
    permissionSets: SETS,
  });
  assert.deepEqual(plan.compiles.map((c) => c.asset), [
    "thoth-linux-x86_64",
    "thoth-linux-arm64",
    "thoth-macos-x86_64",
    "thoth-macos-arm64",
    "thoth-windows-x86_64.exe",
    "thothctl-linux-x86_64",
    "thothctl-linux-arm64",
    "thothctl-macos-x86_64",
    "thothctl-macos-arm64",
    "thothctl-windows-x86_64.exe",
  ]);
  assert.deepEqual(plan.universals.map((u) => [u.asset, ...u.parts]), [
    ["thoth-macos-universal", "thoth-macos-x86_64", "thoth-macos-arm64"],
    ["thothctl-macos-universal", "thothctl-macos-x86_64", "thothctl-macos-arm64"],
  ]);
  const first = plan.compiles[0];
  assert.ok(first !== undefined);
  assert.deepEqual(first.argv, [
    "/bin/deno",
    "compile",
    "--no-check",
    "--frozen-lockfile",
    "--exclude-unused-npm",
    "--no-prompt",
    "--no-remote",
    "--unstable-worker-options",
    "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks,--max-semi-space-size=2,--heap-growing-percent=20",
    "--config=/src/thoth/deno.json",
    "--import-map=/out/.stamp/import_map.json",
    "--allow-read",
    "--allow-run",
    "--include=/src/thoth/src/proxy/proxy_worker.ts",
    "--include=/src/thoth/src/cli/thoth_program.ts",
    "--include=/src/thoth/src/identity/thoth_env.ts",
    "--include=/src/thoth/src/cli/run.ts",
    "--include=/src/thoth/src/cli/wrap_config.ts",
    "--include=/src/thoth/src/cli/unwrap_config.ts",
    "--include=/src/thoth/src/cli/status.ts",
    "--include=/src/thoth/src/cli/doctor.ts",
    "--include=/src/thoth/src/cli/health.ts",
    "--include=/src/thoth/src/cli/doctor_plugins.ts",
    "--include=/src/thoth/src/cli/set_api_key.ts",
    "--include=/src/thoth/src/cli/auth.ts",
    "--include=/src/thoth/src/cli/audit.ts",
    "--include=/src/thoth/src/cli/policy.ts",
    "--include=/src/thoth/src/cli/approvals.ts",
    "--include=/src/thoth/src/cli/update.ts",
    "--target=x86_64-unknown-linux-gnu",
    "--output=/out/thoth-linux-x86_64",
    "/src/thoth/src/cli/thoth.ts",
  ]);
  const ctl = plan.compiles.find((c) => c.asset === "thothctl-windows-x86_64.exe");
  assert.deepEqual(ctl?.permissionFlags, ["--allow-read"]);
  assert.equal(ctl?.argv.at(-1), "/src/thoth/src/cli/thothctl.ts");
  assert.deepEqual(ctl?.argv.filter((a) => a.startsWith("--include=")), [
    "--include=/src/thoth/src/identity/thoth_env.ts",
    "--include=/src/thoth/src/config/parse_intent_map.ts",
    "--include=/src/thoth/src/cli/auth.ts",
    "--include=/src/thoth/src/cli/audit.ts",
    "--include=/src/thoth/src/cli/policy.ts",
    "--include=/src/thoth/src/cli/approvals.ts",
  ]);
  assert.ok(plan.compiles.every((c) => !c.argv.includes("-A") && !c.argv.includes("--allow-all")));
});

Deno.test("planBuild() plans no universal binary without both macOS parts", () => {
  const plan = planBuild({
    root: "/r",
    outDir: "/r/dist",
    deno: "deno",
    importMap: "/m.json",
    binaries: [{ name: "thoth", entry: "src/cli/thoth.ts", set: "thoth" }],
    targets: ["aarch64-apple-darwin"],
    permissionSets: SETS,
  });
  assert.deepEqual(plan.compiles.map((c) => c.asset), ["thoth-macos-arm64"]);
  assert.deepEqual(plan.universals, []);
});

Deno.test("planBuild() refuses a binary without a permission set", () => {
  assert.throws(
    () =>
      planBuild({
        root: "/r",
        outDir: "/o",
        deno: "deno",
        importMap: "/m.json",
        binaries: RELEASE_BINARIES,
        targets: ["x86_64-unknown-linux-gnu"],
        permissionSets: { thoth: {} },
      }),
    (e) => isAppError(e, "build.missing_set") && /"thothctl"/.test(e.message),
  );
});

Deno.test("resolveTargetWord() accepts host, all, macos, suffixes and triples", () => {
  assert.deepEqual(resolveTargetWord("host", "aarch64-unknown-linux-gnu"), [
    "aarch64-unknown-linux-gnu",
  ]);
  assert.equal(resolveTargetWord("all", "x86_64-unknown-linux-gnu").length, 5);
  assert.deepEqual(resolveTargetWord("macos", "x"), [
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
  ]);
  assert.deepEqual(resolveTargetWord("windows-x86_64", "x"), ["x86_64-pc-windows-msvc"]);
  assert.deepEqual(resolveTargetWord("linux-arm64", "x"), ["aarch64-unknown-linux-gnu"]);
  assert.deepEqual(resolveTargetWord("x86_64-apple-darwin", "x"), ["x86_64-apple-darwin"]);
  assert.throws(
    () => resolveTargetWord("linux-riscv", "x"),
    (e) => isAppError(e, "build.unknown_target"),
  );
});

Deno.test("platformAssetCandidates() is a pure function of os and arch", () => {
  assert.deepEqual(platformAssetCandidates("thoth", "linux", "x86_64"), ["thoth-linux-x86_64"]);
  assert.deepEqual(platformAssetCandidates("thoth", "linux", "aarch64"), ["thoth-linux-arm64"]);
  assert.deepEqual(platformAssetCandidates("thoth", "darwin", "aarch64"), [
    "thoth-macos-universal",
    "thoth-macos-arm64",
  ]);
  assert.deepEqual(platformAssetCandidates("thoth", "windows", "x86_64"), [
    "thoth-windows-x86_64.exe",
  ]);
  assert.deepEqual(platformAssetCandidates("thoth", "windows", "aarch64"), []);
  assert.deepEqual(platformAssetCandidates("thoth", "freebsd", "x86_64"), []);
  assert.equal(assetName("thothctl", "aarch64-unknown-linux-gnu"), "thothctl-linux-arm64");
});

Deno.test("stampVersionModule() replaces BUILD_COMMIT and nothing else", async () => {
  const source = await Deno.readTextFile(new URL("../../src/version.ts", import.meta.url));
  const stamped = stampVersionModule(source, "0123456789ab-dirty");
  assert.match(stamped, /export const BUILD_COMMIT = "0123456789ab-dirty";/);
  assert.equal(stamped.replace('"0123456789ab-dirty"', '"source"'), source);
  assert.throws(
    () => stampVersionModule(source, 'x"; evil()'),
    (e) => isAppError(e, "build.stamp_failed"),
  );
  assert.throws(
    () => stampVersionModule("export const X = 1;", "abcdef0"),
    (e) => isAppError(e, "build.stamp_failed"),
  );
});

Deno.test("stampImportMap() keeps the config's imports and maps version.ts to the stamp", () => {
  const map = stampImportMap(
    { imports: { zod: "npm:zod@4.6.7", "@/": "./src/" } },
    "file:///r/",
    "file:///r/src/version.ts",
    "file:///o/.stamp/version.ts",
  );
  assert.deepEqual(map.imports, {
    zod: "npm:zod@4.6.7",
    "@/": "file:///r/src/",
    "file:///r/src/version.ts": "file:///o/.stamp/version.ts",
  });
});

Deno.test("listFlag() refuses an empty --targets or --binaries as a usage error naming the flag", () => {
  assert.deepEqual(listFlag("targets", " host ,linux-arm64,"), ["host", "linux-arm64"]);
  assert.equal(listFlag("binaries", undefined), undefined);
  for (const [flag, value] of [["targets", ""], ["binaries", " , "]] as const) {
    assert.throws(
      () => listFlag(flag, value),
      (e) =>
        isAppError(e, "usage.empty_list") && e.exitCode === 2 &&
        e.message === `--${flag} is empty: it names nothing to build`,
    );
  }
});
