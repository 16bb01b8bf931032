/**
 * `scripts/build.ts` as a real subprocess, given as `DENORT_BIN` an
 * executable that is no denort: the reviewer's `/bin/true` with its ELF
 * header patched for the other Linux CPU was published as "built, not run",
 * with checksums and a release manifest. It must be refused before anything
 * is compiled, naming DENORT_BIN and what was expected.
 */
import assert from "node:assert/strict";
import { listDir, reusedOutDir, runBuild } from "./_build_script.ts";

const LINUX = Deno.build.os === "linux";
const OTHER = Deno.build.arch === "x86_64"
  ? { machine: 183, word: "linux-arm64", triple: "aarch64-unknown-linux-gnu" }
  : { machine: 62, word: "linux-x86_64", triple: "x86_64-unknown-linux-gnu" };
/** Both builds' out-dir: one type check serves both. */
const OUT = await reusedOutDir("thoth-build-base-out-");

for (
  const [what, patch, word, triple] of [
    ["patched for another CPU", true, OTHER.word, OTHER.triple],
    ["for this host", false, "host", Deno.build.target],
  ] as const
) {
  Deno.test({
    name: `build.ts refuses /bin/true ${what} as DENORT_BIN and publishes nothing`,
    ignore: !LINUX,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "thoth-build-base-" });
      try {
        const fake = await Deno.readFile("/bin/true");
        if (patch) {
          fake[18] = OTHER.machine;
          fake[19] = 0;
        }
        await Deno.writeFile(`${dir}/fake`, fake, { mode: 0o755 });
        const out = await OUT.next();
        const r = await runBuild(
          ["--targets", word, "--binaries", "thoth", "--json"],
          out,
          { DENORT_BIN: `${dir}/fake` },
        );
        assert.equal(r.code, 1, r.stderr);
        assert.doesNotMatch(r.stderr, /compiling for|built, not run/);
        assert.match(
          r.stderr,
          new RegExp(
            `not built: no runtime base for ${triple} \\(DENORT_BIN is set to ".*/fake", which ` +
              `is not a denort: it carries no Deno runtime .*; expected the denort of Deno ` +
              `${Deno.version.deno.replaceAll(".", "\\.")} for ${triple}`,
          ),
        );
        const summary = JSON.parse(r.stdout);
        assert.deepEqual(summary.built, []);
        assert.deepEqual(summary.notBuilt.map((n: { status: string }) => n.status), ["no_base"]);
        assert.deepEqual(await listDir(out), ["provenance.json", "sbom.cdx.json"]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
