/**
 * Help text the `thoth audit` subcommands share: how `show` and `export`
 * read `--since` and `--until`, each subcommand's "Examples:" section, and
 * `audit`'s own examples.
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

/** `audit`'s own examples: check the log, read it, keep evidence off the device. */
export const AUDIT_EXAMPLES = `  # is the log intact? then what was blocked in the last day
  {program} audit verify
  {program} audit show --since 24h --effect blocked

  # the newest records, then each new one as it is written (Ctrl-C stops)
  {program} audit tail -f

  # evidence for an auditor: the last 30 days as a signed bundle
  {program} audit export --since 30d --output ./thoth-evidence`;

/**
 * Help text for after a command's options: an "Examples:" section holding
 * `text`, each `{program}` in it the name of the program the command runs
 * under (`thoth` or `thothctl`).
 */
export function examples(text: string): (context: { command: CommandUnknownOpts }) => string {
  return ({ command }) => `\nExamples:\n${text.replaceAll("{program}", programOf(command))}`;
}

/** The name of the program `command` runs under (`thoth` or `thothctl`). */
export function programOf(command: CommandUnknownOpts): string {
  let root = command;
  while (root.parent !== null) root = root.parent;
  return root.name();
}
