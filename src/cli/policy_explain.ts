/**
 * `thoth policy explain`: the verdict on one call (`--server`, `--tool`,
 * `--args`, the tool's `--annotations` or `--unlisted`) under a policy, with
 * every reason behind it (each rule, detector, the intent and the mode, and
 * the disabled rules that would have matched), in a mode and for an intent
 * (the server's intent map entry by default, as thoth run reads it), or as
 * JSON with `--json`.
 * Relative paths resolve in the `--base` folders.
 *
 * @example
 * ```ts
 * const policy = new Command("policy");
 * addPolicyExplainCommand(policy, io); // thoth policy explain --server fs --tool read_file
 * ```
 */
import { type Command, Option } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import type { CompiledPolicy } from "../policy/compiled_policy.ts";
import { EXPLAIN_EXIT_STATUS, withExamples } from "./policy_help.ts";
import { explainCall } from "../policy/explain_call.ts";
import { ENFORCEMENT_MODES, type EnforcementMode } from "../policy/enforcement_mode.ts";
import {
  buildToolCall,
  listedAnnotations,
  readArgumentsText,
} from "../protocol/build_tool_call.ts";
import type { CliIo } from "./cli_io.ts";
import { mappedIntent } from "./mapped_intent.ts";
import { homeFolder } from "./prepare_session.ts";
import { isAbsolutePath } from "../config/is_absolute_path.ts";
import { displayText } from "../approval/display_text.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { showName } from "../identity/shown_env_value.ts";
import { unknownIntent } from "../policy/check_intent.ts";
import { loadPolicy } from "./load_policy.ts";

/**
 * Refuses an intent the policy does not define, as thoth run does, but shows
 * the name by the rule for any value a person gave: a key pasted into
 * `--intent` (or into the intent map) appears by fingerprint only.
 */
function checkExplainedIntent(policy: CompiledPolicy, name: string, source: string): void {
  if (policy.intents.has(name)) return;
  const from = source.startsWith("--") ? source : `the ${source}`;
  throw unknownIntent([...policy.intents.keys()], name, showName(name), from);
}

/** An intent map key as written, quoted, with what a terminal would not show replaced. */
function displayKey(key: string): string {
  return `"${displayText(key)}"`;
}

/** The JSON-object flags of `policy explain`, each with an example to paste. */
const OBJECT_FLAG_EXAMPLES = {
  "--args": `'{"path":"/data/x"}'`,
  "--annotations": `'{"readOnlyHint":true}'`,
} as const;

/**
 * The JSON object a flag gives; a usage error, with an example for that
 * flag, when the text is not JSON or not an object.
 *
 * @example
 * ```ts
 * parseObjectFlag("--annotations", '{"readOnlyHint":true}'); // { readOnlyHint: true }
 * parseObjectFlag("--annotations", "[]"); // throws: --annotations: must be a JSON object, not an array
 * ```
 */
function parseObjectFlag(
  flag: keyof typeof OBJECT_FLAG_EXAMPLES,
  text: string,
): Record<string, unknown> {
  const hint = `for example ${flag} ${OBJECT_FLAG_EXAMPLES[flag]}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      "usage.bad_flag",
      `${flag}: not JSON: ${error instanceof Error ? error.message : String(error)}`,
      { hints: [`quote it for the shell, ${hint}`] },
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new AppError("usage.bad_flag", `${flag}: must be a JSON object, not ${kind}`, {
      hints: [hint],
    });
  }
  return value as Record<string, unknown>;
}

/**
 * A `--base` folder as an absolute path: a leading `~` is the home folder (a
 * shell leaves `--base=~/x` as typed), and a relative folder is in `cwd`.
 * `~name` (another user's home) is refused: thoth cannot look it up.
 *
 * @example
 * ```ts
 * baseFolder("~/src", "/srv", "/home/ana"); // "/home/ana/src"
 * baseFolder("work", "/srv", "/home/ana"); // "/srv/work"
 * ```
 */
function baseFolder(folder: string, cwd: string, home: string | undefined): string {
  if (folder.startsWith("~")) {
    if (folder !== "~" && !/^~[/\\]/.test(folder)) {
      throw new AppError(
        "usage.bad_flag",
        `--base "${folder}": thoth expands "~" and "~/…" to your home folder, not another user's`,
        {
          hints: [
            "give the folder as an absolute path",
            `write "./${folder}" for a folder of that name in the current folder`,
          ],
        },
      );
    }
    if (home === undefined) {
      throw new AppError(
        "usage.bad_flag",
        `--base "${folder}": no home folder to expand "~" to (HOME and USERPROFILE are not set)`,
        {
          hints: ["give the folder as an absolute path"],
        },
      );
    }
    return home + folder.slice(1);
  }
  return isAbsolutePath(folder) ? folder : `${cwd}/${folder}`;
}

