/**
 * What `--targets` and `--binaries` select for the release build, each named
 * once: a target or binary named twice (`--targets host,linux-x86_64` on a
 * Linux x86_64 machine, `--binaries thoth,thoth`) is built once, listed once
 * in `checksums.sha256` and once in the summary, in the order first named.
 * Pure.
 *
 * @example
 * ```ts
 * selectBinaries("thoth,thoth,thothctl").map((b) => b.name); // ["thoth", "thothctl"]
 * selectTargets("linux-arm64,all", "x86_64-unknown-linux-gnu").length; // 5
 * ```
 */
import { AppError } from "../errors.ts";
import { type BinarySpec, listFlag, RELEASE_BINARIES } from "./build_plan.ts";
import { resolveTargetWord, type TargetTriple } from "./targets.ts";

/**
 * The targets a `--targets` value names (every target when it is absent),
 * each once. Throws `usage.empty_list` or `build.unknown_target` (exit 2).
 *
 * @example
 * ```ts
 * selectTargets("host,linux-x86_64", "x86_64-unknown-linux-gnu"); // ["x86_64-unknown-linux-gnu"]
 * ```
 */
export function selectTargets(value: string | undefined, host: string): TargetTriple[] {
  const targets: TargetTriple[] = [];
  for (const word of listFlag("targets", value) ?? ["all"]) {
    for (const t of resolveTargetWord(word, host)) if (!targets.includes(t)) targets.push(t);
  }
  return targets;
}

/**
 * The release binaries a `--binaries` value names (all of them when it is
 * absent), each once. Throws `usage.empty_list` or `usage.bad_flag` (exit 2)
 * for a name that is no release binary.
 *
 * @example
 * ```ts
 * selectBinaries(undefined).map((b) => b.name); // ["thoth", "thothctl"]
 * ```
 */
export function selectBinaries(value: string | undefined): BinarySpec[] {
  const binaries: BinarySpec[] = [];
  for (const name of listFlag("binaries", value) ?? RELEASE_BINARIES.map((b) => b.name)) {
    const spec = RELEASE_BINARIES.find((b) => b.name === name);
    if (spec === undefined) {
      throw new AppError("usage.bad_flag", `unknown binary "${name}"`, {
        hints: [`use ${RELEASE_BINARIES.map((b) => `"${b.name}"`).join(" or ")}`],
        exitCode: 2,
      });
    }
    if (!binaries.includes(spec)) binaries.push(spec);
  }
  return binaries;
}
