/**
 * `scripts/build.ts` as a real subprocess with a narrow grant (write only to
 * its temp output dir). It compiles thoth for real only when `DENORT_BIN`
 * names a real denort; without it, every step up to the compile is still
 * checked, including that no binary is written when no runtime base exists.
 * On Linux, `/bin/true` with a denort's marks appended stands in for denort
 * (deno compile accepts it; the result is no thoth) to check that a cached
 * base reaches the compiler, that a binary for another CPU is not built on a
 * base no `--base-sha256` pins, and that the full deno with a patched header
 * is refused.
 */
import assert from "node:assert/strict";
import { parseChecksums } from "../../src/release/checksums.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { VERSION } from "../../src/version.ts";
import { platformAssetCandidates } from "../../src/release/targets.ts";
import { parseReleaseManifest } from "../../src/release/release_manifest.ts";
import { writeZip } from "../release/_zip.ts";
import { reusedOutDir } from "./_build_script.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const SCRIPT = `${ROOT}/scripts/build.ts`;
const HOST_ASSET = platformAssetCandidates("thoth", Deno.build.os, Deno.build.arch).at(-1) ?? "";
const DENORT_BIN = Deno.env.get("DENORT_BIN");
/** The out-dir of every build here that gets as far as its type check (one check for all). */
const OUT = await reusedOutDir("thoth-build-out-");

async function build(
  args: string[],
  outDir: string,
  denortBin?: string,
  options: { allowWrite?: string; env?: Record<string, string> } = {},
) {
  const env = Deno.env.toObject();
  delete env["DENORT_BIN"];
  delete env["THOTH_RELEASE_SIGNING_KEY"];
  if (denortBin !== undefined) env["DENORT_BIN"] = denortBin;
  Object.assign(env, options.env ?? {});
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      `--allow-write=${options.allowWrite ?? outDir}`,
      "--allow-run",
      "--allow-env",
      SCRIPT,
      "--out-dir",
      outDir,
      ...args,
    ],
    cwd: ROOT,
    env,
    clearEnv: true,
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

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-build-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("build.ts --dry-run --json plans 10 compiles with manifest flags and writes nothing", async () => {
  await withTempDir(async (dir) => {
    const out = await OUT.next();
    const r = await build(["--dry-run", "--json", "--denort-cache", `${dir}/cache`], out);
    // No runtime base anywhere: the build would exit 1, and so does its dry run.
    assert.equal(r.code, 1, r.stderr);
    const plan = JSON.parse(r.stdout);
    assert.equal(plan.dryRun, true);
    assert.deepEqual(
      plan.compiles.map((c: { asset: string }) => c.asset),
      [
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
      ],
    );
    const ctlExists = await Deno.stat(`${ROOT}/src/cli/thothctl.ts`).then(() => true, () => false);
    for (const c of plan.compiles) {
      assert.equal(c.entryMissing, c.asset.startsWith("thothctl") ? !ctlExists : false);
      assert.equal(c.base, null, "an empty cache and no DENORT_BIN give no base");
      assert.equal(c.wouldBuild, false);
      assert.ok(!c.argv.includes("-A") && !c.argv.includes("--allow-all"));
      assert.ok(c.argv.includes(`--target=${c.target}`));
      assert.ok(c.argv.includes(`--output=${out}/${c.asset}`));
    }
    assert.deepEqual(
      plan.universals.map((u: { asset: string }) => u.asset),
      ["thoth-macos-universal", "thothctl-macos-universal"],
    );
    assert.equal(
      await Deno.stat(out).then(() => true, () => false),
      false,
      "dry run writes nothing",
    );
  });
});

