/**
 * Words the readers of `thoth run`'s flags share with the full parser: the
 * hint of a refused choice or an unknown flag ({@linkcode HELP_HINT}), a value
 * as a refusal quotes it ({@linkcode quotedArgument}), and whether an argument
 * asks for help ({@linkcode isHelp}). Private to `cli/`: `run_flags.ts`,
 * `run_flag_table.ts` and `run_flag_refusals.ts` use it. Pure.
 *
 * @example
 * ```ts
 * quotedArgument("strict"); // "'strict'"
 * isHelp("-h"); // true
 * ```
 */
import { looksLikeKey, showName } from "../identity/shown_env_value.ts";

/** The hint of a refused choice or an unknown flag, as the full parser gives it. */
export const HELP_HINT = 'run "thoth run --help" to see its usage';

/**
 * A value as the full parser quotes it in a refusal (`'strict'`), or by
 * fingerprint when it looks like a key (as `program.ts` shows the parser's).
 */
export function quotedArgument(value: string): string {
  return looksLikeKey(value) ? showName(value) : `'${value}'`;
}

/** Whether `arg` asks for help. */
export function isHelp(arg: string): boolean {
  return arg === "-h" || arg === "--help";
}
