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
import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join, resolve } from "node:path";
import { AppError } from "../src/errors.ts";
import { formatError } from "../src/cli/report_error.ts";
import { VERSION } from "../src/version.ts";
import {
  planBuild,
  RELEASE_BINARIES,
  stampImportMap,
  stampVersionModule,
} from "../src/release/build_plan.ts";
import { selectBinaries, selectTargets } from "../src/release/build_selection.ts";
import { leftoverAssets } from "../src/release/leftover_assets.ts";
import {
  assertWritable,
  denoDir,
  digestFile,
  exists,
  fileNames,
  findLipo,
  gitCommit,
  loadReleaseSigner,
  readHead,
  removeIfPresent,
  run,
  verifyOutput,
} from "../src/release/build_host.ts";
import { type Base, resolveBase } from "../src/release/runtime_base.ts";
import {
  baseVerdict,
  parseBasePins,
  snapshotBase,
  unpinnedSigningBase,
  unusedPins,
} from "../src/release/base_pin.ts";
import { isUncommittedBuild } from "../src/release/release_signature.ts";
import { unpackBase } from "../src/release/zip_entry.ts";
import {
  type StepResult,
  uncommittedSigning,
  writeReleaseFiles,
} from "../src/release/release_files.ts";
import { checkPermissions } from "../src/release/permission_check.ts";
import { checkCeilings } from "../src/release/permission_ceiling.ts";
import { checkUnscopedRun } from "../src/release/unscoped_run_check.ts";
import { RELEASE_TARGETS, type TargetTriple } from "../src/release/targets.ts";
import { executableTarget } from "../src/release/binary_target.ts";
import { sha256Hex } from "../src/release/sha256.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function say(text: string): void {
  let bytes = encoder.encode(text.endsWith("\n") ? text : `${text}\n`);
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
}

function print(text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
}

const USAGE = `usage: deno task build [options]

  --targets LIST     comma-separated: host, all, macos, ${
  RELEASE_TARGETS.map((t) => t.suffix.replace(/\.exe$/, "")).join(", ")
} (default all)
  --binaries LIST    comma-separated: ${
  RELEASE_BINARIES.map((b) => b.name).join(", ")
} (default all)
  --out-dir DIR      where assets go (default dist)
  --denort-cache DIR Deno's download cache holding release/v${Deno.version.deno}/denort-<target>.zip
                     (default <DENO_DIR>/dl)
  --base-sha256 TARGET=HEX
                     trust this runtime base for TARGET (repeatable): HEX is the SHA-256
                     of the DENORT_BIN file or of the cached denort-<target>.zip
  --sign-uncommitted sign even though the tree has uncommitted changes (commit …-dirty)
                     or is no git checkout (commit unknown)
  --dry-run          run every check, say what would be built, build nothing
  --json             print a JSON summary on stdout (an error object when the build stops)
  --verbose          on an unexpected error, print its stack and causes

  DENORT_BIN=FILE    a denort for one target, used for that target before the cache
  THOTH_RELEASE_SIGNING_KEY=FILE
                     sign checksums.sha256 (version, commit and checksums)

Runtime bases:
  Only a pin proves a base is Deno's denort: check the base's SHA-256 against
  the one Deno publishes and pass --base-sha256 TARGET=HEX; the base is copied,
  the copy compared with the pin, and only the copy is used. A pin that does
  not match refuses its target.
  A binary built for this machine is run (--version) before it is released.
  That shows it starts and reports the right name, version and commit; it does
  not show that its base is Deno's denort (one with a backdoor passes too).
  Without a pin, an unsigned build uses this machine's base and says it is
  unpinned and unproven, in its output and in provenance.json.
  A binary for another target cannot be run here, so without a pin it is not
  built: not listed in checksums.sha256 or release-manifest.json, not signed,
  and the build exits 1.

Signing:
  With THOTH_RELEASE_SIGNING_KEY set, a tree with uncommitted changes (or no
  git commit) is refused before anything is built, unless --sign-uncommitted,
  and so is a base no --base-sha256 pins, this machine's included.

Exit status:
  0  every planned binary was built (with --dry-run: would be)
  1  at least one was not, or a check (permissions, types, signing key,
     uncommitted tree) failed
  2  usage: a bad flag or target, a bad --base-sha256, an --out-dir the build
     may not write
`;

