/**
 * The closing line of a write to an `--output` file no client reads.
 */
import { configCommandLine, STATUS_COMMAND } from "./config_command_line.ts";

/**
 * The closing line of a write to an `--output` file that is not the client
 * config worked on: no client reads that file, so restarting one applies
 * nothing; it says how to check the file itself (`thoth status --config
 * FILE`), or, for a config written for other machines
 * (`--thoth-path-elsewhere`), to check it there.
 *
 * @example
 * ```ts
 * writtenElsewhere("/home/ana/out.json", undefined, false);
 * // 'No client reads /home/ana/out.json until it takes the place of a client\'s config; check it with "thoth status --config /home/ana/out.json".'
 * ```
 */
export function writtenElsewhere(
  output: string,
  client: string | undefined,
  elsewhere: boolean,
): string {
  if (elsewhere) {
    return `No client reads ${output} here: once it is in place of the client's config on ` +
      `a machine it is for, check it there with "${
        configCommandLine(STATUS_COMMAND, { client })
      } --check".`;
  }
  return `No client reads ${output} until it takes the place of a client's config; check it ` +
    `with "${configCommandLine(STATUS_COMMAND, { client, file: output })}".`;
}
