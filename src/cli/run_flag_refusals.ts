/**
 * The refusals of a `thoth run` command line whose flags are wrong while a
 * server command follows `--` ({@linkcode refusedRunArgs}), and of one whose
 * server command would name the server by a key or token
 * ({@linkcode derivedKeyRefusal}): each a usage error for stderr, which may
 * quote the value, and the words the MCP client is told, which never do. Pure.
 *
 * @example
 * ```ts
 * refusedRunArgs(["--polcy", "p.jsonc", "--", "node"], { kind: "unknown", flag: "--polcy", at: 0 })
 *   ?.options.refusal?.wire;
 * // 'thoth refused to start this MCP server: "--polcy" is not a flag of thoth run (did you mean --policy?). …'
 * ```
 */
import { AppError } from "../errors.ts";
import { ENFORCEMENT_MODES } from "../policy/enforcement_mode.ts";
import { hidden, looksLikeKey } from "../identity/shown_env_value.ts";
import { closestRunFlag, repeatedRunFlag } from "./run_flag_table.ts";
import { HELP_HINT, isHelp, quotedArgument } from "./_run_flag_words.ts";
import { AUDIT_SYNC_CHOICES, RUN_DEFAULTS, type RunArgs, type RunRefusal } from "./run_options.ts";

/**
 * What a good value of each checked flag looks like, for the client: the
 * wire names the flag and this, never the value that was given.
 */
const GOOD_VALUES: Readonly<Record<string, string>> = {
  "--agent-id": "letters, digits, dot, dash or underscore, starting with a letter or digit",
  "--tenant-id": "a DNS label: lowercase letters, digits and dashes",
  "--enforcement-mode": `one of ${ENFORCEMENT_MODES.join(", ")}`,
  "--max-line-bytes": "a size from 1KiB to 2GiB, such as 64MiB",
  "--shutdown-grace-ms": "whole milliseconds from 0 to 600000",
  "--audit-sync": `one of ${AUDIT_SYNC_CHOICES.join(", ")}`,
  "--approval-timeout": "whole seconds from 1 to 3600",
};

/** An unknown flag's name reaches the client only if it looks like one, not like a key. */
const FLAG_NAME = /^--?[A-Za-z][A-Za-z0-9-]{0,39}$/;

/** Why the flags before `--` are refused. */
export type Problem =
  | { kind: "unknown"; flag: string; at: number }
  | { kind: "repeated"; flag: string }
  | { kind: "missing"; flag: string }
  | { kind: "bad"; flag: string; error: AppError };

/**
 * The refusal of a command line whose flags have `problem`, when a server
 * command follows the first `--`; otherwise undefined, for the full parser.
 */
export function refusedRunArgs(args: readonly string[], problem: Problem): RunArgs | undefined {
  const end = args.indexOf("--");
  const command = end === -1 ? [] : args.slice(end + 1);
  if (command.length === 0 || command[0] === "") return undefined;
  // After an unknown flag the full parser cannot tell flags from values, and shows help if
  // it is asked for anywhere; so does this reader.
  if (problem.kind === "unknown" && args.slice(problem.at + 1, end).some(isHelp)) return undefined;
  // A flag given twice is named first, whatever else is wrong, as thoth always did.
  const repeated = repeatedRunFlag(args.slice(0, end));
  const refusal = refusalFor(
    repeated === undefined ? problem : { kind: "repeated", flag: repeated },
  );
  return { command, options: { ...RUN_DEFAULTS, refusal } };
}

/** The refusal of flags that have `problem`: the usage error, and the client's words. */
function refusalFor(problem: Problem): RunRefusal {
  switch (problem.kind) {
    case "unknown": {
      const near = closestRunFlag(problem.flag);
      const suggestion = near === undefined ? "" : ` (did you mean ${near}?)`;
      return {
        error: new AppError(
          "usage.unknown_flag",
          `unknown option ${quotedArgument(problem.flag)}`,
          {
            hints: near === undefined ? [HELP_HINT] : [`did you mean ${near}?`, HELP_HINT],
          },
        ),
        wire: refusalWire(
          (FLAG_NAME.test(problem.flag) && !looksLikeKey(problem.flag)
            ? `"${problem.flag}" is not a flag of thoth run`
            : 'an argument before "--" is not a flag of thoth run') + suggestion,
        ),
      };
    }
    case "repeated":
      return {
        error: new AppError(
          "usage.repeated_flag",
          `${problem.flag} is given more than once; give it once`,
          { hints: ['run "thoth run --help"'] },
        ),
        wire: refusalWire(`${problem.flag} is given more than once`),
      };
    case "missing":
      return {
        error: new AppError("usage.missing_value", `${problem.flag} is given no value`, {
          hints: [`give it as "${problem.flag} VALUE" or "${problem.flag}=VALUE", before "--"`],
        }),
        wire: refusalWire(`${problem.flag} is given no value`),
      };
    case "bad": {
      const good = Object.hasOwn(GOOD_VALUES, problem.flag) ? GOOD_VALUES[problem.flag] : undefined;
      return {
        error: problem.error,
        wire: refusalWire(
          problem.error.code === "usage.key_as_id"
            ? `${problem.flag} is given what looks like a key or token, not an id`
            : good === undefined
            ? `the value of ${problem.flag} is not valid`
            : `${problem.flag} must be ${good}`,
        ),
      };
    }
  }
}

/**
 * The refusal of a command line without `--agent-id` whose server command
 * would name the server by a key or token (`npx -y ghp_…`): no session runs
 * under a key's name, nor under a stand-in name the policy and intent map
 * do not know; the person names the server. `name` is shown by fingerprint.
 */
export function derivedKeyRefusal(name: string): RunRefusal {
  return {
    error: new AppError(
      "usage.key_as_id",
      "no agent id is given, and the one thoth would derive from the server command, " +
        `${hidden(name)}, looks like a key or token: thoth names no server by it`,
      {
        hints: [
          'name the server with --agent-id before "--", such as "thoth run --agent-id gdrive -- …" ' +
          "(and if the command holds a key, revoke it: it may have been exposed)",
        ],
      },
    ),
    wire: refusalWire(
      "the server command names its server with what looks like a key or token, so thoth " +
        "derives no agent id from it; name the server with --agent-id",
    ),
  };
}

/** What the client is told: the cause, and where to fix it. */
function refusalWire(cause: string): string {
  return `thoth refused to start this MCP server: ${cause}. Fix the "thoth run" flags ` +
    "(before \"--\") in this server's entry in the MCP client's config and restart it; " +
    "thoth's stderr in the client's MCP log has the details";
}
