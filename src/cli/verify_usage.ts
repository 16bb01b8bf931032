/**
 * `thoth audit verify`'s command-line mistakes exit 3, "could not run", as
 * its help says: the parser's usual exit 2 is verify's code for "warnings
 * only", so a CI gate that accepts 0 or 2 would pass a mistyped verify that
 * checked nothing. The refusal reads as any usage error (`usage.…`, the
 * parser's message, its suggestion as a hint, then the help hint), only its
 * exit code differs, in text and in `--json`. Also refuses an option given
 * twice (`--bundle A --bundle B` would check only B).
 *
 * @example
 * ```ts
 * const verify = exitThreeOnUsage(new Command("verify").option("--bundle <dir>", "…", once("--bundle")));
 * ```
 */
import { type CommandUnknownOpts, InvalidArgumentError } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { usageParts } from "./program.ts";

/** The exit code of a verify that could not run. */
export const VERIFY_COULD_NOT_RUN = 3;

/** An option parser that refuses the option a second time (a usage error). */
export function once(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) {
      throw new InvalidArgumentError(
        `${flag} was given twice; give it once (run verify again for another)`,
      );
    }
    return value;
  };
}

/**
 * Makes the parser's refusals of `command` (an unknown option, a missing
 * value, a stray argument, a repeated option) an `AppError` that exits
 * {@linkcode VERIFY_COULD_NOT_RUN}. The hint names the root command
 * (`thoth` or `thothctl`) and the path to `command`.
 */
export function exitThreeOnUsage<C extends CommandUnknownOpts>(command: C): C {
  command.error = (message: string, options?: { code?: string }): never => {
    throw usageError(message, options?.code ?? "commander.error", command);
  };
  return command;
}

/**
 * The parser's message as a usage error, masked as `runProgram` masks it
 * (see `usageParts`), with the help of `command` as its last hint.
 */
function usageError(
  raw: string,
  code: string,
  command: CommandUnknownOpts,
): AppError {
  const parts = usageParts(raw, code);
  const path: string[] = [];
  let at: CommandUnknownOpts = command;
  for (; at.parent; at = at.parent) path.unshift(at.name());
  const hints = [
    ...parts.hints,
    `run "${[at.name(), ...path, "--help"].join(" ")}" to see its usage`,
  ];
  return new AppError(parts.code, parts.message, { hints, exitCode: VERIFY_COULD_NOT_RUN });
}
