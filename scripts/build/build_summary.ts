/**
 * The release build's last words ({@linkcode reportBuild}): how many assets
 * were built (and which were not run), what was written, the notes, and with
 * `--json` the summary on stdout. Returns the exit code: 1 when a planned
 * asset was not built (a universal binary not made, its parts shipping
 * instead, aside).
 *
 * @example
 * ```ts
 * return reportBuild(setup, { results, subjects, written, removed }, opts.json === true);
 * ```
 */
import type { StepResult } from "../../src/release/release_files.ts";
import { print, say } from "./build_output.ts";
import type { BuildSetup } from "./build_setup.ts";

/** What the build did, for {@linkcode reportBuild}. */
export interface BuildDone {
  readonly results: readonly StepResult[];
  /** The assets built, with their SHA-256. */
  readonly subjects: readonly { name: string; sha256: string }[];
  /** The release files written, and the leftover assets removed. */
  readonly written: readonly string[];
  readonly removed: readonly string[];
}

/** Says what the build of `setup` did (`done`; as JSON too when `json`); returns its exit code. */
export function reportBuild(setup: BuildSetup, done: BuildDone, json: boolean): number {
  const { outDir, commit, plan, unused, notes } = setup;
  const { results, subjects, written, removed } = done;
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
  if (json) {
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
