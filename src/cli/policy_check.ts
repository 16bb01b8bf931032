/**
 * `thoth policy check [FILE]`: validates a policy (the profile's by default)
 * and summarizes its rules, intents, detectors, audit and what each mode
 * does with a violation, or prints the summary with `--json` (with the
 * `policyHash` decision records carry). An invalid policy lists every
 * problem (`thoth run` prints a few), and with `--json` every problem as
 * data in `error.problems` (each with line, column and key; `[]` when the
 * file parsed and a later check refused it).
 * Notes on stderr (and in `notes`) name a rule an earlier default policy
 * wrote that the current one changed, or a part that cannot do what it
 * looks like (`rule_notes.ts`); they change neither the verdict "valid" nor
 * the exit code. The profile's policy is checked with its intent map: an
 * entry naming an intent the policy does not define, or a map thoth run
 * cannot read, fails the check (`ok: false` with `--json`, and a line on
 * stderr): a server started with this profile's policy and no `--intent`
 * of its own is refused.
 *
 * @example
 * ```ts
 * const policy = new Command("policy");
 * addPolicyCheckCommand(policy, io); // thoth policy check ./policy.jsonc --json
 * ```
 */
import type { Command } from "@commander-js/extra-typings";
import { summarizePolicy } from "../policy/summarize_policy.ts";
import { earlierDefaultRules } from "../policy/earlier_default_rules.ts";
import { ruleNotes } from "../policy/rule_notes.ts";
import { InvalidPolicyError } from "../policy/invalid_policy_error.ts";
import { isAppError } from "../errors.ts";
import { CHECK_EXIT_STATUS, withExamples } from "./policy_help.ts";
import type { CliIo } from "./cli_io.ts";
import { loadPolicy } from "./load_policy.ts";
import { checkProfileIntentMap } from "./policy_check_intent_map.ts";
import {
  intentMapFailedLine,
  intentMapLines,
  invalidPolicyJson,
  summaryLines,
} from "./policy_check_lines.ts";

/** Adds the `check` subcommand to the `policy` command. */
export function addPolicyCheckCommand(policy: Command, io: CliIo): void {
  policy.command("check")
    .description("validate a policy and summarize its rules, intents and modes")
    .argument("[file]", "policy file (default: $THOTH_HOME/policy.jsonc, with its intent map)")
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      withExamples(
        CHECK_EXIT_STATUS,
        `  # the profile's policy (THOTH_HOME/policy.jsonc), then one you are editing
  {program} policy check
  {program} policy check ./policy.jsonc --json

  # then see what it says about one call
  {program} policy explain --server gdrive --tool search --args '{"query":"q3"}'`,
      ),
    )
    .action(async (file, flags) => {
      const loaded = await loadPolicy(io, file).catch((error: unknown) => {
        // Every problem, where thoth run prints a few: as hints, and with --json as data too;
        // the exit code stays the error's.
        const every = error instanceof InvalidPolicyError ? error.listingEveryProblem() : error;
        if (flags.json && isAppError(every, "policy.invalid")) io.out(invalidPolicyJson(every));
        throw every;
      });
      const summary = summarizePolicy(loaded.policy);
      // Notes change nothing of the verdict "valid" or the exit code.
      const notes = [
        ...earlierDefaultRules(loaded.policy.source),
        ...ruleNotes(loaded.policy.source),
      ];
      // The profile's policy governs with the profile's intent map: checked together.
      const intentMap = file === undefined
        ? await checkProfileIntentMap(io, [...loaded.policy.intents.keys()])
        : null;
      if (intentMap?.failed === true) io.exitCode = 1;
      if (flags.json) {
        io.out(
          JSON.stringify(
            {
              file: loaded.file,
              builtIn: loaded.builtIn,
              valid: true,
              // The policy is valid; the check passes only when its intent map does too.
              ok: intentMap?.failed !== true,
              policyHash: loaded.policyHash,
              ...summary,
              notes,
              intentMap,
            },
            null,
            2,
          ) + "\n",
        );
        io.err(intentMapFailedLine(intentMap));
        return;
      }
      io.out(summaryLines(loaded, summary, intentMap).join("\n") + "\n");
      for (const note of notes) {
        io.err(`thoth: note: ${note.message}\nthoth: hint: ${note.remedy}\n`);
      }
      if (intentMap !== null) io.err(intentMapLines(intentMap));
    });
}
