/**
 * How a wrapped entry's start of thoth from source differs from the line
 * `wrap-config` writes today (see {@linkcode launchDrift}). Pure.
 */
import {
  launchFlagCancels,
  launchFlagsOff,
  SOURCE_LAUNCH_FLAGS,
  sourceLaunchWords,
} from "../platform/source_launch_flags.ts";

/**
 * The words `selfCommandFor` (`src/cli/cli_io.ts`) writes between the deno
 * binary and thoth's script: `--config=` stands for `--config=<deno.json>`.
 */
const SOURCE_LAUNCH_WORDS: readonly string[] = sourceLaunchWords("");

/** The word of {@linkcode SOURCE_LAUNCH_WORDS} `word` is, or undefined. */
function launchWordOf(word: string): string | undefined {
  if (word.startsWith("--config=") && word.length > "--config=".length) return "--config=";
  return SOURCE_LAUNCH_WORDS.includes(word) && word !== "--config=" ? word : undefined;
}

/**
 * What differs between how a wrapped entry starts thoth (its command and the
 * arguments before `run`, `ThothInvocation.thothCommand`) and the line
 * `wrap-config` writes for thoth from source, in the words `thoth status`
 * shows as drift, or undefined. Only a start from source (`deno run …
 * thoth.ts`) is read; a compiled binary has no launch words.
 *
 * - A flag of {@linkcode SOURCE_LAUNCH_FLAGS}, or another word the line has,
 *   that the entry lacks: "older flag set: deno runs thoth without …".
 *   Without `--no-remote` deno fetches modules from the network even for the
 *   sandboxed proxy core's dynamic `import()`; without `--cached-only` and
 *   `--frozen-lockfile` it fetches an `npm:` package from the registry and
 *   writes it into deno.lock.
 * - A word the line does not have (`-A` for `-P=thoth`, an `--allow-*`,
 *   `--frozen=false`, `--no-lock`): "deno runs thoth with words wrap-config
 *   does not write: …", naming each flag such a word turns off (read as deno
 *   reads it, see `launchFlagInEffect`): `--frozen-lockfile
 *   --frozen=false` is not frozen.
 * - The same words in another order, or repeated: said so.
 *
 * `wrap-config` rewrites every such entry ("thoth launch arguments
 * changed"), so `thoth status` and `wrap-config` agree on which entries are
 * out of date. Paths (deno's, the script's, `--config=`'s) are not compared:
 * they are where this machine keeps them.
 *
 * @example
 * ```ts
 * const line = selfCommandFor("/usr/bin/deno", "file:///src/thoth/src/cli/thoth.ts", "/src/thoth/deno.json");
 * launchDrift(line); // undefined
 * launchDrift(line.filter((word) => word !== "--cached-only"));
 * // "older flag set: deno runs thoth without --cached-only"
 * launchDrift([...line.slice(0, -1), "--frozen=false", line.at(-1)!]);
 * // "deno runs thoth with words wrap-config does not write: --frozen=false (so thoth cannot count on --frozen-lockfile)"
 * launchDrift(["/opt/thoth/bin/thoth"]); // undefined
 * ```
 */
export function launchDrift(thothCommand: readonly string[]): string | undefined {
  const base = (thothCommand[0]?.split(/[\\/]/).pop() ?? "").toLowerCase();
  if (base !== "deno" && base !== "deno.exe") return undefined;
  const given = thothCommand.slice(1, -1);
  const off = new Set(launchFlagsOff(given));
  const present = given.map(launchWordOf);
  const extra = given.filter((_, k) => present[k] === undefined);
  // A flag some extra word turns off is said with that word, not as missing.
  const cancelled = SOURCE_LAUNCH_FLAGS.filter((flag) =>
    off.has(flag) && launchFlagCancels(given, flag).length > 0
  );
  const missing = SOURCE_LAUNCH_WORDS.filter((word) =>
    !cancelled.includes(word) && (off.has(word) || !present.includes(word))
  ).map((word) => word === "--config=" ? "--config=<deno.json>" : word);
  const parts: string[] = [];
  if (missing.length > 0) {
    parts.push(`older flag set: deno runs thoth without ${missing.join(", ")}`);
  }
  if (extra.length > 0) {
    const turnsOff = cancelled.length === 0
      ? ""
      : ` (so thoth cannot count on ${cancelled.join(", ")})`;
    parts.push(
      `deno runs thoth with words wrap-config does not write: ${extra.join(", ")}${turnsOff}`,
    );
  }
  if (parts.length === 0 && present.join("\0") !== SOURCE_LAUNCH_WORDS.join("\0")) {
    parts.push(
      "deno runs thoth with its launch words repeated or in another order than wrap-config writes",
    );
  }
  return parts.length === 0 ? undefined : parts.join("; ");
}
