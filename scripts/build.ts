/**
 * The release build: `deno compile` for every target and binary with the
 * permission set from `deno.json` baked in, then `checksums.sha256`, a
 * CycloneDX SBOM (`sbom.cdx.json`), `provenance.json`, and the
 * `release-manifest.json` that `thoth update` reads (asset URLs relative to it,
 * so the directory can be published as is).
 *
 * ```sh
 * deno run -P=build scripts/build.ts [--targets host,linux-arm64,…] [--binaries thoth,thothctl]
 *   [--out-dir dist] [--denort-cache DIR] [--dry-run] [--json] [--verbose]
 * ```
 *
 * `deno compile` needs a runtime base (`denort`) per target, which it
 * normally downloads. This script never lets it: a target is compiled only
 * when a base is present, and `deno compile` is always handed that base as
 * `DENORT_BIN`. The base is `DENORT_BIN` (used only for the OS and CPU its
 * header names, and only when it is a denort, not the full deno CLI) or
 * `denort-<target>.zip` from Deno's download cache
 * (`<DENO_DIR>/dl/release/v<deno>/`, or `--denort-cache DIR` for another
 * `dl` folder), unpacked under `<out-dir>/.stamp/`. A target without a base
 * is reported and not built; nothing stands in for it, and every candidate
 * passed over is named with the reason. Every binary built for the host is
 * run with `--version` and must print its name, version and stamped commit,
 * or it is deleted; that shows it starts and reports the right version, not
 * that its base is Deno's denort (a base with a backdoor passes too).
 *
 * Only a pin proves a base: `--base-sha256 TARGET=HEX`, the SHA-256 of the
 * base as found (see `base_pin.ts`); the base is copied, the copy compared
 * with the pin and only then used. A binary for another target cannot be run
 * here, so without a pin such a target is not compiled, not listed, not
 * checksummed, not signed, and the build exits 1; with one, its binary is
 * reported, in the summary and in `provenance.json`, as built, not run, on a
 * pinned base. An unsigned build uses the host's base unpinned and says so,
 * on stderr and in `provenance.json`: unpinned and unproven.
 *
 * `THOTH_RELEASE_SIGNING_KEY` is read before anything is built: a path that
 * does not hold a key stops the build with nothing written, and so does a
 * key with a tree whose commit is `…-dirty` or `unknown`, unless
 * `--sign-uncommitted` says to sign it anyway, and so does a key with a base
 * that would be used unpinned, the host's included (`build.unpinned_base`).
 * The signature covers the version, the commit and the checksums.
 *
 * The build commit is stamped without editing the source tree: a copy of
 * `src/version.ts` with `BUILD_COMMIT` set is mapped over the original by a
 * generated import map under `<out-dir>/.stamp/`, removed afterwards.
 *
 * A binary or target named twice in `--binaries` or `--targets` is built and
 * listed once. Release assets an earlier build left in the out-dir that this
 * build does not make (`thothctl-linux-arm64` after a `--binaries thoth`
 * build) are removed, since `checksums.sha256` would not list them, and each
 * is named on stderr and in `--json` (`removed`). A `--base-sha256` pin for a
 * target not built is named in a warning and in `--json` (`unusedPins`).
 *
 * `--dry-run` applies the same checks without compiling: each compile says
 * whether it would be built and, if not, why, what it would remove
 * (`wouldRemove`), and the exit code is the one the build would end with.
 * With `--json`, a build that stops on an error, a command line the parser
 * refuses included, prints `{"error": {"code", "message", "hints",
 * "exitCode"}}` on stdout.
 *
 * Its steps are in `scripts/build/`: the flags (`build_usage.ts`), what is
 * settled first (`build_setup.ts`), the dry run (`dry_run_report.ts`), the
 * compiles (`compile_assets.ts`), the `lipo` merges (`merge_universals.ts`)
 * and the summary (`build_summary.ts`).
 *
 * Exit codes: 0 every planned binary was built (or would be, with
 * `--dry-run`); 1 at least one was not (no base, an unpinned base for another
 * target, a pin that does not match, a failed compile or check), or the
 * permission check, type check or signing key failed; 2 usage (an empty
 * `--targets`/`--binaries`, a bad `--base-sha256`, an `--out-dir` the build
 * may not write).
 *
 * @example
 * ```sh
 * DENORT_BIN=/opt/denort deno task build --targets host
 * ```
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { formatError } from "../src/cli/report_error.ts";
import { stampImportMap, stampVersionModule } from "../src/release/build_plan.ts";
import { digestFile, removeIfPresent, run } from "../src/release/build_host.ts";
import { type StepResult, writeReleaseFiles } from "../src/release/release_files.ts";
import { LEFTOVER_NOTE } from "./build/build_notes.ts";
import { print, say } from "./build/build_output.ts";
import { prepareBuild } from "./build/build_setup.ts";
import { reportBuild } from "./build/build_summary.ts";
import { parseBuildArgs, USAGE } from "./build/build_usage.ts";
import { compileAssets } from "./build/compile_assets.ts";
import { dryRunReport } from "./build/dry_run_report.ts";
import { mergeUniversals } from "./build/merge_universals.ts";
import { plainError } from "./build/plain_build_error.ts";

/** Runs the build; returns the exit code. */
async function main(args: string[]): Promise<number> {
  const opts = parseBuildArgs(args);
  if (opts.help === true) {
    say(USAGE);
    return 0;
  }
  const root = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
  const setup = await prepareBuild(opts, root);
  if (opts["dry-run"] === true) return await dryRunReport(setup, opts.json === true);
  const { outDir, binaries, signer, config, commit, stampDir, plan, missingEntries } = setup;
  const { importMapPath, stampedVersionPath, leftovers } = setup;

  await Deno.mkdir(stampDir, { recursive: true });
  const versionPath = join(root, "src", "version.ts");
  const stampedSource = stampVersionModule(await Deno.readTextFile(versionPath), commit);
  await Deno.writeTextFile(stampedVersionPath, stampedSource);
  await Deno.writeTextFile(
    importMapPath,
    JSON.stringify(
      stampImportMap(
        config,
        pathToFileURL(`${root}/`).href,
        pathToFileURL(versionPath).href,
        pathToFileURL(stampedVersionPath).href,
      ),
      null,
      2,
    ),
  );

  const results: StepResult[] = [];
  const removed: string[] = [];
  try {
    for (const name of leftovers) {
      await removeIfPresent(join(outDir, name));
      removed.push(name);
      say(`build: ${name}: removed: ${LEFTOVER_NOTE}`);
    }
    for (const c of plan.compiles) await removeIfPresent(c.output);
    for (const u of plan.universals) await removeIfPresent(u.output);
    await removeIfPresent(join(outDir, "checksums.sha256"));
    await removeIfPresent(join(outDir, "checksums.sha256.sig"));
    await removeIfPresent(join(outDir, "release-manifest.json"));

    const present = binaries.filter((b) => !missingEntries.has(b.entry));
    let checked = present.length === 0;
    if (present.length > 0) {
      say(`build: type-checking ${present.map((b) => b.entry).join(", ")}`);
      const check = await run(Deno.execPath(), [
        "check",
        "--quiet",
        "--frozen-lockfile",
        `--config=${join(root, "deno.json")}`,
        `--import-map=${importMapPath}`,
        ...present.map((b) => join(root, b.entry)),
      ], { cwd: root });
      if (check.code !== 0) {
        say(check.stderr.trimEnd());
        say("build: error: type check failed; nothing compiled");
      } else checked = true;
    }

    await compileAssets(setup, checked, results);
    await mergeUniversals(setup, results);
  } finally {
    await Deno.remove(stampDir, { recursive: true }).catch(() => {});
  }

  const subjects: { name: string; sha256: string }[] = [];
  for (const r of results) {
    if (r.status === "built") {
      subjects.push({ name: r.step.asset, sha256: await digestFile(r.step.output) });
    }
  }
  const written: string[] = [];
  try {
    await writeReleaseFiles(
      {
        root,
        outDir,
        commit,
        timestamp: setup.timestamp,
        host: setup.host,
        lock: setup.lock,
        lockDigest: setup.lockDigest,
        results,
        subjects,
        signer,
        signUncommitted: opts["sign-uncommitted"] === true,
        warn: say,
      },
      written,
    );
  } catch (error) {
    const planned = [
      ...(subjects.length > 0
        ? ["checksums.sha256", ...(signer === undefined ? [] : ["checksums.sha256.sig"])]
        : []),
      ...(subjects.length > 0 ? ["release-manifest.json"] : []),
      "sbom.cdx.json",
      "provenance.json",
    ];
    say(
      `build: stopped while writing the release files in ${outDir}: ` +
        `${subjects.length} binary(ies) built (${
          subjects.map((s) => s.name).join(", ") || "none"
        }); written: ${written.join(", ") || "nothing"}; not written: ${
          planned.filter((f) => !written.includes(f)).join(", ")
        }. Do not publish this folder.`,
    );
    throw error;
  }

  return reportBuild(setup, { results, subjects, written, removed }, opts.json === true);
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (error) {
    const { text, exitCode, report } = formatError(
      "build",
      plainError(error),
      Deno.args.includes("--verbose"),
    );
    say(text.trimEnd());
    if (report?.code.startsWith("usage.") === true) say(USAGE);
    code = exitCode;
    if (report !== undefined && Deno.args.includes("--json")) {
      // A script reading --json gets the failure too, not an empty stdout.
      print(
        JSON.stringify(
          {
            error: {
              code: report.code,
              message: report.message,
              hints: report.hints,
              exitCode,
            },
          },
          null,
          2,
        ) + "\n",
      );
    }
  }
  Deno.exit(code);
}
