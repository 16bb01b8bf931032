/** `thoth run`: placeholder until the relay lands in this commit series. */
import { Command } from "@commander-js/extra-typings";
import type { CliIo } from "./cli_io.ts";

/** Builds the `run` subcommand. */
export function runCommand(_io: CliIo): Command<[string[]], Record<string, unknown>> {
  return new Command("run").argument("<command...>") as unknown as Command<
    [string[]],
    Record<string, unknown>
  >;
}
