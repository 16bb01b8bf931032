/**
 * The second line of `thoth --version` and `thothctl --version`: whether
 * this is a compiled binary (its permissions built in) or the source run by
 * a Deno (its permissions are the flags it was started with), and which
 * Deno. The first line stays the one scripts read.
 *
 * @example
 * ```ts
 * runtimeLine(false, "2.9.6"); // 'from source (Deno 2.9.6), permissions from its flags: see "thoth doctor"'
 * ```
 */

/** The line, without a newline; at most 80 characters. Pure. */
export function runtimeLine(compiled: boolean, denoVersion: string): string {
  return compiled
    ? `compiled (deno compile, Deno ${denoVersion}), permissions built in: see "thoth doctor"`
    : `from source (Deno ${denoVersion}), permissions from its flags: see "thoth doctor"`;
}
