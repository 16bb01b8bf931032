/**
 * `scripts/build.ts` as a real subprocess with a fake runtime base for the
 * host: a small C program that carries a denort's marks and prints the
 * version line the build expects, and nothing else (it ignores `run`). It
 * passes every functional check, so only a pin can tell it from Deno's
 * denort: with the release key set and no `--base-sha256`, the build stops
 * with `build.unpinned_base` naming the target and the base's SHA-256 and
 * writes nothing; without the key it builds and says, on stderr and in
 * provenance.json, that the base is unpinned and unproven. Skipped without a
 * C compiler. The git state the build reads is a temp repository named by
 * `GIT_DIR`, so the checkout's own state does not matter.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { newReleaseKey } from "../../src/release/release_signing_key.ts";
import { platformAssetCandidates } from "../../src/release/targets.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { VERSION } from "../../src/version.ts";
import { baseVerdict } from "../../src/release/base_pin.ts";
import type { TargetTriple } from "../../src/release/targets.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const HOST = Deno.build.target;
const HOST_ASSET = platformAssetCandidates("thoth", Deno.build.os, Deno.build.arch).at(-1) ?? "";
const dec = new TextDecoder();

async function findCc(): Promise<string | undefined> {
  if (Deno.build.os === "windows") return undefined;
  for (const name of ["cc", "gcc", "clang"]) {
    try {
      const out = await new Deno.Command(name, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      })
        .output();
      if (out.code === 0) return name;
    } catch {
      // Not on PATH.
    }
  }
  return undefined;
}

const CC = await findCc();

async function git(dir: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  return dec.decode(out.stdout).trim();
}

/** A clean temp git repository with one commit, and the 12-digit commit the build stamps. */
async function repo(dir: string): Promise<{ env: Record<string, string>; commit: string }> {
  const work = `${dir}/repo`;
  await Deno.mkdir(work);
  await Deno.writeTextFile(`${work}/file.txt`, "one\n");
  await git(work, "init", "-q");
  await git(work, "add", "file.txt");
  await git(work, "commit", "-q", "-m", "one");
  const head = await git(work, "rev-parse", "HEAD");
  return { env: { GIT_DIR: `${work}/.git`, GIT_WORK_TREE: work }, commit: head.slice(0, 12) };
}

