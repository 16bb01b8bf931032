/**
 * `scripts/build.ts` as a real subprocess, on what a reviewer found: a binary
 * named twice in `--binaries` built and listed twice, assets of an earlier
 * build left unlisted beside `checksums.sha256`, a command line the parser
 * refuses printing no JSON under `--json`, and a `--base-sha256` pin for a
 * target not built ignored in silence. The real builds use a small C program
 * as the runtime base (`_fake_denort.ts`) and are skipped without a C
 * compiler; the dry runs and usage errors need none.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { parseChecksums } from "../../src/release/checksums.ts";
import { platformAssetCandidates } from "../../src/release/targets.ts";
import { VERSION } from "../../src/version.ts";
import { listDir, runBuild, tempRepo } from "./_build_script.ts";
import { fakeDenort, findCc } from "./_fake_denort.ts";

const HOST = Deno.build.target;
const asset = (binary: string) =>
  platformAssetCandidates(binary, Deno.build.os, Deno.build.arch).at(-1) ?? "";
const PIN = "ab".repeat(32);
const CC = await findCc();

/** A temp folder with a git repository and, when there is a C compiler, a stand-in base. */
async function setup(prefix: string) {
  const dir = await tempFolder(prefix);
  const git = await tempRepo(dir);
  const base = CC === undefined
    ? undefined
    : await fakeDenort(CC, dir, `${VERSION} (${HOST}; commit ${git.commit})`);
  return { dir, git, base };
}

/** Assets an earlier build of other binaries and targets would have left, and a file of the user's. */
async function plantLeftovers(out: string): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  for (const name of ["thothctl-linux-arm64", "thoth-windows-x86_64.exe", "notes.txt"]) {
    await Deno.writeTextFile(`${out}/${name}`, "from an earlier build\n");
  }
}

Deno.test("build.ts --json prints the JSON error object when the command line is refused", async () => {
  const dir = await tempFolder("thoth-build-args-");
  for (
    const [args, code] of [
      [["--json", "--frobnicate"], "usage.unknown_option"],
      [["--frobnicate", "--json"], "usage.unknown_option"],
      [["--json", "--targets"], "usage.bad_flag"],
      [["--json", "stray"], "usage.bad_flag"],
    ] as const
  ) {
    const r = await runBuild([...args], `${dir}/dist`);
    assert.equal(r.code, 2, r.stderr);
    assert.notEqual(r.stdout, "", `${args.join(" ")}: stdout is empty`);
    const { error } = JSON.parse(r.stdout);
    assert.equal(error.code, code, args.join(" "));
    assert.equal(error.exitCode, 2);
    assert.ok(error.message !== "" && error.hints.length > 0);
    assert.match(r.stderr, /^build: error: /m);
    assert.match(r.stderr, /^usage: deno task build/m, "the usage is still shown");
  }
  // Without --json, stdout stays empty.
  const plain = await runBuild(["--frobnicate"], `${dir}/dist`);
  assert.equal(plain.code, 2);
  assert.equal(plain.stdout, "");
  assert.match(plain.stderr, /^build: error: Unknown option '--frobnicate'$/m);
  assert.deepEqual(await listDir(`${dir}/dist`), []);
});

Deno.test("build.ts --dry-run plans a binary or target named twice once", async () => {
  const { dir, git } = await setup("thoth-build-repeat-dry-");
  const r = await runBuild(
    ["--dry-run", "--json", "--targets", "host,host", "--binaries", "thoth,thoth,thothctl"],
    `${dir}/dist`,
    git.env,
  );
  assert.equal(r.code, 1, r.stderr); // no runtime base in the empty cache
  const plan = JSON.parse(r.stdout);
  assert.deepEqual(plan.compiles.map((c: { asset: string }) => c.asset), [
    asset("thoth"),
    asset("thothctl"),
  ]);
  const text = await runBuild(
    ["--dry-run", "--targets", "host,host", "--binaries", "thoth,thoth,thothctl"],
    `${dir}/dist`,
    git.env,
  );
  assert.match(text.stderr, /plan for 1 target\(s\) x 2 binary\(ies\)/);
});

