/**
 * Runs a commander program the thoth way: usage errors exit 2 with a hint to
 * `--help`, `AppError`s print `error:`/`hint:` lines, anything else is an
 * internal error. Shared by `thoth` and `thothctl`.
 *
 * @example
 * ```ts
 * const code = await runProgram("thoth", program, args, io);
 * ```
 */
import { type Command, CommanderError } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";
import { formatError } from "./report_error.ts";

/** Applies thoth's output and error conventions to a command and its subcommands. */
export function configureCommand<C extends Command<unknown[], Record<string, unknown>>>(
  command: C,
  io: CliIo,
): C {
  command.exitOverride();
  command.configureOutput({
    writeOut: (text) => io.out(text),
    writeErr: (text) => io.err(text),
    outputError: () => {/* printed by runProgram */},
  });
  command.showSuggestionAfterError(true);
  for (const sub of command.commands) {
    configureCommand(sub as unknown as C, io);
  }
  return command;
}

/** Parses and runs; returns the process exit code. Never throws. */
export async function runProgram(
  name: string,
  program: Command<unknown[], Record<string, unknown>>,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const verbose = args.includes("--verbose");
  configureCommand(program, io);
  try {
    await program.parseAsync([...args], { from: "user" });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" || error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return 0;
      }
      const message = error.message.replace(/^error: /, "");
      io.err(`${name}: error: ${message}\n`);
      io.err(`${name}: hint: run "${name} --help" to see the commands and flags\n`);
      return 2;
    }
    const { text, exitCode } = formatError(name, error, verbose);
    io.err(text);
    return exitCode;
  }
}
