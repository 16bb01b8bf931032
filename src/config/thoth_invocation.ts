/**
 * Recognises a wrapped entry, `thoth run [flags] -- upstream…`, and reads its
 * flags. Pure.
 *
 * An entry is thoth's when its command is a `thoth`/`thoth.exe` binary, or
 * starts exactly the way this thoth is started, or is `deno` running a
 * `thoth.ts`/`mod.ts` script followed by `run` and `--agent-id` (thoth started
 * from source). Such an entry is `wrapped` only in the shape `wrap-config`
 * writes: `run`, then flags (each with its value), then `--` and a non-empty
 * upstream command, which with its arguments is
 * everything after that `--`, unchanged. Any other entry that names thoth is
 * `not_understood`, with the reason in words: it is neither counted as
 * governed nor rewritten. A `thoth run` entry without `--agent-id` is
 * governed (`thoth run` derives the id from the upstream command); the
 * `deno … thoth.ts run` form needs it, or any script named so would count.
 *
 * @example
 * ```ts
 * const found = readThothInvocation("/opt/thoth/bin/thoth", [
 *   "run", "--agent-id", "fs", "--enforcement-mode", "block", "--", "npx", "-y", "pkg",
 * ]);
 * found?.kind === "wrapped" && found.upstream; // ["npx", "-y", "pkg"]
 * readThothInvocation("thoth", ["serve"]);
 * // { kind: "not_understood", reason: 'its arguments start with "serve", not "run"' }
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

/** An entry that names thoth but is not `run [flags] -- <command>`: why, in words. */
export interface NotUnderstood {
  kind: "not_understood";
  /** Reads after "thoth entry not understood: ". */
  reason: string;
}

/** What {@linkcode readThothInvocation} found; undefined when the entry is not thoth's. */
export type InvocationRead = ThothInvocation | NotUnderstood | undefined;

/** How status, wrap-config and unwrap-config name an entry that is not understood. */
export function describeNotUnderstood(found: NotUnderstood): string {
  return `thoth entry not understood: ${found.reason}`;
}

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
  const launch = self.slice(1);
  const isSelf = self.length > 1 && self[0] === command &&
    launch.every((arg, i) => args[i] === arg) && args[launch.length] === "run";
  const namesThoth = base === "thoth" || base === "thoth.exe";
  let runIndex = -1;
  if (isSelf) {
    runIndex = launch.length;
  } else if (namesThoth) {
    if (args.length === 0) {
      return notUnderstood('it has no arguments; expected "run [flags] -- <command>"');
    }
    if (args[0] !== "run") {
      return notUnderstood(`its arguments start with ${JSON.stringify(args[0])}, not "run"`);
    }
    runIndex = 0;
  } else if (base === "deno" || base === "deno.exe") {
    runIndex = args.findIndex((arg, i) => arg === "run" && i > 0 && SCRIPT.test(args[i - 1]!));
  }
  if (runIndex < 0) return undefined;
  const dashIndex = args.indexOf("--", runIndex + 1);
  const end = dashIndex < 0 ? args.length : dashIndex;
  const flags: [string, string][] = [];
  const unknownFlags: string[] = [];
  let stray: string | undefined;
  for (let i = runIndex + 1; i < end; i++) {
    const token = args[i]!;
    const eq = token.indexOf("=");
    const name = token.startsWith("--") && eq > 0 ? token.slice(0, eq) : token;
    const known = (RUN_VALUE_FLAGS as readonly string[]).includes(name);
    if (known && eq > 0 && token.startsWith("--")) {
      flags.push([name, token.slice(eq + 1)]);
    } else if (known && i + 1 < end) {
      flags.push([name, args[++i]!]);
    } else if (!name.startsWith("-")) {
      // thoth run would take this as the upstream command, and "--" as its argument.
      stray ??= token;
    } else {
      unknownFlags.push(name);
      const next = args[i + 1];
      if (eq < 0 && i + 1 < end && !next!.startsWith("-")) i++;
    }
  }
  const hasAgentId = flags.some(([name]) => name === "--agent-id");
  // deno running some other thoth.ts or mod.ts with a "run" argument is not thoth's.
  if (!hasAgentId && !namesThoth && !isSelf) return undefined;
  if (dashIndex < 0) return notUnderstood('no "--" before the upstream command');
  if (stray !== undefined) {
    return notUnderstood(`${JSON.stringify(stray)} before "--" is not a flag`);
  }
  if (dashIndex + 1 >= args.length) return notUnderstood('nothing after "--": no upstream command');
  if (args[dashIndex + 1] === "") return notUnderstood('the upstream command after "--" is empty');
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

function notUnderstood(reason: string): NotUnderstood {
  return { kind: "not_understood", reason };
}
