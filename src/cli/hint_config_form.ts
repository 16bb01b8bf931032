/**
 * The hint for a config given the other command's way (`thoth status
 * c.json`, `thoth wrap-config --config c.json`).
 */
import type { CommandUnknownOpts, ErrorOptions } from "@commander-js/extra-typings";
import type { ConfigCommand } from "../config/config_command.ts";
import { shellWord } from "./config_command_line.ts";

/**
 * Makes the parser's refusal of a config given the other command's way say
 * how this command takes it: `thoth status c.json` (status takes `--config
 * FILE`) and `thoth wrap-config --config c.json` (wrap-config and
 * unwrap-config take the file as their argument) each get a hint with the
 * command line that works, e.g. `thoth status --config c.json`. Every
 * other refusal is left as the parser words it.
 *
 * @example
 * ```ts
 * hintConfigForm(new Command("status").option("--config <file>", "…"), "--config FILE");
 * // thoth status c.json → hint: status takes the config as --config FILE: thoth status --config c.json
 * ```
 */
export function hintConfigForm<C extends CommandUnknownOpts>(
  command: C,
  takes: ConfigCommand["takes"],
): C {
  const refuse = command.error.bind(command);
  command.error = (message: string, options?: ErrorOptions): never => {
    const hint = configFormHint(command.name(), takes, command.args, options?.code);
    return refuse(hint === undefined ? message : `${message}\n(${hint})`, options);
  };
  return command;
}

/** The hint of {@linkcode hintConfigForm}, or undefined for any other refusal. */
function configFormHint(
  name: string,
  takes: ConfigCommand["takes"],
  args: readonly string[],
  code: string | undefined,
): string | undefined {
  if (takes === "--config FILE") {
    if (code !== "commander.excessArguments") return undefined;
    const file = args.length === 1 ? shellWord(args[0]!) : "FILE";
    return `${name} takes the config as --config FILE, not as an argument: ` +
      `thoth ${name} --config ${file}`;
  }
  if (code !== "commander.unknownOption") return undefined;
  const at = args.findIndex((arg) => arg === "--config" || arg.startsWith("--config="));
  if (at < 0 || args.findIndex((arg) => arg.startsWith("-")) !== at) return undefined;
  const flag = args[at]!;
  const value = flag === "--config" ? args[at + 1] : flag.slice("--config=".length);
  const file = value === undefined || value === "" || value.startsWith("-")
    ? "FILE"
    : shellWord(value);
  return `${name} takes the config as its argument, not as --config: thoth ${name} ${file}`;
}
