/**
 * Release assets an earlier build left in the output folder that this build
 * does not make. `checksums.sha256` and `release-manifest.json` list only what
 * this build made, so such a file would sit unlisted (and unsigned) in a
 * folder meant to be published as it is: the build removes it and says so.
 * Only exact asset names count (`thoth-linux-arm64`, `thothctl-macos-universal`,
 * …, see `targets.ts`); any other file is left alone. Pure.
 *
 * @example
 * ```ts
 * leftoverAssets(["thoth-linux-arm64", "thoth-linux-x86_64", "notes.txt"], new Set(["thoth-linux-x86_64"]));
 * // ["thoth-linux-arm64"]
 * ```
 */
import { RELEASE_BINARIES } from "./build_plan.ts";
import { assetName, MACOS_UNIVERSAL_SUFFIX, RELEASE_TARGETS } from "./targets.ts";

/**
 * Every asset name a release build can make.
 *
 * @example
 * ```ts
 * releaseAssetNames().has("thothctl-windows-x86_64.exe"); // true
 * ```
 */
export function releaseAssetNames(): ReadonlySet<string> {
  const names = new Set<string>();
  for (const binary of RELEASE_BINARIES) {
    for (const t of RELEASE_TARGETS) names.add(assetName(binary.name, t.triple));
    names.add(`${binary.name}-${MACOS_UNIVERSAL_SUFFIX}`);
  }
  return names;
}

/**
 * The names among `present` (the files in the output folder) that are
 * release assets and not among `planned` (what this build makes), sorted.
 *
 * @example
 * ```ts
 * leftoverAssets(["thothctl-linux-x86_64"], new Set()); // ["thothctl-linux-x86_64"]
 * ```
 */
export function leftoverAssets(
  present: readonly string[],
  planned: ReadonlySet<string>,
): string[] {
  const assets = releaseAssetNames();
  return [...new Set(present)].filter((name) => assets.has(name) && !planned.has(name)).sort();
}