Deno.test("build.ts --dry-run names the earlier build's assets it would remove and removes none", async () => {
  const { dir, git } = await setup("thoth-build-leftover-dry-");
  const out = `${dir}/dist`;
  await plantLeftovers(out);
  const before = await listDir(out);
  const r = await runBuild(
    ["--dry-run", "--json", "--targets", "host", "--binaries", "thoth"],
    out,
    git.env,
  );
  assert.equal(r.code, 1, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.deepEqual(plan.wouldRemove, ["thoth-windows-x86_64.exe", "thothctl-linux-arm64"]);
  const text = await runBuild(
    ["--dry-run", "--targets", "host", "--binaries", "thoth"],
    out,
    git.env,
  );
  assert.match(
    text.stderr,
    /^build: thothctl-linux-arm64: would remove: left by an earlier build/m,
  );
  assert.deepEqual(await listDir(out), before, "a dry run removes nothing");
});

Deno.test("build.ts warns about a --base-sha256 pin for a target it does not build", async () => {
  const { dir, git } = await setup("thoth-build-unused-pin-");
  const r = await runBuild(
    [
      "--dry-run",
      "--json",
      "--targets",
      "host",
      "--binaries",
      "thoth",
      "--base-sha256",
      `${HOST === "x86_64-pc-windows-msvc" ? "linux-arm64" : "windows-x86_64"}=${PIN}`,
    ],
    `${dir}/dist`,
    git.env,
  );
  const other = HOST === "x86_64-pc-windows-msvc"
    ? "aarch64-unknown-linux-gnu"
    : "x86_64-pc-windows-msvc";
  assert.match(
    r.stderr,
    new RegExp(
      `^build: warning: --base-sha256 pins ${other} \\(${PIN}\\), which this build does not ` +
        `build \\(targets: ${HOST}\\); the pin is unused`,
      "m",
    ),
  );
  const plan = JSON.parse(r.stdout);
  assert.deepEqual(plan.unusedPins.map((u: { target: string }) => u.target), [other]);
  assert.match(plan.unusedPins[0].note, /the pin is unused/);

  // A pin for a target that is built is not reported.
  const used = await runBuild(
    [
      "--dry-run",
      "--json",
      "--targets",
      "host",
      "--binaries",
      "thoth",
      "--base-sha256",
      `host=${PIN}`,
    ],
    `${dir}/dist`,
    git.env,
  );
  assert.doesNotMatch(used.stderr, /unused/);
  assert.deepEqual(JSON.parse(used.stdout).unusedPins, []);
});

if (CC === undefined) {
  Deno.test({
    name:
      "build.ts repeats and leftovers in a real build: skipped because no C compiler is on PATH",
    ignore: true,
    fn() {},
  });
}

Deno.test({
  name: "build.ts --binaries thoth,thoth,thothctl builds, checksums and lists each binary once",
  ignore: CC === undefined,
  async fn() {
    const { dir, git, base } = await setup("thoth-build-repeat-");
    const out = `${dir}/dist`;
    const r = await runBuild(
      ["--json", "--targets", "host", "--binaries", "thoth,thoth,thothctl"],
      out,
      { ...git.env, DENORT_BIN: base?.path ?? "" },
    );
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    const names = [asset("thoth"), asset("thothctl")];
    assert.deepEqual(summary.built.map((b: { name: string }) => b.name), names);
    const sums = parseChecksums(await Deno.readTextFile(`${out}/checksums.sha256`));
    assert.deepEqual([...sums.keys()].sort(), [...names].sort());
    const lines = (await Deno.readTextFile(`${out}/checksums.sha256`)).trim().split("\n");
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(r.stderr, /build: 2 of 2 asset\(s\) built/);
  },
});

Deno.test({
  name:
    "build.ts removes an earlier build's assets it does not make, says so, and keeps other files",
  ignore: CC === undefined,
  async fn() {
    const { dir, git, base } = await setup("thoth-build-leftover-");
    const out = `${dir}/dist`;
    await plantLeftovers(out);
    const r = await runBuild(
      ["--json", "--targets", "host", "--binaries", "thoth"],
      out,
      { ...git.env, DENORT_BIN: base?.path ?? "" },
    );
    assert.equal(r.code, 0, r.stderr);
    for (const name of ["thoth-windows-x86_64.exe", "thothctl-linux-arm64"]) {
      assert.match(
        r.stderr,
        new RegExp(`^build: ${name.replace(".", "\\.")}: removed: left by an earlier build`, "m"),
      );
    }
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(summary.removed, ["thoth-windows-x86_64.exe", "thothctl-linux-arm64"]);
    assert.deepEqual(
      await listDir(out),
      [
        "checksums.sha256",
        "notes.txt",
        "provenance.json",
        "release-manifest.json",
        "sbom.cdx.json",
        asset("thoth"),
      ].sort(),
    );
    const sums = parseChecksums(await Deno.readTextFile(`${out}/checksums.sha256`));
    assert.deepEqual([...sums.keys()], [asset("thoth")]);
  },
});
