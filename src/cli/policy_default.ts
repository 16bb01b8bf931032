/**
 * `thoth policy default [--output FILE]`: the default policy of this release,
 * byte for byte what a first `thoth run` writes to a new profile's
 * `policy.jsonc`. A profile keeps the policy its first run wrote, so a later
 * release's default reaches it only when its admin takes it: this shows it,
 * to review, to start a managed policy from, or to `diff` with a profile's.
 * `--output` writes it as the first run does (created exclusively, mode 600),
 * never over a file unless `--force`, and never through a symbolic link.
 *
 * @example
 * ```sh
 * thoth policy default | less
 * diff <(thoth policy default) ~/.thoth/policy.jsonc
 * thoth policy default --output ./managed-policy.jsonc
 * ```
 */
import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { atomicWrite, createExclusive } from "../platform/atomic_write.ts";
import { isAbsolutePath } from "../config/is_absolute_path.ts";
import { joinPath } from "../platform/join_path.ts";
import {
  DEFAULT_POLICY_JSONC,
  defaultPolicyBytes,
  POLICY_FILE_MODE,
} from "../policy/default_policy.ts";
import { policyHash } from "../audit/policy_hash.ts";
import { displayText } from "../approval/display_text.ts";
import { shellWord } from "./config_command_line.ts";
import type { CliIo } from "./cli_io.ts";
import { DEFAULT_EXIT_STATUS } from "./policy_help.ts";
import { defaultRuleIds, defaultRuleText } from "../policy/default_rule_text.ts";

/** The help after the options: what `--output` does, and examples under the program's name. */
function afterHelp({ command }: { command: CommandUnknownOpts }): string {
  let root = command;
  while (root.parent !== null) root = root.parent;
  const program = root.name();
  return `
With --output FILE the policy is written to FILE as a first run writes it: whole or not
at all, readable and writable by its owner only (mode 600). A FILE that exists is kept:
--force replaces it (its edits are lost), but never through a symbolic link.

With --json: {"file", "replaced", "sha256", "bytes", "text"}; sha256 is the policyHash
the audit log's decisions carry for a session under this policy, unedited.

With --rule ID only that rule of the default is printed, as JSONC with a comma after
it, to paste as one element of your policy's "rules" (over a rule of the same id).
${DEFAULT_EXIT_STATUS}
Examples:
  # review this release's default
  ${program} policy default | less

  # what the profile's policy changed from it, or kept from an earlier one
  ${program} policy default | diff - ~/.thoth/policy.jsonc

  # start a managed policy from it, then check your edits
  ${program} policy default --output ./managed-policy.jsonc
  ${program} policy check ./managed-policy.jsonc

  # take one rule of the default that an earlier one lacked, then check the policy
  ${program} policy default --rule command-runners`;
}

/** Whether `path` is a symbolic link (false when nothing is there). */
async function isLink(path: string): Promise<boolean> {
  try {
    return (await Deno.lstat(path)).isSymlink;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw new AppError(
      "io.write_failed",
      `cannot write "${displayText(path)}": ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error, hints: ["check the folder's permissions, or give another --output"] },
    );
  }
}

/**
 * Writes the default policy to `path` as the first run writes it; with
 * `force`, over a file that is there. Returns whether a file was replaced.
 */
async function writeDefault(path: string, force: boolean): Promise<boolean> {
  const shown = displayText(path);
  if (!force) {
    if (await createExclusive(path, defaultPolicyBytes(), { mode: POLICY_FILE_MODE })) {
      return false;
    }
    throw new AppError(
      "policy.output_exists",
      `"${shown}" exists: thoth policy default does not replace a file`,
      {
        hints: [
          `compare them first: thoth policy default | diff - ${shellWord(path)}`,
          "add --force to replace it (its edits are lost)",
        ],
      },
    );
  }
  if (await isLink(path)) {
    throw new AppError(
      "policy.output_link",
      `"${shown}" is a symbolic link: thoth policy default does not write through it ` +
        "(it may lead to a policy something else manages)",
      {
        hints: [
          "give the file it leads to as --output, or remove the link to write a file there",
        ],
      },
    );
  }
  const existed = await Deno.lstat(path).then(() => true, () => false);
  await atomicWrite(path, defaultPolicyBytes(), { mode: POLICY_FILE_MODE, refuseLink: true });
  return existed;
}

/** Builds `policy default`. */
export function policyDefaultCommand(io: CliIo) {
  return new Command("default")
    .summary("print the default policy thoth writes on first run")
    .description(
      "print the default policy thoth writes on first run, byte for byte\n\n" +
        "A profile keeps the policy.jsonc its first thoth run wrote: a later release's default " +
        "(a rule made narrower, a new detector) reaches it only when you take it. Use this to " +
        "review the default, to start a managed policy from it, or to compare it with a " +
        "profile's policy (diff); thoth policy check notes a rule an earlier default wrote " +
        "that the current one changed.",
    )
    .option("--output <file>", "write it to FILE (mode 600) instead of standard output")
    .option("--force", "with --output: replace a FILE that exists")
    .option("--json", "print it as JSON, with its sha256")
    .option("--rule <id>", 'print only the default\'s rule ID, to paste into "rules"')
    .addHelpText("after", afterHelp)
    .action(async (flags) => {
      if (flags.rule !== undefined) {
        if (flags.output !== undefined || flags.json === true || flags.force === true) {
          throw new AppError(
            "usage.bad_flag",
            "--rule goes alone: not with --output, --force or --json",
            {
              hints: ['run "thoth policy default --rule ID" and paste what it prints'],
            },
          );
        }
        const text = defaultRuleText(flags.rule);
        if (text === undefined) {
          throw new AppError(
            "usage.bad_flag",
            `the default policy has no rule "${displayText(flags.rule, 100)}"`,
            { hints: [`its rules: ${defaultRuleIds().join(", ")}`] },
          );
        }
        io.out(text);
        return;
      }
      if (flags.force === true && flags.output === undefined) {
        throw new AppError("usage.bad_flag", "--force goes with --output FILE", {
          hints: ['run "thoth policy default --output FILE --force"'],
        });
      }
      const bytes = defaultPolicyBytes();
      const digest = policyHash(bytes);
      const file = flags.output === undefined
        ? null
        : isAbsolutePath(flags.output)
        ? flags.output
        : joinPath(io.cwd, flags.output);
      const replaced = file === null ? false : await writeDefault(file, flags.force === true);
      if (flags.json === true) {
        io.out(
          JSON.stringify(
            { file, replaced, sha256: digest, bytes: bytes.length, text: DEFAULT_POLICY_JSONC },
            null,
            2,
          ) + "\n",
        );
        return;
      }
      if (file === null) {
        io.out(DEFAULT_POLICY_JSONC);
        return;
      }
      const mode = Deno.build.os === "windows" ? "" : ", mode 600";
      io.out(
        `✓ ${replaced ? "replaced" : "wrote"} "${displayText(file)}" with the default policy ` +
          `(sha256 ${digest}${mode})\n` +
          `  edit it, then check it: thoth policy check ${shellWord(file)}\n`,
      );
    });
}
