/**
 * `thoth policy check [FILE]` and `thoth policy explain`: validate and
 * summarize a policy, and show every reason behind the verdict on one call,
 * for the person chasing a false positive. Both speak `--json`. Check notes
 * a rule an earlier default policy wrote that the current one changed
 * (`earlier_default_rules.ts`); `policy default` is `policy_default.ts`.
 *
 * @example
 * ```sh
 * thoth policy check
 * thoth policy explain --server filesystem --tool write_file --args '{"path":"/etc/x"}'
 * ```
 */
import { Command, Option } from "@commander-js/extra-typings";
import { AppError, isAppError } from "../errors.ts";
import {
  type GoverningFile,
  governingFileTrust,
  readTrustedFile,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import { MAX_POLICY_FILE_BYTES } from "../policy/policy_shape.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import { compilePolicy } from "../policy/compile_policy.ts";
import { profileFolders } from "../policy/own_files.ts";
import type { CompiledPolicy } from "../policy/compiled_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../policy/default_policy.ts";
import { summarizePolicy } from "../policy/summarize_policy.ts";
import { earlierDefaultRules } from "../policy/earlier_default_rules.ts";
import { policyDefaultCommand } from "./policy_default.ts";
import {
  CHECK_EXIT_STATUS,
  EXPLAIN_EXIT_STATUS,
  POLICY_EXAMPLES,
  withExamples,
} from "./policy_help.ts";
import { explainCall } from "../policy/explain_call.ts";
import { ENFORCEMENT_MODES, type EnforcementMode } from "../policy/enforcement_mode.ts";
import {
  buildToolCall,
  listedAnnotations,
  readArgumentsText,
} from "../protocol/build_tool_call.ts";
import type { CliIo } from "./cli_io.ts";
import {
  homeFolder,
  mappedIntent,
  realFolder,
  sessionClientConfigs,
  sessionHomeFolder,
  variableFolders,
} from "./prepare_session.ts";
import { isAbsolutePath } from "../config/is_absolute_path.ts";
import { governingFilePaths } from "../config/governing_file_paths.ts";
import { displayText } from "../approval/display_text.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import { showName } from "../identity/shown_env_value.ts";
import { unknownIntent } from "../policy/check_intent.ts";

async function loadPolicy(
  io: CliIo,
  file: string | undefined,
  bases: readonly string[] = [],
): Promise<{ policy: CompiledPolicy; file: string; builtIn: boolean }> {
  if (file === undefined) await requireProfileFolder(io.thothHome, io.env);
  const path = file ?? `${io.thothHome}/policy.jsonc`;
  // Judged as thoth run judges it: a policy another user can change is refused, not explained.
  const governing: GoverningFile = {
    kind: "policy",
    path,
    thothHome: io.thothHome,
    named: file !== undefined,
  };
  const trust = await governingFileTrust(governing);
  const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
  if (refusal !== null) throw refusal;
  let text: string;
  let builtIn = false;
  try {
    // A FIFO or a device would block the read for ever, as thoth run knows; and only up to
    // what a policy can hold, as thoth run reads it.
    text = new TextDecoder().decode(await readTrustedFile(governing, trust, MAX_POLICY_FILE_BYTES));
  } catch (error) {
    if (isAppError(error, "policy.untrusted")) throw error;
    // A link there that leads to no file is a broken policy, which thoth run refuses: never
    // checked or explained as the built-in default.
    const broken = file === undefined && error instanceof Deno.errors.NotFound
      ? missingPolicyProblem(path)
      : null;
    if (broken !== null) throw broken;
    if (file === undefined && error instanceof Deno.errors.NotFound) {
      text = DEFAULT_POLICY_JSONC;
      builtIn = true;
    } else {
      throw new AppError(
        "policy.unreadable",
        `cannot read policy "${path}": ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, hints: ["check the path and its permissions"] },
      );
    }
  }
  const home = await sessionHomeFolder(io.env);
  // thoth's own files are protected as thoth run protects them.
  const real = await realFolder(io.thothHome);
  const read = {
    home,
    os: Deno.build.os,
    bases,
    ownFolders: profileFolders(io.thothHome, real),
    governingFiles: await governingFilePaths({
      thothHome: io.thothHome,
      thothHomeReal: real,
      policyFile: path,
      cwd: io.cwd,
    }),
    clientConfigs: sessionClientConfigs(io.env, home, await realFolder(home)),
    variableFolders: variableFolders(io.env),
  };
  return { policy: compilePolicy(parsePolicy(text, path), read), file: path, builtIn };
}

/**
 * Refuses an intent the policy does not define, as thoth run does, but shows
 * the name by the rule for any value a person gave: a key pasted into
 * `--intent` (or into the intent map) appears by fingerprint only.
 */
function checkExplainedIntent(policy: CompiledPolicy, name: string): void {
  if (policy.intents.has(name)) return;
  throw unknownIntent([...policy.intents.keys()], name, showName(name));
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

/** Builds the `policy` command with `check`, `explain` and `default`. */
export function policyCommand(io: CliIo) {
  const policy = new Command("policy").description(
    "check a policy, explain its verdicts, print the default",
  ).addHelpText("after", withExamples("", POLICY_EXAMPLES));

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
      if (intent !== undefined) checkExplainedIntent(loaded.policy, intent.name);
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
  policy.addCommand(policyDefaultCommand(io));
  return policy;
}