Deno.test("build.ts without a runtime base exits 1, says so and writes no binary", async () => {
  await withTempDir(async (dir) => {
    const out = await OUT.next();
    const r = await build(
      [
        "--targets",
        "host,windows-x86_64",
        "--binaries",
        "thoth",
        "--denort-cache",
        `${dir}/cache`,
        "--json",
      ],
      out,
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `${HOST_ASSET}: not built: no runtime base for ${Deno.build.target}: set DENORT_BIN`,
      ),
    );
    assert.match(r.stderr, /thoth-windows-x86_64\.exe: not built: no runtime base/);
    assert.match(
      r.stderr,
      /checksums\.sha256 and release-manifest\.json were not written; sbom\.cdx\.json and provenance\.json were written/,
    );
    assert.deepEqual(await listDir(out), ["provenance.json", "sbom.cdx.json"]);
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(summary.built, []);
    assert.deepEqual(summary.notBuilt.map((n: { status: string }) => n.status), [
      "no_base",
      "no_base",
    ]);
    const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
    assert.deepEqual(provenance.subjects, []);
    assert.deepEqual(provenance.steps.map((s: { status: string }) => s.status), [
      "no_base",
      "no_base",
    ]);
    const lockDigest = await sha256Hex(await Deno.readFile(`${ROOT}/deno.lock`));
    assert.equal(provenance.lock.sha256, lockDigest);
    const inputs = provenance.source.inputs.map((i: { path: string }) => i.path);
    for (
      const p of [
        "deno.json",
        "deno.lock",
        "src/version.ts",
        "scripts/build.ts",
        "generated:src/version.ts",
      ]
    ) {
      assert.ok(inputs.includes(p), `provenance lists ${p}`);
    }
    const bom = JSON.parse(await Deno.readTextFile(`${out}/sbom.cdx.json`));
    assert.equal(bom.bomFormat, "CycloneDX");
    assert.equal(bom.specVersion, "1.5");
    // What the binaries would ship, not the whole lock: no test-only server, and the runtime.
    const names = bom.components.map((c: { name: string }) => c.name);
    assert.ok(names.includes("zod") && names.includes("denort"), names.join(", "));
    assert.ok(!names.includes("server-everything"), names.join(", "));
  });
});

Deno.test("build.ts refuses the full deno as DENORT_BIN, says it is set and why, and compiles nothing", async () => {
  await withTempDir(async (dir) => {
    const out = await OUT.next();
    const r = await build(
      ["--targets", "host", "--binaries", "thoth", "--denort-cache", `${dir}/cache`],
      out,
      Deno.execPath(),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /compiling for/);
    assert.match(
      r.stderr,
      new RegExp(
        `${HOST_ASSET}: not built: no runtime base for ${Deno.build.target} \\(DENORT_BIN is set ` +
          `to ".*", which is the full deno CLI, not a denort`,
      ),
    );
    assert.deepEqual(
      await listDir(out),
      ["provenance.json", "sbom.cdx.json"],
      "no binary, no checksums, no stamp dir",
    );
    const git = await new Deno.Command("git", {
      args: ["status", "--porcelain", "src/version.ts"],
      cwd: ROOT,
      stdout: "piped",
    }).output();
    assert.equal(new TextDecoder().decode(git.stdout), "", "the source tree is not edited");
  });
});

const LINUX = Deno.build.os === "linux";
const OTHER_LINUX = Deno.build.arch === "x86_64"
  ? { arch: "aarch64" as const, word: "linux-arm64", asset: "thoth-linux-arm64" }
  : { arch: "x86_64" as const, word: "linux-x86_64", asset: "thoth-linux-x86_64" };

/**
 * A small real executable for this Linux host, standing in for denort: it runs, but is not
 * thoth. It carries what the build looks for in a denort of this Deno (the runtime's
 * JavaScript and the user agent), appended where the ELF loader ignores it.
 */
async function hostStandIn(): Promise<Uint8Array> {
  const real = await Deno.readFile("/bin/true");
  const marks = new TextEncoder().encode(`\0Deno.build.standalone\0Deno/${Deno.version.deno}\0`);
  const out = new Uint8Array(real.length + marks.length);
  out.set(real);
  out.set(marks, real.length);
  return out;
}

