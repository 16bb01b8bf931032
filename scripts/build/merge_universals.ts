/**
 * The release build's universal macOS binaries ({@linkcode mergeUniversals}):
 * each merged by `lipo` from its two built parts, and checked to be a
 * universal executable; without `lipo`, or without both parts, the parts
 * ship instead. Each merge's end is pushed to the results.
 *
 * @example
 * ```ts
 * await mergeUniversals(setup, results);
 * ```
 */
import { join } from "node:path";
import { readHead, removeIfPresent, run } from "../../src/release/build_host.ts";
import type { StepResult } from "../../src/release/release_files.ts";
import { executableTarget } from "../../src/release/binary_target.ts";
import { say } from "./build_output.ts";
import type { BuildSetup } from "./build_setup.ts";

/** Merges each universal binary of `setup`'s plan into `results`; adds its notes to `setup.notes`. */
export async function mergeUniversals(setup: BuildSetup, results: StepResult[]): Promise<void> {
  const { root, outDir, plan, notes, lipo } = setup;
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
}
