/**
 * Help text of `thoth policy` and its subcommands beyond their options: each
 * command's "Exit status:" and "Examples:" sections, the examples under the
 * name of the program the command runs in (`thoth` or `thothctl`).
 *
 * @example
 * ```ts
 * policy.command("check").addHelpText("after", withExamples(CHECK_EXIT_STATUS, "  {program} policy check"));
 * ```
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";

/**
 * Help text for after a command's options: `before` (an "Exit status:"
 * section, or "" for none), then an "Examples:" section holding `text`, each
 * `{program}` in it the name of the program the command runs under.
 */
export function withExamples(
  before: string,
  text: string,
): (context: { command: CommandUnknownOpts }) => string {
  return ({ command }) => {
    let root = command;
    while (root.parent !== null) root = root.parent;
    return `${before}\nExamples:\n${text.replaceAll("{program}", root.name())}`;
  };
}

/** `policy`'s own examples: one of each subcommand. */
export const POLICY_EXAMPLES =
  `  # is the profile's policy valid, and what does it say about one call?
  {program} policy check
  {program} policy explain --server fs --tool read_file --args '{"path":".env"}'

  # this release's default policy, beside the profile's
  {program} policy default | diff - ~/.thoth/policy.jsonc`;

/** How `policy check` exits. */
export const CHECK_EXIT_STATUS = `
Exit status:
  0  the policy is valid (notes on stderr change nothing)
  1  it is not: a policy that cannot be read or parsed, or breaks a rule
     (the error names the line and column); or, with no FILE, the profile's
     intent map names an intent the policy does not define or cannot be
     read: a server started with this profile's policy and no --intent of
     its own is refused (one with --intent, or --policy FILE, is not)
  2  a command line it cannot read (an unknown flag)
`;

/** How `policy explain` exits. */
export const EXPLAIN_EXIT_STATUS = `
Exit status:
  0  the call was explained, whatever the verdict (block and step_up included)
  1  nothing was explained: the policy cannot be read or is not valid, or the
     intent is not in it
  2  a command line it cannot read: --args or --annotations not a JSON
     object, an unknown --mode, a missing --server or --tool, --annotations
     with --unlisted
`;

/** How `policy default` exits. */
export const DEFAULT_EXIT_STATUS = `
Exit status:
  0  printed, or written to --output FILE
  1  nothing was written: FILE exists (without --force), is a symbolic link,
     or cannot be written
  2  a command line it cannot read (--force without --output)
`;
