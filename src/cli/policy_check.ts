/**
 * `thoth policy check [FILE]`: validates a policy (the profile's by default)
 * and summarizes its rules, intents, detectors and what each mode does with
 * a violation, or prints the summary with `--json`. Notes on stderr name a
 * rule an earlier default policy wrote that the current one changed; they
 * change neither the verdict "valid" nor the exit code.
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
import { CHECK_EXIT_STATUS, withExamples } from "./policy_help.ts";
import { ENFORCEMENT_MODES } from "../policy/enforcement_mode.ts";
import type { CliIo } from "./cli_io.ts";
import { loadPolicy } from "./load_policy.ts";

/** Adds the `check` subcommand to the `policy` command. */
export function addPolicyCheckCommand(policy: Command, io: CliIo): void {
  policy.command("check")
    .description("validate a policy and summarize its rules, intents and modes")
    .argument("[file]", "policy file (default: $THOTH_HOME/policy.jsonc)")
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
      const loaded = await loadPolicy(io, file);
      const summary = summarizePolicy(loaded.policy);
      // Notes change nothing of the verdict "valid" or the exit code.
      const notes = earlierDefaultRules(loaded.policy.source);
      if (flags.json) {
        io.out(
          JSON.stringify(
            { file: loaded.file, builtIn: loaded.builtIn, valid: true, ...summary, notes },
            null,
            2,
          ) + "\n",
        );
        return;
      }
      const lines = [
        `✓ ${
          loaded.builtIn ? "no policy file; the built-in default" : `"${loaded.file}"`
        } is valid`,
        `  default verdict: ${summary.default}`,
        `  rules: ${summary.rules.length}` +
        (summary.disabledRules.length > 0 ? ` (${summary.disabledRules.length} disabled)` : ""),
        ...summary.rules.map((r) =>
          `    ${r.id}: ${r.decision}${r.reason ? ` (${r.reason})` : ""}`
        ),
        summary.intents.length === 0 ? "  intents: none" : "  intents:",
        ...summary.intents.map((i) =>
          `    ${i.name}: ${i.tools.join(", ")} (outside it: ${
            i.onViolation === "block" ? "block" : "step_up, except in block mode, which rejects it"
          })`
        ),
        `  detectors: phi ${summary.detectors.phi}, pii ${summary.detectors.pii}, secrets ${summary.detectors.secrets}`,
        `  progressive: window ${summary.progressive.window}, step-up after ${summary.progressive.stepUpAfter}, block after ${summary.progressive.blockAfter}`,
        "  what each mode does with a violation:",
        ...ENFORCEMENT_MODES.map((m) => `    ${m}: ${summary.modes[m]}`),
      ];
      io.out(lines.join("\n") + "\n");
      for (const note of notes) {
        io.err(`thoth: note: ${note.message}\nthoth: hint: ${note.remedy}\n`);
      }
    });
}
