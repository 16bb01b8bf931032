/**
 * The release build's compiles ({@linkcode compileAssets}): for each planned
 * binary, its runtime base copied, compared with its pin and unpacked, then
 * `deno compile` with that base as `DENORT_BIN` (so it never downloads one),
 * and the binary checked (run with `--version` when it is the host's). Each
 * step's end is pushed to the results, and said on stderr.
 *
 * @example
 * ```ts
 * await compileAssets(setup, checked, results);
 * ```
 */
import { baseVerdict, snapshotBase } from "../../src/release/base_pin.ts";
import { digestFile, removeIfPresent, run, verifyOutput } from "../../src/release/build_host.ts";
import type { StepResult } from "../../src/release/release_files.ts";
import type { TargetTriple } from "../../src/release/targets.ts";
import { unpackBase } from "../../src/release/zip_entry.ts";
import { VERSION } from "../../src/version.ts";
import { baseWhere, noBaseNote, notRunNote, unpinnedHostNote } from "./build_notes.ts";
import { say } from "./build_output.ts";
import type { BuildSetup } from "./build_setup.ts";

/**
 * Compiles every step of `setup`'s plan into `results`; `checked`: whether
 * the type check passed (when not, none is compiled). Adds the notes it says
 * to `setup.notes`.
 */
export async function compileAssets(
  setup: BuildSetup,
  checked: boolean,
  results: StepResult[],
): Promise<void> {
  const { root, host, pins, signer, commit, stampDir, plan, missingEntries, cacheDir, notes } =
    setup;
  const { bases, passedOver } = setup;
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
}
