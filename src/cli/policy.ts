/**
 * `thoth policy check [FILE]` and `thoth policy explain`: validate and
 * summarize a policy, and show every reason behind the verdict on one call,
 * for the person chasing a false positive. Both speak `--json`. Check notes
 * a rule an earlier default policy wrote that the current one changed
 * (`earlier_default_rules.ts`). Each subcommand has its file:
 * `policy_check.ts`, `policy_explain.ts` and `policy_default.ts`; both of
 * the first read the policy as thoth run does (`load_policy.ts`).
 *
 * @example
 * ```sh
 * thoth policy check
 * thoth policy explain --server filesystem --tool write_file --args '{"path":"/etc/x"}'
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { policyDefaultCommand } from "./policy_default.ts";
import { POLICY_EXAMPLES, withExamples } from "./policy_help.ts";
import type { CliIo } from "./cli_io.ts";
import { addPolicyCheckCommand } from "./policy_check.ts";
import { addPolicyExplainCommand } from "./policy_explain.ts";

/** Builds the `policy` command with `check`, `explain` and `default`. */
export function policyCommand(io: CliIo) {
  const policy = new Command("policy").description(
    "check a policy, explain its verdicts, print the default",
  ).addHelpText("after", withExamples("", POLICY_EXAMPLES));

  addPolicyCheckCommand(policy, io);
  addPolicyExplainCommand(policy, io);
  policy.addCommand(policyDefaultCommand(io));
  return policy;
}