Deno.test({
  name:
    "build.ts unpacks the --denort-cache base and gives it to deno compile, which never downloads",
  ignore: !LINUX,
  async fn() {
    await withTempDir(async (dir) => {
      const out = await OUT.next();
      const cache = `${dir}/dl/release/v${Deno.version.deno}`;
      await Deno.mkdir(cache, { recursive: true });
      const standIn = await hostStandIn();
      const zip = `${cache}/denort-${Deno.build.target}.zip`;
      await writeZip(zip, "denort", standIn, { deflate: true });
      const r = await build(
        ["--targets", "host", "--binaries", "thoth", "--denort-cache", `${dir}/dl`],
        out,
      );
      assert.equal(r.code, 1, r.stderr);
      // deno compile ran on the cached base (no download, no compile error); the result is no thoth.
      assert.doesNotMatch(r.stderr, /deno compile exited/);
      assert.match(r.stderr, /failed and deleted: ".*--version" printed .*not a working denort/);
      assert.match(
        r.stderr,
        new RegExp(`compiling for ${Deno.build.target} \\(base: cache ${zip}\\)`),
      );
      const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
      assert.deepEqual(provenance.steps[0].base, {
        source: "cache",
        path: zip,
        sha256: await sha256Hex(standIn),
        entry: "denort",
        foundSha256: await sha256Hex(await Deno.readFile(zip)),
        pinned: false,
      });
      assert.deepEqual(await listDir(out), ["provenance.json", "sbom.cdx.json"]);
    });
  },
});

Deno.test({
  name: "build.ts refuses a full deno whose header was patched for another CPU",
  ignore: !LINUX,
  async fn() {
    await withTempDir(async (dir) => {
      const out = await OUT.next();
      const patched = await Deno.readFile(Deno.execPath());
      patched[18] = OTHER_LINUX.arch === "aarch64" ? 183 : 62;
      patched[19] = 0;
      await Deno.writeFile(`${dir}/fake-denort`, patched);
      const r = await build(
        ["--targets", OTHER_LINUX.word, "--binaries", "thoth", "--denort-cache", `${dir}/none`],
        out,
        `${dir}/fake-denort`,
      );
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /compiling for/);
      assert.match(r.stderr, /which is the full deno CLI, not a denort/);
      assert.deepEqual(await listDir(out), ["provenance.json", "sbom.cdx.json"]);
    });
  },
});

Deno.test({
  name:
    "build.ts does not build a binary for another target on an unpinned base, and says how to pin it",
  ignore: !LINUX,
  async fn() {
    await withTempDir(async (dir) => {
      const out = await OUT.next();
      const standIn = await hostStandIn();
      standIn[18] = OTHER_LINUX.arch === "aarch64" ? 183 : 62;
      standIn[19] = 0;
      await Deno.writeFile(`${dir}/denort`, standIn);
      const r = await build(
        ["--targets", OTHER_LINUX.word, "--binaries", "thoth", "--json"],
        out,
        `${dir}/denort`,
      );
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /compiling for|built, not run/);
      assert.match(
        r.stderr,
        new RegExp(`${OTHER_LINUX.asset}: not built: not releasable: .*--base-sha256 `),
      );
      const summary = JSON.parse(r.stdout);
      assert.deepEqual(summary.built, []);
      const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
      assert.equal(provenance.steps[0].status, "unverified_base");
      assert.deepEqual(await listDir(out), ["provenance.json", "sbom.cdx.json"]);
    });
  },
});

if (!LINUX) {
  Deno.test({
    name:
      "build.ts cache, cross-target and patched-deno checks: skipped because they use Linux ELF stand-ins",
    ignore: true,
    fn() {},
  });
}

Deno.test("build.ts refuses an empty --targets or --binaries as a usage error", async () => {
  await withTempDir(async (dir) => {
    for (const flag of ["--targets", "--binaries"]) {
      const r = await build([flag, "", "--dry-run"], `${dir}/dist`);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`^build: error: ${flag} is empty: it names nothing to build$`, "m"),
      );
    }
  });
});

