/**
 * The release targets and how their assets are named, as the product's
 * release page names them: `thoth-linux-x86_64`, `thoth-linux-arm64`,
 * `thoth-macos-universal` (or its `-x86_64`/`-arm64` parts) and
 * `thoth-windows-x86_64.exe`. Pure.
 *
 * @example
 * ```ts
 * assetName("thoth", "aarch64-unknown-linux-gnu"); // "thoth-linux-arm64"
 * platformAssetCandidates("thoth", "darwin", "aarch64");
 * // ["thoth-macos-universal", "thoth-macos-arm64"]
 * ```
 */
import { AppError } from "../errors.ts";

/** A `deno compile --target` triple this project ships. */
export type TargetTriple =
  | "x86_64-unknown-linux-gnu"
  | "aarch64-unknown-linux-gnu"
  | "x86_64-apple-darwin"
  | "aarch64-apple-darwin"
  | "x86_64-pc-windows-msvc";

/** One release target: its triple, the OS and CPU it runs on and its asset suffix. */
export interface ReleaseTarget {
  readonly triple: TargetTriple;
  /** `Deno.build.os` of a machine that runs it. */
  readonly os: "linux" | "darwin" | "windows";
  /** `Deno.build.arch` of a machine that runs it. */
  readonly arch: "x86_64" | "aarch64";
  /** What follows `thoth-` in the asset name, extension included. */
  readonly suffix: string;
}

/** Every target, in release order. */
export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  { triple: "x86_64-unknown-linux-gnu", os: "linux", arch: "x86_64", suffix: "linux-x86_64" },
  { triple: "aarch64-unknown-linux-gnu", os: "linux", arch: "aarch64", suffix: "linux-arm64" },
  { triple: "x86_64-apple-darwin", os: "darwin", arch: "x86_64", suffix: "macos-x86_64" },
  { triple: "aarch64-apple-darwin", os: "darwin", arch: "aarch64", suffix: "macos-arm64" },
  {
    triple: "x86_64-pc-windows-msvc",
    os: "windows",
    arch: "x86_64",
    suffix: "windows-x86_64.exe",
  },
];

/** The suffix of the macOS universal (fat) binary. */
export const MACOS_UNIVERSAL_SUFFIX = "macos-universal";

/** The asset name of one binary for one target. */
export function assetName(binary: string, triple: TargetTriple): string {
  return `${binary}-${targetByTriple(triple).suffix}`;
}

/** Looks a target up by its triple. */
export function targetByTriple(triple: string): ReleaseTarget {
  const found = RELEASE_TARGETS.find((t) => t.triple === triple);
  if (found === undefined) {
    throw new AppError("build.unknown_target", `unknown target "${triple}"`, {
      hints: [`use one of ${RELEASE_TARGETS.map((t) => `"${t.triple}"`).join(", ")}`],
      exitCode: 2,
    });
  }
  return found;
}

/**
 * Resolves one `--targets` word: a triple, an asset suffix without extension
 * (`linux-arm64`, `windows-x86_64`), `macos` for both macOS parts, or `host`.
 */
export function resolveTargetWord(word: string, hostTriple: string): TargetTriple[] {
  const w = word.trim();
  if (w === "host") return [targetByTriple(hostTriple).triple];
  if (w === "all") return RELEASE_TARGETS.map((t) => t.triple);
  if (w === "macos" || w === MACOS_UNIVERSAL_SUFFIX) {
    return ["x86_64-apple-darwin", "aarch64-apple-darwin"];
  }
  const found = RELEASE_TARGETS.find((t) =>
    t.triple === w || t.suffix === w || t.suffix.replace(/\.exe$/, "") === w
  );
  if (found === undefined) {
    throw new AppError("build.unknown_target", `unknown target "${w}"`, {
      hints: [
        `use "host", "all", "macos" or one of ${
          RELEASE_TARGETS.map((t) => `"${t.suffix.replace(/\.exe$/, "")}"`).join(", ")
        }`,
      ],
      exitCode: 2,
    });
  }
  return [found.triple];
}

/**
 * The asset names a machine with this OS and CPU can run, best first: on
 * macOS the universal binary, then the one for its CPU. Empty when the
 * platform has no release asset.
 */
export function platformAssetCandidates(binary: string, os: string, arch: string): string[] {
  const names: string[] = [];
  if (os === "darwin") names.push(`${binary}-${MACOS_UNIVERSAL_SUFFIX}`);
  for (const t of RELEASE_TARGETS) {
    if (t.os === os && t.arch === arch) names.push(`${binary}-${t.suffix}`);
  }
  return names;
}
