/**
 * Help text the `thoth audit` subcommands share: how `show` and `export`
 * read `--since` and `--until`, and each subcommand's "Examples:" section.
 *
 * @example
 * ```ts
 * command.option("--since <time>", SINCE_HELP).addHelpText("after", examples("  {program} audit show"));
 * ```
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";

/** How `show` and `export` read `--since` and `--until` (lines fit 80 columns). */
export const PERIOD_HELP = [
  "--since and --until take (both ends included; every time is UTC unless zoned):",
  "  2026-03-01            a whole day, UTC (as --until: up to the end of that day)",
  "  2026-03-01T09:00:00Z  a moment; without Z or an offset such as +02:00 it is",
  "  2026-03-01 09:00      read as UTC (seconds and a fraction are optional; as",
  "                        --until, up to the end of the last unit given: 09:00",
  "                        to 09:00:59.999, a time show printed to its .999)",
  "  30m, 24h, 7d          an age, counted back from now",
  "A record written late (taken in from a killed session's spool, or held while",
  "the log could not be written) falls in the period of its decision (its",
  "decidedAt), the time show's TIME column prints for it (its DETAIL says when",
  "it was written; --json prints both); every other record, in that of its ts.",
].join("\n");
export const SINCE_HELP = "from this time (see above)";
export const UNTIL_HELP = "up to and including this time (see above)";

/**
 * Help text for after a command's options: an "Examples:" section holding
 * `text`, each `{program}` in it the name of the program the command runs
 * under (`thoth` or `thothctl`).
 */
export function examples(text: string): (context: { command: CommandUnknownOpts }) => string {
  return ({ command }) => {
    let root = command;
    while (root.parent !== null) root = root.parent;
    return `\nExamples:\n${text.replaceAll("{program}", root.name())}`;
  };
}
