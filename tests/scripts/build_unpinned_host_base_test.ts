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
import { platformAssetCandidates } from "../../src/release/targets.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { VERSION } from "../../src/version.ts";
import { baseVerdict } from "../../src/release/base_pin.ts";
import type { TargetTriple } from "../../src/release/targets.ts";
import { listDir, runBuild, signingKey, tempRepo } from "./_build_script.ts";

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

/** build.ts for the host's thoth binary only. */
function build(args: string[], outDir: string, env: Record<string, string>) {
  return runBuild(["--targets", "host", "--binaries", "thoth", ...args], outDir, env);
}

async function setup() {
  const dir = await tempFolder("thoth-unpinned-base-");
  const git = await tempRepo(dir);
  const base = await fakeBase(dir, `thoth ${VERSION} (${HOST}; commit ${git.commit})`);
  return { dir, git, base, keyPath: await signingKey(dir) };
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