/** Compiles the impostor: a host executable with denort's marks that prints `line` for --version. */
async function fakeBase(dir: string, line: string): Promise<{ path: string; sha256: string }> {
  const source = `${dir}/fake.c`;
  const path = `${dir}/fake-denort`;
  await Deno.writeTextFile(
    source,
    `#include <stdio.h>
#include <string.h>
__attribute__((used)) static const char marks[] = "Deno.build.standalone Deno/${Deno.version.deno} ";
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) { puts(${JSON.stringify(line)}); return 0; }
  return 0;
}
`,
  );
  const out = await new Deno.Command(CC as string, {
    args: ["-o", path, source],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  return { path, sha256: await sha256Hex(await Deno.readFile(path)) };
}

async function build(args: string[], outDir: string, env: Record<string, string>) {
  const all = Deno.env.toObject();
  delete all["DENORT_BIN"];
  delete all["THOTH_RELEASE_SIGNING_KEY"];
  Object.assign(all, env);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-read",
      `--allow-write=${outDir}`,
      "--allow-run",
      "--allow-env",
      `${ROOT}/scripts/build.ts`,
      "--out-dir",
      outDir,
      "--denort-cache",
      `${outDir}-no-cache`,
      "--targets",
      "host",
      "--binaries",
      "thoth",
      ...args,
    ],
    cwd: ROOT,
    env: all,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

async function setup() {
  const dir = await tempFolder("thoth-unpinned-base-");
  const git = await repo(dir);
  const base = await fakeBase(dir, `thoth ${VERSION} (${HOST}; commit ${git.commit})`);
  const key = await newReleaseKey("thoth-test-release");
  await Deno.writeTextFile(`${dir}/release.key`, JSON.stringify(key.file));
  return { dir, git, base, keyPath: `${dir}/release.key` };
}

if (CC === undefined) {
  Deno.test({
    name: "build.ts unpinned host base: skipped because no C compiler (cc, gcc, clang) is on PATH",
    ignore: true,
    fn() {},
  });
}

Deno.test({
  name:
    "build.ts with the release key refuses an unpinned host base (a fake that passes --version) before building",
  ignore: CC === undefined,
  async fn() {
    const { dir, git, base, keyPath } = await setup();
    const out = `${dir}/dist`;
    const env = { ...git.env, DENORT_BIN: base.path, THOTH_RELEASE_SIGNING_KEY: keyPath };
    const r = await build(["--json"], out, env);
    assert.notEqual(r.code, 0, r.stderr);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /compiling for|: built/);
    assert.match(
      r.stderr,
      new RegExp(
        `^build: error: refusing to sign a release built on an unpinned runtime base: .*` +
          `for ${HOST} has SHA-256 ${base.sha256}, and no --base-sha256 pins it`,
        "m",
      ),
    );
    assert.match(r.stderr, new RegExp(`--base-sha256 ${HOST}=<that SHA-256>`));
    assert.match(r.stderr, /sha256sum/);
    const error = JSON.parse(r.stdout).error;
    assert.equal(error.code, "build.unpinned_base");
    assert.equal(error.exitCode, 1);
    assert.ok(error.message.includes(base.sha256) && error.message.includes(HOST));
    assert.ok(error.hints.some((h: string) => h.includes(`--base-sha256 ${HOST}=`)));
    assert.deepEqual(await listDir(out), [], "nothing written: no binary, checksums or signature");

    // The dry run stops on the same check; with the base pinned it would build.
    const dry = await build(["--dry-run", "--json"], `${dir}/dry`, env);
    assert.equal(dry.code, 1, dry.stderr);
    assert.equal(JSON.parse(dry.stdout).error.code, "build.unpinned_base");
    const pinned = await build(
      ["--dry-run", "--json", "--base-sha256", `host=${base.sha256}`],
      `${dir}/dry`,
      env,
    );
    assert.equal(pinned.code, 0, pinned.stderr);
    const plan = JSON.parse(pinned.stdout);
    assert.equal(plan.signed, true);
    assert.equal(plan.compiles[0].wouldBuild, true);
    assert.equal(plan.compiles[0].reason, "base matches --base-sha256");
  },
});

Deno.test({
  name:
    "build.ts without the release key builds on an unpinned host base and says it is unpinned and unproven",
  ignore: CC === undefined,
  async fn() {
    const { dir, git, base } = await setup();
    const out = `${dir}/dist`;
    const env = { ...git.env, DENORT_BIN: base.path };
    const dry = await build(["--dry-run", "--json"], out, env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(JSON.parse(dry.stdout).compiles[0].reason, /unpinned and unproven/);

    const r = await build(["--json"], out, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `${HOST_ASSET}: built on an UNPINNED runtime base: the runtime base for ${HOST} ` +
          `\\(SHA-256 ${base.sha256}\\) is unpinned and unproven`,
      ),
    );
    assert.match(r.stderr, /^build: note: the runtime base for .* is unpinned and unproven/m);
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(summary.built.map((b: { name: string }) => b.name), [HOST_ASSET]);
    assert.equal(summary.built[0].basePinned, false);
    assert.ok(!(await listDir(out)).includes("checksums.sha256.sig"), "not signed");
    const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
    const step = provenance.steps[0];
    assert.equal(step.status, "built");
    assert.equal(step.base.pinned, false);
    assert.equal(step.base.foundSha256, base.sha256);
    assert.match(step.note, /unpinned and unproven/);
  },
});

Deno.test("baseVerdict refuses an unpinned host base for a signed release, and uses it unsigned", () => {
  const sha = "ab".repeat(32);
  const signed = baseVerdict(HOST as TargetTriple, HOST, undefined, sha, "the base", true);
  assert.equal(signed.use, false);
  assert.ok(!signed.use && signed.status === "unverified_base" && signed.note.includes(sha));
  assert.deepEqual(baseVerdict(HOST as TargetTriple, HOST, undefined, sha), {
    use: true,
    pinned: false,
  });
  assert.deepEqual(baseVerdict(HOST as TargetTriple, HOST, sha, sha, "the base", true), {
    use: true,
    pinned: true,
  });
});
