/**
 * Turns any thrown value into the lines a person sees: one
 * `thoth: error: …` line, then `thoth: hint: …` lines. Never a stack trace,
 * unless `--verbose` asked for one.
 *
 * @example
 * ```ts
 * const { text, exitCode } = formatError("thoth", new AppError("policy.invalid", "bad"), false);
 * ```
 */
import { AppError } from "../errors.ts";

/** The text to print and the exit code for a failure. */
export interface FormattedError {
  text: string;
  exitCode: number;
}

/** Formats an error for stderr. */
export function formatError(program: string, error: unknown, verbose: boolean): FormattedError {
  if (error instanceof AppError) {
    const lines = [`${program}: error: ${error.message}`];
    for (const hint of error.hints) lines.push(`${program}: hint: ${hint}`);
    if (verbose) lines.push(...causeChain(error));
    return { text: lines.join("\n") + "\n", exitCode: error.exitCode };
  }
  const lines = [`${program}: error: internal error`];
  if (verbose) {
    lines.push(...causeChain(error));
  } else {
    lines.push(`${program}: hint: re-run with --verbose to see the cause`);
  }
  return { text: lines.join("\n") + "\n", exitCode: 1 };
}

function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      lines.push(current.stack ?? `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      lines.push(String(current));
      break;
    }
  }
  return lines;
}
