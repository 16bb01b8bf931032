/**
 * How a command takes its client config, so that the hints of a config it
 * cannot find say what that command takes: `wrap-config` and `unwrap-config`
 * a file as INPUT, `status` a file after `--config`; each lists where every
 * client keeps its config in its own `--help`. Pure.
 *
 * @example
 * ```ts
 * configFileHints({ name: "status", takes: "--config FILE" });
 * // ["pass the config file with --config FILE, or choose the client with --client",
 * //  'run "thoth status --help" to see where each client keeps its config']
 * ```
 */

/** A command that reads a client config. */
export interface ConfigCommand {
  /** The subcommand, e.g. "wrap-config". */
  readonly name: string;
  /** How it takes a config file: "INPUT" (an argument) or "--config FILE". */
  readonly takes: "INPUT" | "--config FILE";
}

/** The hints for a config that is missing, or whose default place cannot be found. */
export function configFileHints(command: ConfigCommand): string[] {
  const pass = command.takes === "INPUT"
    ? "pass the config file as INPUT"
    : "pass the config file with --config FILE";
  return [
    `${pass}, or choose the client with --client`,
    `run "thoth ${command.name} --help" to see where each client keeps its config`,
  ];
}
