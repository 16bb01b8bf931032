/**
 * The flags thoth from source runs with, after `-P=thoth` (see
 * `selfCommandFor` in `src/cli/cli_io.ts`): never prompt for a permission,
 * fetch no module from the network, resolve npm packages only from Deno's
 * cache and deno.lock, and never write the lock. Deno fetches an
 * `import("https://…")`, `import("jsr:…")` or `import("npm:…")` even for a
 * Worker that may import nothing, such as the proxy core.
 *
 * @example
 * ```ts
 * SOURCE_LAUNCH_FLAGS.includes("--no-remote"); // true
 * ```
 */
import { THOTH_V8_FLAGS } from "./v8_flags.ts";
export const SOURCE_LAUNCH_FLAGS: readonly string[] = [
  "--no-prompt",
  "--no-remote",
  "--cached-only",
  "--frozen-lockfile",
];

/**
 * The words thoth from source is started with between the deno binary and
 * its script, with `configPath` as its deno.json: what `selfCommandFor`
 * (`src/cli/cli_io.ts`) writes into a client's config and what `thoth
 * status` compares a wrapped entry's launch with.
 *
 * @example
 * ```ts
 * sourceLaunchWords("/src/thoth/deno.json").at(-1); // "--config=/src/thoth/deno.json"
 * ```
 */
export function sourceLaunchWords(configPath: string): string[] {
  return [
    "run",
    "-P=thoth",
    ...SOURCE_LAUNCH_FLAGS,
    "--quiet",
    THOTH_V8_FLAGS,
    `--config=${configPath}`,
  ];
}

/** Another spelling deno accepts for a launch flag: `--frozen` is `--frozen-lockfile`. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  "--frozen-lockfile": ["--frozen-lockfile", "--frozen"],
};

/** The spellings of `flag` that deno reads, alias included. */
function spellings(flag: string): readonly string[] {
  return ALIASES[flag] ?? [flag];
}

/** The value a word gives `flag` (`null` for the bare flag), or undefined when it names another. */
function valueFor(word: string, flag: string): string | null | undefined {
  for (const name of spellings(flag)) {
    if (word === name) return null;
    if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
  }
  return undefined;
}

/**
 * Whether `flag` (one of {@linkcode SOURCE_LAUNCH_FLAGS}) is in effect for
 * deno given `words`, its arguments before the module (a word after the
 * module is the program's, not deno's). Read as deno 2.9.6 reads them,
 * failing closed where it is lenient:
 *
 * - `--frozen-lockfile` (or its alias `--frozen`) takes a value: the last
 *   occurrence written with one (`=true`, `=false`) decides, whatever bare
 *   ones come before or after it (`--frozen-lockfile --frozen=false` and
 *   `--frozen=false --frozen-lockfile` are both off); with no value written,
 *   a bare occurrence turns it on. A value other than `true`/`false` makes
 *   deno refuse to start: off. `--no-lock` turns it off too (no lock is read,
 *   so any cached npm package loads).
 * - `--no-prompt`, `--no-remote` and `--cached-only` are on when given; deno
 *   2.9.6 ignores a value written after them (`--no-remote=false` is still
 *   on), but one other than `true` counts as off here, since a later deno may
 *   read it as it reads `--frozen-lockfile`'s.
 *
 * @example
 * ```ts
 * launchFlagInEffect(["--frozen-lockfile", "--frozen=false"], "--frozen-lockfile"); // false
 * launchFlagInEffect(["--frozen=false", "--frozen-lockfile=true"], "--frozen-lockfile"); // true
 * launchFlagInEffect(["--no-remote"], "--no-remote"); // true
 * launchFlagInEffect(["--no-remote", "--no-remote=false"], "--no-remote"); // false
 * ```
 */
export function launchFlagInEffect(words: readonly string[], flag: string): boolean {
  let bare = false;
  let last: string | undefined;
  for (const word of words) {
    if (flag === "--frozen-lockfile" && word === "--no-lock") return false;
    const value = valueFor(word, flag);
    if (value === null) bare = true;
    else if (value !== undefined) {
      // deno refuses a --frozen-lockfile value other than true or false, and starts nothing.
      if (value !== "true" && (flag !== "--frozen-lockfile" || value !== "false")) return false;
      last = value;
    }
  }
  return last === undefined ? bare : last === "true";
}

/**
 * The words among `words` (deno's arguments before the module) that turn
 * `flag` off or may (see {@linkcode launchFlagInEffect}): each spelling of it
 * with a value other than `true`, and `--no-lock` for `--frozen-lockfile`.
 * Empty when nothing names it so: the flag is simply missing, or in effect.
 *
 * @example
 * ```ts
 * launchFlagCancels(["--frozen-lockfile", "--frozen=false"], "--frozen-lockfile"); // ["--frozen=false"]
 * launchFlagCancels(["--quiet"], "--no-remote"); // []
 * ```
 */
export function launchFlagCancels(words: readonly string[], flag: string): string[] {
  return words.filter((word) => {
    if (flag === "--frozen-lockfile" && word === "--no-lock") return true;
    const value = valueFor(word, flag);
    return value !== undefined && value !== null && value !== "true";
  });
}

/**
 * The flags of {@linkcode SOURCE_LAUNCH_FLAGS} not in effect for deno given
 * `words` (its arguments before the module), in that list's order.
 *
 * @example
 * ```ts
 * launchFlagsOff(["run", "-P=thoth", "--no-prompt", "--no-remote", "--cached-only"]);
 * // ["--frozen-lockfile"]
 * ```
 */
export function launchFlagsOff(words: readonly string[]): string[] {
  return SOURCE_LAUNCH_FLAGS.filter((flag) => !launchFlagInEffect(words, flag));
}
