/**
 * `scripts/build.ts` as a real subprocess, on what a release may be made of:
 * a runtime base for a target this machine cannot run is not trusted unless
 * `--base-sha256` pins it (nothing is compiled, listed, checksummed or
 * signed, and the build exits 1); a pin that does not match refuses its
 * target; the release key does not sign a tree with uncommitted changes (or
 * none); `--dry-run` exits as the build would, and `--json` reports a
 * stopped build on stdout. The bases here are `/bin/true` with a denort's
 * marks appended, used only to show what is refused; the one real compile is
 * skipped unless `DENORT_BIN` names a real denort. The git state the build
 * reads is a temp repository named by `GIT_DIR`, so the checkout's own state
 * does not matter.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { platformAssetCandidates } from "../../src/release/targets.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import {
  listDir,
  reusedOutDir,
  runBuild as build,
  signingKey,
  tempRepo,
} from "../scripts/_build_script.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const LINUX = Deno.build.os === "linux";
const OTHER = Deno.build.arch === "x86_64"
  ? { machine: 183, word: "linux-arm64", triple: "aarch64-unknown-linux-gnu" }
  : { machine: 62, word: "linux-x86_64", triple: "x86_64-unknown-linux-gnu" };
const HOST_ASSET = platformAssetCandidates("thoth", Deno.build.os, Deno.build.arch).at(-1) ?? "";
const REAL_DENORT = Deno.env.get("DENORT_BIN") ?? "";
/**
 * The out-dir of every build here that gets as far as its type check: with the same
 * commit stamped (a temp repository's, the same in each), one check serves them all.
 */
const OUT = await reusedOutDir("thoth-fix-build-out-");

/** `/bin/true` with a denort's marks, its header patched for another Linux CPU when `other`. */
async function fakeBase(dir: string, other: boolean): Promise<{ path: string; sha256: string }> {
  const real = await Deno.readFile("/bin/true");
  const marks = new TextEncoder().encode(`\0Deno.build.standalone\0Deno/${Deno.version.deno}\0`);
  const bytes = new Uint8Array(real.length + marks.length);
  bytes.set(real);
  bytes.set(marks, real.length);
  if (other) {
    bytes[18] = OTHER.machine;
    bytes[19] = 0;
  }
  const path = `${dir}/denort-${other ? "other" : "host"}`;
  await Deno.writeFile(path, bytes, { mode: 0o755 });
  return { path, sha256: await sha256Hex(bytes) };
}

Deno.test({
  name:
    "build.ts does not build, list or sign a binary for another target whose base is not pinned, and exits 1",
  ignore: !LINUX,
  async fn() {
    const dir = await tempFolder("thoth-fix-build-");
    const base = await fakeBase(dir, true);
    const out = await OUT.next();
    const r = await build(["--targets", OTHER.word, "--binaries", "thoth", "--json"], out, {
      DENORT_BIN: base.path,
      THOTH_RELEASE_SIGNING_KEY: await signingKey(dir),
      ...(await tempRepo(dir)).env,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /compiling for|built, not run/);
    assert.match(
      r.stderr,
      new RegExp(
        `not built: not releasable: this ${Deno.build.target} machine cannot run a binary for ` +
          `${OTHER.triple}.*SHA-256 ${base.sha256}.*--base-sha256 ${OTHER.triple}=`,
      ),
    );
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(summary.built, []);
    assert.deepEqual(summary.notBuilt.map((n: { status: string }) => n.status), [
      "unverified_base",
    ]);
    assert.deepEqual(await listDir(out), ["provenance.json", "sbom.cdx.json"]);
    const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
    assert.deepEqual(provenance.subjects, []);
    assert.equal(provenance.steps[0].status, "unverified_base");
  },
});

Deno.test({
  name:
    "build.ts refuses a base whose SHA-256 is not the pinned one, for another target or the host",
  ignore: !LINUX,
  async fn() {
    const dir = await tempFolder("thoth-fix-build-");
    const repo = await tempRepo(dir);
    for (const [other, word] of [[true, OTHER.word], [false, "host"]] as const) {
      const base = await fakeBase(dir, other);
      const pin = "0".repeat(64);
      const out = await OUT.next();
      const r = await build(
        ["--targets", word, "--binaries", "thoth", "--base-sha256", `${word}=${pin}`, "--json"],
        out,
        { DENORT_BIN: base.path, ...repo.env },
      );
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /compiling for/);
      assert.match(r.stderr, new RegExp(`has SHA-256 ${base.sha256}, not the ${pin} that`));
      assert.deepEqual(
        JSON.parse(r.stdout).notBuilt.map((n: { status: string }) => n.status),
        ["failed"],
      );
      assert.deepEqual(await listDir(out), ["provenance.json", "sbom.cdx.json"]);
    }
  },
});

