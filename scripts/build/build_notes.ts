/**
 * What the release build says of an asset, a base or a target, in words
 * shared by the dry run and the build: why a leftover asset goes
 * ({@linkcode LEFTOVER_NOTE}), what a binary for another target is
 * ({@linkcode notRunNote}), what an unpinned host base is
 * ({@linkcode unpinnedHostNote}), why a target has no base
 * ({@linkcode noBaseNote}), and where a base was found ({@linkcode baseWhere}).
 * Pure.
 *
 * @example
 * ```ts
 * noBaseNote("aarch64-apple-darwin", new Map(), undefined);
 * // "no runtime base for aarch64-apple-darwin: set DENORT_BIN to a denort for …"
 * ```
 */
import type { Base } from "../../src/release/runtime_base.ts";
import type { TargetTriple } from "../../src/release/targets.ts";

/** Why an asset of an earlier build is removed from the output folder. */
export const LEFTOVER_NOTE = "left by an earlier build, which this build does not make, so " +
  "checksums.sha256 and release-manifest.json would not list it in a folder meant to be " +
  "published as it is";

/** What a binary for another target is, since it cannot be run here. */
export function notRunNote(target: string, host: string): string {
  return `built, not run: this ${host} machine cannot run a binary for ${target}; ` +
    "its executable header was checked, and its runtime base matched --base-sha256";
}

/**
 * What an unpinned host base is: unproven, with how to pin it. `before`: the
 * dry run's wording, for a binary not yet built.
 */
export function unpinnedHostNote(target: TargetTriple, sha256: string, before: boolean): string {
  return `the runtime base for ${target} (SHA-256 ${sha256}) is unpinned and unproven: ` +
    (before ? "the binary will be run with --version, which shows" : "running it showed") +
    " only that it starts and reports the right version, not that its base is Deno's denort; " +
    "check that SHA-256 against the one Deno publishes and pass " +
    `--base-sha256 ${target}=<that SHA-256>; a signed release requires that pin`;
}

/** Why a target has no runtime base, with what to do about it. */
export function noBaseNote(
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
export function baseWhere(base: Base): string {
  return base.source === "DENORT_BIN"
    ? `the DENORT_BIN file "${base.path}"`
    : `the cached "${base.path}"`;
}
