/**
 * Which words name thoth: a thoth binary by its base name (`thoth`,
 * `thoth.exe`, a release asset name such as `thoth-linux-x86_64`), a
 * `thoth.ts` script, and whether `run` follows such a word. Pure.
 *
 * @example
 * ```ts
 * namesThothBinary("/usr/local/bin/thoth"); // true
 * namesThothBinary("C:\\thoth\\THOTH.EXE"); // true
 * namesThothBinary("/opt/thoth/server.js"); // false
 * THOTH_SCRIPT.test("/src/thoth/src/cli/thoth.ts"); // true
 * runAfter(["thoth", "--verbose", "run", "--", "npx"], 1); // true
 * runAfter(["uv", "--directory", "/opt/thoth", "run"], 1); // false: "/opt/thoth" is no option
 * ```
 */
import { MACOS_UNIVERSAL_SUFFIX, RELEASE_TARGETS } from "../release/targets.ts";

/** A `thoth.ts` script: thoth started from source. */
export const THOTH_SCRIPT = /(^|[\\/])thoth\.ts$/;

/** The base names of a thoth binary: `thoth`, `thoth.exe` and the release asset names. */
const THOTH_NAMES: ReadonlySet<string> = new Set([
  "thoth",
  "thoth.exe",
  ...[...RELEASE_TARGETS.map((target) => target.suffix), MACOS_UNIVERSAL_SUFFIX].map((suffix) =>
    `thoth-${suffix}`.toLowerCase()
  ),
]);

/**
 * Whether `command` names a thoth binary by its base name, case-insensitively
 * (`/usr/local/bin/thoth`, `C:\\thoth\\THOTH.EXE`, `thoth-linux-x86_64`).
 */
export function namesThothBinary(command: string): boolean {
  return THOTH_NAMES.has((command.split(/[\\/]/).pop() ?? "").toLowerCase());
}

/** Whether `run` comes at `at`, with only thoth's options (words starting with `-`) before it. */
export function runAfter(words: readonly string[], at: number): boolean {
  let i = at;
  while (i < words.length && words[i]!.startsWith("-") && words[i] !== "--") i++;
  return words[i] === "run";
}