/** Why an asset of an earlier build is removed from the output folder. */
const leftoverNote = "left by an earlier build, which this build does not make, so " +
  "checksums.sha256 and release-manifest.json would not list it in a folder meant to be " +
  "published as it is";

/** What a binary for another target is, since it cannot be run here. */
function notRunNote(target: string, host: string): string {
  return `built, not run: this ${host} machine cannot run a binary for ${target}; ` +
    "its executable header was checked, and its runtime base matched --base-sha256";
}

/** Runs the build; returns the exit code. */
async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        targets: { type: "string" },
        binaries: { type: "string" },
        "out-dir": { type: "string" },
        "denort-cache": { type: "string" },
        "base-sha256": { type: "string", multiple: true },
        "sign-uncommitted": { type: "boolean" },
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    // Thrown, not printed here: the handler below says it, with the usage, and under --json
    // prints the error object as for any build that stops.
    throw new AppError(
      (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? "usage.unknown_option"
        : "usage.bad_flag",
      (error as Error).message.replace(/\.$/, ""),
      { hints: ['run "deno task build --help" for the options'], exitCode: 2, cause: error },
    );
  }
  const opts = parsed.values;
  if (opts.help === true) {
    say(USAGE);
    return 0;
  }

  const root = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
  const outDir = resolve(opts["out-dir"] ?? join(root, "dist"));
  const host = Deno.build.target;

  // Each named once, as the plan, the checksums and the summary list them.
  const targets = selectTargets(opts.targets, host);
  const binaries = selectBinaries(opts.binaries);

  const pins = parseBasePins(opts["base-sha256"], host);
  // A pin for a target not built is said, not dropped in silence.
  const unused = unusedPins(pins, targets);
  for (const u of unused) say(`build: warning: ${u.note}`);
  const signer = await loadReleaseSigner(Deno.env.get("THOTH_RELEASE_SIGNING_KEY"));
  // The dry run checks what the build would: it may not write there either.
  await assertWritable(outDir);

  const configText = await Deno.readTextFile(join(root, "deno.json"));
  const config = JSON.parse(configText) as Record<string, unknown>;
  const lockBytes = await Deno.readFile(join(root, "deno.lock"));
  const lock = JSON.parse(decoder.decode(lockBytes)) as unknown;
  const lockDigest = await sha256Hex(lockBytes);
  const { commit, time } = await gitCommit(root);
  if (signer !== undefined && isUncommittedBuild(commit) && opts["sign-uncommitted"] !== true) {
    throw uncommittedSigning(commit);
  }
  const epoch = Deno.env.get("SOURCE_DATE_EPOCH");
  const timestamp = epoch !== undefined && /^\d+$/.test(epoch)
    ? new Date(Number(epoch) * 1000).toISOString()
    : time !== undefined
    ? new Date(time).toISOString()
    : new Date().toISOString();

  const stampDir = join(outDir, ".stamp");
  const importMapPath = join(stampDir, "import_map.json");
  const stampedVersionPath = join(stampDir, "version.ts");
  const permissionSets = typeof config["permissions"] === "object" && config["permissions"] !== null
    ? config["permissions"] as Record<string, unknown>
    : {};
  const plan = planBuild({
    root,
    outDir,
    deno: Deno.execPath(),
    importMap: importMapPath,
    binaries,
    targets,
    permissionSets,
  });

  const findings = [
    ...checkPermissions(
      config,
      plan.compiles.map((c) => ({ label: c.asset, set: c.set, argv: c.argv })),
    ),
    ...checkCeilings(permissionSets),
    ...checkUnscopedRun(permissionSets).findings,
  ];
  if (findings.length > 0) {
    for (const f of findings) say(`build: ${f.where}: ${f.message}`);
    throw new AppError(
      "build.permissions",
      `refusing to build: ${findings.length} permission finding(s)`,
      { hints: ['run "deno task check-permissions" and fix deno.json'] },
    );
  }

  const missingEntries = new Set<string>();
  for (const b of binaries) {
    if (!(await exists(join(root, b.entry)))) missingEntries.add(b.entry);
  }
  const rawDenort = Deno.env.get("DENORT_BIN");
  const denortBin = rawDenort === undefined || rawDenort === "" ? undefined : resolve(rawDenort);
  const notes: string[] = [];
  let cacheDir = opts["denort-cache"] === undefined ? undefined : resolve(opts["denort-cache"]);
  if (cacheDir === undefined) {
    const dir = await denoDir();
    cacheDir = dir === undefined ? undefined : join(dir, "dl");
  }
  const bases = new Map<TargetTriple, Base | undefined>();
  const passedOver = new Map<TargetTriple, readonly string[]>();
  for (const t of targets) {
    const resolved = await resolveBase(t, denortBin, cacheDir);
    bases.set(t, resolved.base);
    passedOver.set(t, resolved.passedOver);
    for (const n of resolved.passedOver) if (!notes.includes(n)) notes.push(n);
  }
  if (signer !== undefined) {
    // A signed release vouches for its bases: one that would be used unpinned stops the build here.
    for (const t of targets) {
      const base = bases.get(t);
      if (base === undefined || pins.has(t)) continue;
      const sha256 = await digestFile(base.path);
      const verdict = baseVerdict(t, host, undefined, sha256, baseWhere(base));
      if (verdict.use) throw unpinnedSigningBase(t, sha256, baseWhere(base));
    }
  }
  const lipo = plan.universals.length > 0 ? await findLipo() : undefined;
  // Assets of an earlier build that this one does not make: checksums.sha256 would not list them.
  const leftovers = leftoverAssets(
    await fileNames(outDir),
    new Set([...plan.compiles, ...plan.universals].map((s) => s.asset)),
  );

  if (opts["dry-run"] === true) {
    // The checks the build makes before compiling, made here too: what would not be built, and why.
    const found = new Map<TargetTriple, string>();
    for (const t of targets) {
      const base = bases.get(t);
      if (base !== undefined) found.set(t, await digestFile(base.path));
    }
    const verdicts = plan.compiles.map((c) => {
      const base = bases.get(c.target);
      if (missingEntries.has(c.entry)) {
        return { wouldBuild: false, reason: `entry ${c.entry} does not exist` };
      }
      if (base === undefined) {
        return { wouldBuild: false, reason: noBaseNote(c.target, passedOver, cacheDir) };
      }
      const verdict = baseVerdict(
        c.target,
        host,
        pins.get(c.target),
        found.get(c.target) as string,
        baseWhere(base),
      );
      return verdict.use
        ? {
          wouldBuild: true,
          reason: verdict.pinned
            ? "base matches --base-sha256"
            : unpinnedHostNote(c.target, found.get(c.target) as string, true),
        }
        : { wouldBuild: false, reason: verdict.note };
    });
    const universals = plan.universals.map((u) => {
      const parts = u.parts.every((p) =>
        verdicts[plan.compiles.findIndex((c) => c.asset === p)]?.wouldBuild === true
      );
      return {
        ...u,
        lipo: lipo ?? null,
        wouldBuild: parts && lipo !== undefined,
        reason: !parts
          ? "both macOS parts must be built first"
          : lipo === undefined
          ? "no lipo tool (lipo or llvm-lipo) on PATH; the parts ship instead"
          : `${lipo} -create`,
      };
    });
    const code = verdicts.every((v) => v.wouldBuild) ? 0 : 1;
    if (opts.json === true) {
      print(
        JSON.stringify(
          {
            dryRun: true,
            outDir,
            commit,
            signed: signer !== undefined,
            compiles: plan.compiles.map((c, i) => ({
              asset: c.asset,
              target: c.target,
              entry: c.entry,
              entryMissing: missingEntries.has(c.entry),
              base: bases.get(c.target) ?? null,
              baseSha256: found.get(c.target) ?? null,
              pinned: pins.get(c.target) ?? null,
              wouldBuild: verdicts[i]?.wouldBuild ?? false,
              reason: verdicts[i]?.reason ?? null,
              argv: c.argv,
            })),
            universals,
            wouldRemove: leftovers,
            unusedPins: unused,
            notes,
            exitCode: code,
          },
          null,
          2,
        ) + "\n",
      );
    } else {
      say(
        `build: plan for ${targets.length} target(s) x ${binaries.length} binary(ies) into ${outDir}`,
      );
      plan.compiles.forEach((c, i) => {
        const base = bases.get(c.target);
        const verdict = verdicts[i];
        const state = verdict?.wouldBuild === true && base !== undefined
          ? `would build: base ${base.source} ${base.path}${
            base.entry === undefined ? "" : ` (${base.entry.name})`
          }; ${verdict.reason}`
          : `would not build: ${verdict?.reason ?? "unknown"}`;
        say(`build: ${c.asset}: ${state}`);
        say(`  ${c.argv.join(" ")}`);
      });
      for (const u of universals) {
        say(`build: ${u.asset}: ${u.wouldBuild ? "would build" : "would not build"}: ${u.reason}`);
      }
      for (const name of leftovers) say(`build: ${name}: would remove: ${leftoverNote}`);
      for (const n of notes) say(`build: note: ${n}`);
      say(
        code === 0
          ? "build: dry run: every planned binary would be built"
          : "build: dry run: some planned binaries would not be built (exit 1)",
      );
    }
    return code;
  }

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
      say(`build: ${name}: removed: ${leftoverNote}`);
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

    const env = Deno.env.toObject();
    delete env["DENORT_BIN"];
    const prepared = new Map<
      TargetTriple,
      { file: string; sha256: string; foundSha256: string; pinned: boolean }
    >();
    const refusedBases = new Map<
      TargetTriple,
      { status: "unverified_base" | "failed"; note: string }
    >();
    let index = 0;
    for (const c of plan.compiles) {
      index++;
      const tag = `build: [${index}/${plan.compiles.length}] ${c.asset}`;
      const base = bases.get(c.target);
      if (missingEntries.has(c.entry)) {
        say(`${tag}: not built: entry ${c.entry} does not exist`);
        results.push({ step: c, status: "missing_entry", note: `entry ${c.entry} does not exist` });
        continue;
      }
      if (base === undefined) {
        const note = noBaseNote(c.target, passedOver, cacheDir);
        say(`${tag}: not built: ${note}`);
        results.push({ step: c, status: "no_base", note });
        continue;
      }
      if (!checked) {
        results.push({ step: c, status: "not_run", base, note: "type check failed" });
        continue;
      }
      let baseUsed = prepared.get(c.target);
      if (baseUsed === undefined) {
        const refused = refusedBases.get(c.target);
        if (refused !== undefined) {
          say(`${tag}: not built: ${refused.note}`);
          results.push({ step: c, status: refused.status, base, note: refused.note });
          continue;
        }
        try {
          // A private copy is what is compared with a pin, and what deno compile gets.
          const found = await snapshotBase(base.path, stampDir, c.target);
          const verdict = baseVerdict(
            c.target,
            host,
            pins.get(c.target),
            found.sha256,
            baseWhere(base),
            signer !== undefined,
          );
          if (!verdict.use) {
            await removeIfPresent(found.copy);
            refusedBases.set(c.target, verdict);
            say(`${tag}: not built: ${verdict.note}`);
            results.push({ step: c, status: verdict.status, base, note: verdict.note });
            continue;
          }
          const file = await unpackBase({ ...base, path: found.copy }, stampDir, c.target);
          baseUsed = {
            file,
            sha256: await digestFile(file),
            foundSha256: found.sha256,
            pinned: verdict.pinned,
          };
          prepared.set(c.target, baseUsed);
        } catch (error) {
          const note = `cannot use the runtime base "${base.path}": ${(error as Error).message}`;
          say(`${tag}: not built: ${note}`);
          results.push({ step: c, status: "failed", base, note });
          continue;
        }
      }
      say(`${tag}: compiling for ${c.target} (base: ${base.source} ${base.path})`);
      // Always the checked base: deno compile never looks for one itself, so it never downloads.
      const childEnv = { ...env, DENORT_BIN: baseUsed.file };
      const out = await run(c.argv[0] as string, c.argv.slice(1) as string[], {
        env: childEnv,
        cwd: root,
        timeoutMs: 300_000,
      });
      if (out.code !== 0) {
        await removeIfPresent(c.output);
        const last = out.stderr.trim().split("\n").filter((l) => l.trim() !== "").slice(-3).join(
          " | ",
        );
        say(`${tag}: failed: deno compile exited ${out.code}: ${last}`);
        results.push({
          step: c,
          status: "failed",
          base,
          baseUsed,
          note: `deno compile exited ${out.code}`,
        });
        continue;
      }
      const check = await verifyOutput(c, VERSION, commit);
      if (!check.ok) {
        await removeIfPresent(c.output);
        say(`${tag}: failed and deleted: ${check.problem}`);
        results.push({ step: c, status: "failed", base, baseUsed, note: check.problem });
        continue;
      }
      if (check.ran && !baseUsed.pinned) {
        const note = unpinnedHostNote(c.target, baseUsed.foundSha256, false);
        say(`${tag}: built on an UNPINNED runtime base: ${note}`);
        if (!notes.includes(note)) notes.push(note);
        results.push({ step: c, status: "built", base, baseUsed, ran: true, note });
      } else if (check.ran) {
        say(`${tag}: built (runtime base pinned by --base-sha256)`);
        results.push({ step: c, status: "built", base, baseUsed, ran: true });
      } else if (!baseUsed.pinned) {
        // Unreachable while baseVerdict refuses an unpinned base for another target; kept so
        // that a binary nobody ran never reaches the checksums through some other path.
        await removeIfPresent(c.output);
        const note = `not releasable: ${c.asset} could not be run here and its base is not pinned`;
        say(`${tag}: ${note}`);
        results.push({ step: c, status: "unverified_base", base, baseUsed, note });
      } else {
        const note = notRunNote(c.target, host);
        say(`${tag}: ${note}`);
        results.push({ step: c, status: "built", base, baseUsed, ran: false, note });
      }
    }

    for (const u of plan.universals) {
      const parts = u.parts.map((p) => join(outDir, p));
      const built = u.parts.every((p) =>
        results.some((r) => r.step.asset === p && r.status === "built")
      );
      const argv = [lipo ?? "lipo", "-create", "-output", u.output, ...parts];
      const step = { asset: u.asset, target: "universal-apple-darwin", argv, output: u.output };
      if (!built) {
        results.push({ step, status: "not_run", note: "both macOS parts must be built first" });
        continue;
      }
      if (lipo === undefined) {
        const note = `no lipo tool (lipo or llvm-lipo) on PATH: ${u.asset} not made; ` +
          `the release ships ${u.parts.join(" and ")} instead`;
        say(`build: ${note}`);
        notes.push(note);
        results.push({ step, status: "not_run", note });
        continue;
      }
      say(`build: ${u.asset}: ${argv.join(" ")}`);
      const out = await run(lipo, argv.slice(1), { cwd: root, timeoutMs: 120_000 });
      const head = out.code === 0
        ? await readHead(u.output).catch(() => new Uint8Array())
        : undefined;
      if (out.code !== 0 || head === undefined || executableTarget(head)?.arch !== "universal") {
        await removeIfPresent(u.output);
        const note = `${lipo} failed: ${out.stderr.trim().split("\n").at(-1) ?? ""}`;
        say(`build: ${u.asset}: ${note}`);
        results.push({ step, status: "failed", note });
        continue;
      }
      results.push({
        step,
        status: "built",
        ran: false,
        note: "built, not run: merged by lipo from its parts; the merged file was not run",
      });
    }
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
        timestamp,
        host,
        lock,
        lockDigest,
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

  const failed = results.filter((r) =>
    r.status !== "built" && !(r.step.target === "universal-apple-darwin" && r.status === "not_run")
  );
  const notRun = results.filter((r) => r.status === "built" && r.ran === false);
  say(
    `build: ${subjects.length} of ${plan.compiles.length + plan.universals.length} asset(s) built${
      notRun.length === 0
        ? ""
        : ` (${notRun.length} built, not run: ${notRun.map((r) => r.step.asset).join(", ")})`
    }; ` +
      `wrote ${written.join(", ")} in ${outDir}`,
  );
  if (subjects.length === 0) {
    say(
      "build: no binary was built; checksums.sha256 and release-manifest.json were not written; sbom.cdx.json and provenance.json were written and list no subjects",
    );
  }
  for (const n of notes) say(`build: note: ${n}`);
  if (opts.json === true) {
    print(
      JSON.stringify(
        {
          outDir,
          commit,
          built: subjects.map((s) => {
            const r = results.find((r) => r.step.asset === s.name);
            return {
              ...s,
              ran: r?.ran === true,
              // Whether --base-sha256 pinned its runtime base; null for a lipo merge.
              basePinned: r?.baseUsed === undefined ? null : r.baseUsed.pinned === true,
            };
          }),
          notBuilt: failed.map((r) => ({
            asset: r.step.asset,
            status: r.status,
            note: r.note ?? null,
          })),
          written,
          removed,
          unusedPins: unused,
          notes,
        },
        null,
        2,
      ) + "\n",
    );
  }
  return failed.length === 0 ? 0 : 1;
}

