/**
 * Turns Deno refusing an operation into an error a person can act on,
 * instead of `internal error`. Deno's permission system throws `NotCapable`
 * (`Requires read access to "/tmp", run again with the --allow-read flag`)
 * when thoth was started with less than its permission set (`deno.json`
 * "permissions" → "thoth" or "thothctl", what the release binaries are built
 * with): the error names the permission and the path, and says how to start
 * thoth with its set. The operating system refusing (`PermissionDenied`,
 * `Permission denied (os error 13): open '/x'`) is said as such, with the
 * file's owner and mode to check. Anything else: `undefined`.
 *
 * @example
 * ```ts
 * const error = new Deno.errors.NotCapable('Requires read access to "/tmp", run again with the --allow-read flag');
 * notPermittedError(error, "thoth", { compiled: false, root: "/src/thoth" })?.message;
 * // 'thoth was not granted read access to "/tmp" (--allow-read): it runs with less than its permission set'
 * ```
 */
import { AppError } from "../errors.ts";
import { commandLineText } from "../doctor/command_line_text.ts";

/** How this thoth runs, for the remedy. */
export interface RunningAs {
  /** A compiled binary (`Deno.build.standalone`), not thoth from source. */
  readonly compiled: boolean;
  /** thoth's source folder (where its deno.json is), when from source. */
  readonly root: string | null;
}

/** Deno's words (2.9) for a permission it was not given. */
const REQUIRES = /^Requires (\w+) access(?: to (.+?))?(?:, (?:run again|specify)\b.*)?$/s;

/**
 * The error to report for `error` (or the first error in its cause chain)
 * when it is Deno or the OS refusing an operation; otherwise `undefined`.
 */
export function notPermittedError(
  error: unknown,
  program: string,
  runningAs: RunningAs = thisProcess(),
): AppError | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof Deno.errors.NotCapable) return notGranted(current, program, runningAs);
    // A dynamic import Deno refused (src/cli/unlisted_module.ts): a TypeError in its words.
    if (current instanceof TypeError && REQUIRES.test(current.message)) {
      return notGranted(current, program, runningAs);
    }
    if (current instanceof Deno.errors.PermissionDenied) {
      // Deno's own words: its permission system, not the OS.
      if (REQUIRES.test(current.message)) return notGranted(current, program, runningAs);
      return osDenied(current);
    }
    current = current.cause;
  }
  return undefined;
}

function notGranted(error: Error, program: string, runningAs: RunningAs): AppError {
  const words = REQUIRES.exec(error.message.trim());
  const kind = words?.[1];
  const what = kind === undefined
    ? `an operation its permissions do not allow (${firstLine(error.message)})`
    : `${kind} access${words?.[2] === undefined ? "" : ` to ${words[2]}`}` +
      (kind === "all" ? " (only --allow-all grants it)" : ` (--allow-${kind})`);
  const set = `deno.json "permissions" → "${program}"`;
  return new AppError(
    "io.not_permitted",
    `${program} was not granted ${what}: it runs with less than its permission set`,
    {
      cause: error,
      hints: [
        runningAs.compiled
          ? `this binary was built with less than ${program}'s permission set (${set}): ` +
            "install a thoth release binary, built with exactly that set"
          : `start ${program} with its permission set (${set}), as ` +
            `"${runningAs.root === null ? "" : `${commandLineText(["cd", runningAs.root])} && `}` +
            `deno task ${program} …" does, or install a thoth release binary`,
      ],
    },
  );
}

function osDenied(error: Error): AppError {
  return new AppError("io.os_denied", `the operating system refused: ${firstLine(error.message)}`, {
    cause: error,
    hints: [
      "check the owner and mode of the file or folder it names, and of the folders above it: " +
      "thoth runs as your user",
    ],
  });
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? "";
}

/** This process: compiled or from source, and its source folder. */
function thisProcess(): RunningAs {
  if (Deno.build.standalone) return { compiled: true, root: null };
  const root = new URL("../../", import.meta.url);
  return {
    compiled: false,
    root: root.protocol === "file:" ? decodeURIComponent(root.pathname).replace(/\/$/, "") : null,
  };
}