Deno.test("build.ts refuses a malformed --base-sha256 as a usage error", async () => {
  const dir = await tempFolder("thoth-fix-build-");
  for (const value of ["linux-arm64", "linux-arm64=abc", "macos=" + "a".repeat(64), "=x"]) {
    const r = await build(["--dry-run", "--base-sha256", value], `${dir}/dist`);
    assert.equal(r.code, 2, `${value}: ${r.stderr}`);
    assert.match(r.stderr, /^build: error: --base-sha256 /m);
  }
});

for (const [what, dirty] of [["uncommitted changes", true], ["no git commit", false]] as const) {
  Deno.test(`build.ts with the release key refuses a tree with ${what} before building`, async () => {
    const dir = await tempFolder("thoth-fix-build-");
    const out = await OUT.next();
    const gitEnv = dirty
      ? (await tempRepo(dir, true)).env
      : { GIT_DIR: `${dir}/no-repo`, GIT_CEILING_DIRECTORIES: dir };
    const r = await build(["--targets", "host", "--binaries", "thoth", "--json"], out, {
      THOTH_RELEASE_SIGNING_KEY: await signingKey(dir),
      ...gitEnv,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      dirty
        ? /^build: error: refusing to sign a release built from uncommitted changes \(commit [0-9a-f]{12}-dirty\); nothing was built$/m
        : /^build: error: refusing to sign a release whose source commit is unknown/m,
    );
    assert.match(r.stderr, /--sign-uncommitted/);
    assert.deepEqual(await listDir(out), [], "nothing written");
    const error = JSON.parse(r.stdout).error;
    assert.equal(error.code, "build.uncommitted_signing");
    assert.equal(error.exitCode, 1);
    assert.ok(error.hints.length > 0);
  });
}

Deno.test("build.ts --dry-run exits as the build would and says why each compile would not build", async () => {
  const dir = await tempFolder("thoth-fix-build-");
  const r = await build(
    ["--dry-run", "--json", "--targets", "host", "--binaries", "thoth"],
    `${dir}/dist`,
  );
  assert.equal(r.code, 1, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.equal(plan.exitCode, 1);
  assert.equal(plan.compiles[0].wouldBuild, false);
  assert.match(plan.compiles[0].reason, /^no runtime base for .*: set DENORT_BIN/);
  // The dry run checks the output folder as the build does.
  const denied = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-read",
      `--allow-write=${dir}/dist`,
      "--allow-run",
      "--allow-env",
      `${ROOT}/scripts/build.ts`,
      "--out-dir",
      `${dir}/elsewhere`,
      "--dry-run",
      "--json",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(denied.code, 2);
  assert.equal(
    JSON.parse(new TextDecoder().decode(denied.stdout)).error.code,
    "usage.out_dir_not_writable",
  );
});

Deno.test({
  name: "build.ts builds the host binary on a pinned real DENORT_BIN and records the pin",
  ignore: REAL_DENORT === "",
  async fn() {
    const dir = await tempFolder("thoth-fix-build-");
    const out = `${dir}/dist`;
    const pin = await sha256Hex(await Deno.readFile(REAL_DENORT));
    const r = await build(
      ["--targets", "host", "--binaries", "thoth", "--base-sha256", `host=${pin}`, "--json"],
      out,
      { DENORT_BIN: REAL_DENORT },
    );
    assert.equal(r.code, 0, r.stderr);
    const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
    assert.equal(provenance.steps[0].base.foundSha256, pin);
    assert.equal(provenance.steps[0].base.pinned, true);
    assert.deepEqual(provenance.subjects.map((s: { name: string }) => s.name), [HOST_ASSET]);
  },
});

if (REAL_DENORT === "") {
  Deno.test({
    name: "build.ts pinned real compile: skipped because DENORT_BIN is not set",
    ignore: true,
    fn() {},
  });
}
