/**
 * Recognises a wrapped entry, `thoth run [flags] -- upstream…`, and reads its
 * flags. Pure.
 *
 * An entry is thoth's when its command is a `thoth`/`thoth.exe` binary with
 * `run` as the first argument, or `deno` running a `thoth.ts`/`mod.ts` script
 * followed by `run` (thoth started from source), and `--agent-id` comes before
 * the first `--`. Everything after that `--` is the upstream command, unchanged.
 *
 * @example
 * ```ts
 * const found = readThothInvocation("/opt/thoth/bin/thoth", [
 *   "run", "--agent-id", "fs", "--enforcement-mode", "block", "--", "npx", "-y", "pkg",
 * ]);
 * found?.kind === "wrapped" && found.upstream; // ["npx", "-y", "pkg"]
 * ```
 */

/** Flags of `thoth run` that take a value. */
export const RUN_VALUE_FLAGS = [
  "--agent-id",
  "--tenant-id",
  "--enforcement-mode",
  "--intent",
  "--policy",
  "--api-key",
  "--max-line-bytes",
  "--shutdown-grace-ms",
  "--audit-sync",
  "--approval-timeout",
] as const;

/** A parsed `thoth run` entry. */
export interface ThothInvocation {
  kind: "wrapped";
  /** The command and the arguments before `run`: how thoth itself is started. */
  thothCommand: string[];
  /** Index of `run` in args. */
  runIndex: number;
  /** Index of the first `--` in args. */
  dashIndex: number;
  /** The value flags, in order, as `[flag, value]`. */
  flags: [string, string][];
  /** Flags the current `thoth run` does not know (an older flag set). */
  unknownFlags: string[];
  /** The upstream command and its arguments. */
  upstream: string[];
}

/** What {@linkcode readThothInvocation} found. */
export type InvocationRead = ThothInvocation | { kind: "malformed"; reason: string } | undefined;

const SCRIPT = /(^|[\\/])(thoth|mod)\.ts$/;

/**
 * Reads a wrapped entry; undefined when the entry is not thoth's. `self` is
 * how this thoth is started; an entry that starts exactly that way is thoth's
 * whatever its script is called.
 */
export function readThothInvocation(
  command: string,
  args: readonly string[],
  self: readonly string[] = [],
): InvocationRead {
  const base = (command.split(/[\\/]/).pop() ?? "").toLowerCase();
  let runIndex = -1;
  const launch = self.slice(1);
  if (
    self.length > 1 && self[0] === command && launch.every((arg, i) => args[i] === arg) &&
    args[launch.length] === "run"
  ) {
    runIndex = launch.length;
  } else if ((base === "thoth" || base === "thoth.exe") && args[0] === "run") {
    runIndex = 0;
  } else if (base === "deno" || base === "deno.exe") {
    runIndex = args.findIndex((arg, i) => arg === "run" && i > 0 && SCRIPT.test(args[i - 1]!));
  }
  if (runIndex < 0) return undefined;
  const dashIndex = args.indexOf("--", runIndex + 1);
  const end = dashIndex < 0 ? args.length : dashIndex;
  const flags: [string, string][] = [];
  const unknownFlags: string[] = [];
  for (let i = runIndex + 1; i < end; i++) {
    const token = args[i]!;
    const eq = token.indexOf("=");
    const name = token.startsWith("--") && eq > 0 ? token.slice(0, eq) : token;
    const known = (RUN_VALUE_FLAGS as readonly string[]).includes(name);
    if (known && eq > 0 && token.startsWith("--")) {
      flags.push([name, token.slice(eq + 1)]);
    } else if (known && i + 1 < end) {
      flags.push([name, args[++i]!]);
    } else {
      unknownFlags.push(name);
      const next = args[i + 1];
      if (eq < 0 && name.startsWith("-") && i + 1 < end && !next!.startsWith("-")) i++;
    }
  }
  if (!flags.some(([name]) => name === "--agent-id")) {
    if (base.startsWith("thoth")) {
      return { kind: "malformed", reason: 'a "thoth run" entry without "--agent-id"' };
    }
    return undefined;
  }
  if (dashIndex < 0 || dashIndex + 1 >= args.length) {
    return {
      kind: "malformed",
      reason: 'a "thoth run" entry without an upstream command after "--"',
    };
  }
  return {
    kind: "wrapped",
    thothCommand: [command, ...args.slice(0, runIndex)],
    runIndex,
    dashIndex,
    flags,
    unknownFlags,
    upstream: args.slice(dashIndex + 1),
  };
}
