/**
 * thoth's version and build identity. `scripts/build.ts` stamps
 * {@linkcode BUILD_COMMIT} when it compiles a release; from source it reads
 * "source".
 *
 * @example
 * ```ts
 * console.log(`thoth ${VERSION}`);
 * ```
 */

/** The release version, kept equal to `deno.json`'s `version`. */
export const VERSION = "0.1.0";

/** The commit a compiled binary was built from, or "source". */
export const BUILD_COMMIT = "source";

/** `thoth --version` text: version, build target and commit. */
export function versionLine(program: string, target: string): string {
  return `${program} ${VERSION} (${target}; commit ${BUILD_COMMIT})`;
}
