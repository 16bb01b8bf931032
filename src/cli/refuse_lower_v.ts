/**
 * `-v` refused as any unknown option is, with a hint toward the flag that was
 * likely meant: `-v` is not verbose (`--verbose`) nor the version (`-V`,
 * `--version`), and guessing either would be wrong half the time. Shared by
 * `thoth` and `thothctl`, each hint naming the program it was run as.
 *
 * @example
 * ```ts
 * refuseLowerV(program, "thothctl"); // "thothctl -v" exits 2 with the hint
 * ```
 */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";

/** Makes `name -v` (`program` is its root) a usage error with a hint toward -V and --verbose. */
export function refuseLowerV(program: CommandUnknownOpts, name: string): void {
  program.addOption(new Option("-v").hideHelp());
  program.on("option:v", () => {
    throw new AppError("usage.unknown_option", "unknown option '-v'", {
      hints: [
        `for the version, run "${name} -V" or "${name} --version"; for stack traces on ` +
        "internal errors, --verbose",
        `run "${name} --help" to see the commands and flags`,
      ],
      exitCode: 2,
    });
  });
}