/** Adds the `explain` subcommand to the `policy` command. */
export function addPolicyExplainCommand(policy: Command, io: CliIo): void {
  policy.command("explain")
    .description("show the verdict on one call with every reason behind it")
    .requiredOption("--server <agent-id>", "the governed server's agent id")
    .requiredOption("--tool <name>", "the tool name")
    .option("--args <json>", "the call's arguments as a JSON object", "{}")
    .option("--annotations <json>", "the tool's annotations as tools/list gives them")
    .option(
      "--unlisted",
      "the server never announced the tool in tools/list (no annotations, so not with --annotations; extra risk)",
    )
    .option(
      "--intent <name>",
      "the session intent (default: the server's entry in $THOTH_HOME/intent_map.json, as thoth run reads it)",
    )
    .addOption(
      new Option("--mode <mode>", "enforcement mode").choices(ENFORCEMENT_MODES).default(
        "block" as EnforcementMode,
      ),
    )
    .option(
      "--base <folder...>",
      'where the server resolves a relative path; "~" is your home folder (default: the current folder; thoth run ' +
        "also uses the folders on the server's command line and the client's roots)",
    )
    .option("--policy <file>", "policy file (default: $THOTH_HOME/policy.jsonc)")
    .option("--json", "print the explanation as JSON")
    .addHelpText(
      "after",
      withExamples(
        EXPLAIN_EXIT_STATUS,
        `  # would this call pass, and why?
  {program} policy explain --server fs --tool read_file --args '{"path":".env"}'

  # the same in observe mode, with a policy file you are editing
  {program} policy explain --server fs --tool read_file --args '{"path":".env"}' \\
    --mode observe --policy ./policy.jsonc`,
      ),
    )
    .action(async (flags) => {
      if (flags.unlisted === true && flags.annotations !== undefined) {
        throw new AppError(
          "usage.bad_flag",
          "--annotations and --unlisted together: thoth run never applies annotations to a tool " +
            "the server did not list in tools/list",
          {
            hints: [
              "drop --annotations to explain a call to an unlisted tool",
              "drop --unlisted to explain a listed tool with these annotations",
            ],
          },
        );
      }
      // Read as thoth run reads a client's line: long integers keep their digits, and
      // what the relay refuses to forward is refused here too.
      const args = readArgumentsText(flags.args);
      if (!args.ok) {
        throw new AppError("usage.bad_flag", `--args: ${args.problem}`, {
          hints: [`quote it for the shell, for example --args ${OBJECT_FLAG_EXAMPLES["--args"]}`],
        });
      }
      const listed = flags.unlisted !== true;
      // A listed tool's annotations as the relay keeps them from tools/list; none when unlisted.
      const annotations = listed
        ? listedAnnotations(
          flags.annotations === undefined
            ? undefined
            : parseObjectFlag("--annotations", flags.annotations),
        )
        : undefined;
      // A `--base ~/…` a person typed: their HOME, as their shell would read it.
      const home = homeFolder(io.env);
      const bases = (flags.base ?? [io.cwd]).map((folder) => baseFolder(folder, io.cwd, home));
      const loaded = await loadPolicy(io, flags.policy, bases);
      if (flags.intent === undefined) await requireProfileFolder(io.thothHome, io.env);
      const intent = flags.intent !== undefined
        ? { name: flags.intent, source: "--intent" }
        : await mappedIntent(
          io.thothHome,
          flags.server,
          (line) => io.err(`thoth: warning: ${line}\n`),
        ).then((entry) =>
          entry === undefined
            ? undefined
            : { name: entry.intent, source: `intent map entry for ${displayKey(entry.key)}` }
        );
      if (intent !== undefined) checkExplainedIntent(loaded.policy, intent.name, intent.source);
      const call = buildToolCall({
        server: flags.server,
        tool: flags.tool,
        arguments: args.arguments,
        exactArguments: args.exactArguments,
        annotations,
        listed,
        era: "initialize",
        protocolVersion: undefined,
      });
      const explanation = explainCall(loaded.policy, call, {
        intent: intent?.name,
        mode: flags.mode,
        compileOptions: loaded.compileOptions,
      });
      if (flags.json) {
        io.out(
          JSON.stringify(
            {
              policy: loaded.file,
              intent: intent?.name ?? null,
              intentSource: intent?.source ?? null,
              bases,
              verdict: explanation.evaluation.decision,
              action: explanation.action.action,
              ruleIds: explanation.evaluation.ruleIds,
              reasons: explanation.evaluation.reasons,
              riskScore: explanation.evaluation.riskScore,
              findings: explanation.evaluation.findings,
              contributions: explanation.contributions,
              disabledMatches: explanation.disabledMatches,
              lines: explanation.lines,
            },
            null,
            2,
          ) + "\n",
        );
        return;
      }
      const lines = intent === undefined
        ? [
          ...explanation.lines,
          `intent: none (no --intent, no intent map entry for ${showName(flags.server)})`,
        ]
        : [...explanation.lines, `intent: ${intent.name} (${intent.source})`];
      lines.push(
        `relative paths: as written, and in rules that block as resolved in ${
          bases.map((base) => displayText(base)).join(", ")
        }`,
      );
      io.out(lines.join("\n") + "\n");
    });
}