/**
 * What an unpinned host base is: unproven, with how to pin it. `before`: the
 * dry run's wording, for a binary not yet built.
 */
function unpinnedHostNote(target: TargetTriple, sha256: string, before: boolean): string {
  return `the runtime base for ${target} (SHA-256 ${sha256}) is unpinned and unproven: ` +
    (before ? "the binary will be run with --version, which shows" : "running it showed") +
    " only that it starts and reports the right version, not that its base is Deno's denort; " +
    "check that SHA-256 against the one Deno publishes and pass " +
    `--base-sha256 ${target}=<that SHA-256>; a signed release requires that pin`;
}

/** Why a target has no runtime base, with what to do about it. */
function noBaseNote(
  target: TargetTriple,
  passedOver: ReadonlyMap<TargetTriple, readonly string[]>,
  cacheDir: string | undefined,
): string {
  const over = passedOver.get(target) ?? [];
  return `no runtime base for ${target}` +
    (over.length === 0 ? "" : ` (${over.join("; ")})`) +
    `: set DENORT_BIN to a denort for ${target} ` +
    `or place denort-${target}.zip in ${
      cacheDir ?? "<DENO_DIR>/dl"
    }/release/v${Deno.version.deno}/`;
}

/** The base as a pin names it: the DENORT_BIN file or the cached zip. */
function baseWhere(base: Base): string {
  return base.source === "DENORT_BIN"
    ? `the DENORT_BIN file "${base.path}"`
    : `the cached "${base.path}"`;
}

/** A failure of the build's own permissions or of the OS's, said plainly instead of "internal error". */
function plainError(error: unknown): unknown {
  if (error instanceof Deno.errors.NotCapable) {
    return new AppError(
      "build.not_permitted",
      `the build's permissions do not allow this: ${error.message}`,
      {
        hints: [
          'deno task build runs with -P=build (deno.json "permissions.build"): keep --out-dir ' +
          "under dist/ and run it from the project root",
        ],
        cause: error,
      },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new AppError("build.os_denied", `the operating system refused: ${error.message}`, {
      hints: ["check the owner and mode of the --out-dir folder"],
      cause: error,
    });
  }
  return error;
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