Deno.test("build.ts stops before building when THOTH_RELEASE_SIGNING_KEY names no file", async () => {
  await withTempDir(async (dir) => {
    const out = await OUT.next();
    const r = await build(["--targets", "host", "--binaries", "thoth"], out, undefined, {
      env: { THOTH_RELEASE_SIGNING_KEY: `${dir}/release.key` },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^build: error: THOTH_RELEASE_SIGNING_KEY names ".*release\.key", which does not exist; nothing was built$/m,
    );
    assert.doesNotMatch(r.stderr, /internal error|--verbose/);
    assert.equal(await Deno.stat(out).then(() => true, () => false), false, "nothing written");
  });
});

Deno.test("build.ts names an --out-dir it may not write, and accepts --verbose", async () => {
  await withTempDir(async (dir) => {
    const r = await build(
      ["--targets", "host", "--binaries", "thoth"],
      `${dir}/elsewhere`,
      undefined,
      {
        allowWrite: `${dir}/dist`,
      },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^build: error: --out-dir ".*elsewhere" is outside what the build may write/m,
    );
    assert.doesNotMatch(r.stderr, /internal error/);
    const verbose = await build(["--dry-run", "--targets", "host", "--verbose"], `${dir}/dist`);
    // Accepted (no usage error); without a runtime base the dry run exits 1 as the build would.
    assert.equal(verbose.code, 1, verbose.stderr);
    assert.match(verbose.stderr, /would not build: no runtime base/);
  });
});

Deno.test({
  name: "build.ts compiles thoth for the host with DENORT_BIN and stamps the commit",
  ignore: DENORT_BIN === undefined || DENORT_BIN === "",
  async fn() {
    await withTempDir(async (dir) => {
      const out = `${dir}/dist`;
      const r = await build(
        ["--targets", "host", "--binaries", "thoth", "--json"],
        out,
        DENORT_BIN,
      );
      assert.equal(r.code, 0, r.stderr);
      const summary = JSON.parse(r.stdout);
      const bin = `${out}/${HOST_ASSET}`;
      const version = await new Deno.Command(bin, { args: ["--version"], stdout: "piped" })
        .output();
      const line = new TextDecoder().decode(version.stdout).trim();
      assert.ok(
        line.startsWith(`thoth ${VERSION} (${Deno.build.target}; commit ${summary.commit})`),
        line,
      );
      assert.notEqual(summary.commit, "source");
      const sums = parseChecksums(await Deno.readTextFile(`${out}/checksums.sha256`));
      assert.deepEqual([...sums.keys()], [HOST_ASSET]);
      assert.equal(sums.get(HOST_ASSET), await sha256Hex(await Deno.readFile(bin)));
      const provenance = JSON.parse(await Deno.readTextFile(`${out}/provenance.json`));
      assert.deepEqual(provenance.subjects, [{ name: HOST_ASSET, sha256: sums.get(HOST_ASSET) }]);
      const manifest = parseReleaseManifest(
        await Deno.readTextFile(`${out}/release-manifest.json`),
      );
      assert.equal(manifest.version, VERSION);
      assert.deepEqual(manifest.assets, { [HOST_ASSET]: HOST_ASSET });
    });
  },
});

if (DENORT_BIN === undefined || DENORT_BIN === "") {
  Deno.test({
    name:
      "build.ts real compile: skipped because DENORT_BIN is not set (all steps before compiling were tested)",
    ignore: true,
    fn() {},
  });
}

Deno.test("build.ts rejects an unknown target as a usage error", async () => {
  await withTempDir(async (dir) => {
    const r = await build(["--targets", "linux-riscv64", "--dry-run"], `${dir}/dist`);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^build: error: unknown target "linux-riscv64"$/m);
  });
});
