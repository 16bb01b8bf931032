/**
 * The release build's dry run ({@linkcode dryRunReport}): the checks the
 * build makes before compiling, made without compiling: what each compile
 * and merge would do and, if not built, why; what it would remove. Said on
 * stderr, or as JSON on stdout with `--json`. Returns the exit code the
 * build would end with.
 *
 * @example
 * ```ts
 * return await dryRunReport(await prepareBuild(opts, root), opts.json === true);
 * ```
 */
import { digestFile } from "../../src/release/build_host.ts";
import { baseVerdict } from "../../src/release/base_pin.ts";
import type { TargetTriple } from "../../src/release/targets.ts";
import { baseWhere, LEFTOVER_NOTE, noBaseNote, unpinnedHostNote } from "./build_notes.ts";
import { print, say } from "./build_output.ts";
import type { BuildSetup } from "./build_setup.ts";

/** Says what the build of `setup` would do (as JSON when `json`); returns its exit code. */
export async function dryRunReport(setup: BuildSetup, json: boolean): Promise<number> {
  const { outDir, host, targets, binaries, pins, unused, signer, commit, plan } = setup;
  const { missingEntries, cacheDir, notes, bases, passedOver, lipo, leftovers } = setup;
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
  if (json) {
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
    for (const name of leftovers) say(`build: ${name}: would remove: ${LEFTOVER_NOTE}`);
    for (const n of notes) say(`build: note: ${n}`);
    say(
      code === 0
        ? "build: dry run: every planned binary would be built"
        : "build: dry run: some planned binaries would not be built (exit 1)",
    );
  }
  return code;
}
