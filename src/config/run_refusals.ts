/**
 * What `thoth run` would refuse in a wrapped config entry, so that `thoth
 * status`, `thoth doctor` and `wrap-config` call an entry broken exactly when
 * `thoth run` would not start it. Pure: `thoth run`'s own flag readers come in
 * as {@linkcode RunReaders} (they live with its command line in `src/cli/`),
 * and so does reading the policy (I/O); the environment rules are identity's
 * (`validateThothEnv`, `requireRunIdentity`), the intent rule the policy's.
 *
 * Checked, the way `thoth run` checks it:
 * - each flag value, with `thoth run`'s reader for that flag (without
 *   readers, only the numeric flags, whose readers live in `config/`);
 * - a flag given twice, and a flag `thoth run` does not take at all;
 * - a value flag given no value (followed by `--`), and `-h`/`--help`;
 * - when the readers bring `thoth run`'s whole reading of its command line
 *   (`readArgs`), anything else it refuses that the checks above missed;
 * - the `THOTH_WRAP` record in the entry's `env`: one `thoth run` cannot
 *   read (a hand edit) makes it refuse to start the server;
 * - each THOTH_* variable the entry's `env` sets; an empty value counts as
 *   unset, as it does for `thoth run`; a THOTH_* name thoth does not read
 *   (`THOTH_INTENT`, a misspelling) is a warning, as `thoth run` gives it;
 * - an agent id (`--agent-id`, or the one derived from the server command)
 *   or a `--tenant-id` that thoth's key detectors flag as a key or token:
 *   `thoth run` refuses it before the session starts (shown by fingerprint);
 * - the identity rule: with a tenant (from `--tenant-id` or `env`), the
 *   entry's `env` must set `THOTH_USER_ID`, or `thoth run` refuses. Only the
 *   entry's `env` is judged: the environment a check runs in (an admin's
 *   shell, an MDM script run as root) is not the client's, and a GUI client
 *   does not get a shell's variables. An `env` that sets it to "" leaves the
 *   user unset for certain; one that does not name it leaves it to the
 *   client's own environment, which no check can see, so it is refused too,
 *   marked {@linkcode Refusal.clientEnv} (`wrap-config` warns about it
 *   rather than refusing to write);
 * - the intent map (`intent_map.json` in the entry's profile) for a server
 *   with no `--intent`, read as `thoth run` reads it: a map it cannot read or
 *   parse, or an entry that is a server name which may stand for this
 *   server, is refused; a mapped intent becomes the server's session intent;
 *   a key that differs from its agent id only by case is a warning, as
 *   `thoth run` gives it (it starts without a session intent);
 * - the session intent (`--intent`, else the mapped one), against the
 *   intents of the policy that entry's `thoth run` reads (`--policy`, else
 *   `policy.jsonc` in the `THOTH_HOME` its `env` sets, else in the profile
 *   the reader assumes). When that policy cannot be read, the intent is
 *   listed as unchecked, with the reason, rather than guessed;
 * - a relative `--policy` (with the policy reader): `thoth run` reads it in
 *   its working folder, the one the client starts it in, which no check can
 *   see: listed as unchecked, and refused, marked
 *   {@linkcode Refusal.clientEnv} (only the client's own setting could make
 *   it start, and under which policy nobody can say).
 *
 * @example
 * ```ts
 * const check = runRefusals({
 *   flags: [["--tenant-id", "acme"]],
 *   flagArgs: ["--tenant-id", "acme"],
 *   unknownFlags: [],
 *   env: { THOTH_USER_ID: "", THOTH_APEX_DOMAIN: "<apex-domain>" },
 * });
 * check.refusals.map((r) => r.subject); // ["THOTH_APEX_DOMAIN", "THOTH_USER_ID"]
 * describeRefusal(check.refusals[0]!);
 * // 'thoth run will refuse to start: THOTH_APEX_DOMAIN "<apex-domain>" is not valid: …; set a valid value with …'
 * ```
 */
import { type AppError, isAppError } from "../errors.ts";
import { looksLikeKey, showName } from "../identity/shown_env_value.ts";
import { unknownThothVariablesWarning } from "../identity/quick_thoth_env.ts";
import { RUN_NUMERIC_FLAGS } from "./run_flag_numbers.ts";
import { flagProblemText } from "./thoth_invocation.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";
import type { Refusal } from "./run_refusal.ts";
import { derivedAgentId, entryThothHome, lastFlagValue, type RunEntry } from "./run_entry.ts";
import {
  intentRefusal,
  type MappedIntent,
  type PolicyIntents,
  type PolicyPlace,
  relativePolicyWhy,
} from "./run_policy_refusals.ts";
import { envRefusals, keyShapedIdRefusals, wrapRecordRefusal } from "./run_identity_refusals.ts";

/** `thoth run`'s own readers, passed in by the shell. */
export interface RunReaders {
  /** Every flag `thoth run` takes a value for. */
  readonly flagNames: readonly string[];
  /** Reads `value` for `flag` as `thoth run` does; throws an `AppError` naming the value when it refuses it. */
  readonly readFlag: (flag: string, value: string) => unknown;
  /** `thoth run`'s check for a flag given twice among the arguments before `--`: its name, or undefined. */
  readonly repeatedFlag: (args: readonly string[]) => string | undefined;
  /** The intents of the policy `thoth run` would read for an entry; without it intents are not checked. */
  readonly policyIntents?: (place: PolicyPlace) => PolicyIntents;
  /** The OS `thoth run` runs on (`Deno.build.os`): where its profile is (`USERPROFILE` on Windows). */
  readonly os?: string;
  /**
   * `thoth run`'s own reading of everything after `run` (its `parseRunArgs`):
   * the error it refuses the command line with, or undefined when it starts
   * the server. The last word: a refusal it finds that no other check named
   * is reported as it words it.
   */
  readonly readArgs?: (args: readonly string[]) => AppError | undefined;
  /**
   * `thoth run`'s reading of the intent map for a server with no `--intent`
   * (see {@linkcode MappedIntent}). `thothHome` is the entry's, or undefined
   * for the client's own profile.
   */
  readonly mappedIntent?: (thothHome: string | undefined, agentId: string) => MappedIntent;
}

/** The outcome of {@linkcode runRefusals}. */
export interface RunCheck {
  /** What `thoth run` would refuse, in the order it reads them: it starts no server while any is left. */
  readonly refusals: readonly Refusal[];
  /** What could not be checked, and why. */
  readonly unchecked: readonly string[];
  /**
   * The session intent `thoth run` would govern with, and where it comes
   * from: `--intent`, else the intent map (only with readers that read it);
   * null when none.
   */
  readonly intent: { readonly name: string; readonly from: "--intent" | "intent_map" } | null;
  /**
   * What `thoth run` warns about as it starts the server (it still starts):
   * THOTH_* variables in the entry's `env` that thoth does not read, by name.
   */
  readonly warnings: readonly string[];
}

const NUMBERS_ONLY: RunReaders = {
  flagNames: [],
  readFlag: (flag, value) =>
    Object.hasOwn(RUN_NUMERIC_FLAGS, flag) ? RUN_NUMERIC_FLAGS[flag]!(value) : undefined,
  repeatedFlag: () => undefined,
};

/** Everything `thoth run` would refuse in `entry`; see the module doc for what is checked. */
export function runRefusals(entry: RunEntry, readers?: RunReaders): RunCheck {
  const read = readers ?? NUMBERS_ONLY;
  const refusals: Refusal[] = [];
  const unchecked: string[] = [];
  const repeated = read.repeatedFlag(entry.flagArgs);
  if (repeated !== undefined) {
    refusals.push({
      subject: repeated,
      message: `${repeated} is given more than once`,
      fix: 'run "thoth wrap-config" to write it once (the last value is kept), or fix it by hand',
    });
  }
  for (const problem of entry.flagProblems ?? []) {
    refusals.push({ subject: problem.flag, ...flagProblemText(problem) });
  }
  for (const [flag, value] of entry.flags) {
    try {
      read.readFlag(flag, value);
    } catch (error) {
      if (!isAppError(error)) throw error;
      refusals.push({ subject: flag, message: error.message, fix: flagFix(flag, error.hints[0]) });
    }
  }
  if (readers !== undefined) {
    for (const flag of entry.unknownFlags) {
      if (readers.flagNames.includes(flag)) continue;
      refusals.push({
        subject: flag,
        // A key pasted as a flag name is shown by fingerprint only.
        message: `unknown option ${shownFlag(flag)} (an older flag set)`,
        fix: 'run "thoth wrap-config" to write the current flag set',
      });
    }
  }
  refusals.push(...keyShapedIdRefusals(entry, refusals));
  const record = wrapRecordRefusal(entry.env);
  if (record !== undefined) refusals.push(record);
  refusals.push(...envRefusals(entry));
  const flagIntent = lastFlagValue(entry.flags, "--intent");
  const home = readers === undefined ? undefined : entryThothHome(entry.env, readers.os ?? "linux");
  const agentId = lastFlagValue(entry.flags, "--agent-id") ?? derivedAgentId(entry.runArgs);
  // thoth run reads the map only for a server with no --intent.
  const mapped = flagIntent === undefined && agentId !== undefined
    ? readers?.mappedIntent?.(home, agentId)
    : undefined;
  const intent = flagIntent !== undefined
    ? { name: flagIntent, from: "--intent" as const }
    : mapped?.kind === "mapped"
    ? { name: mapped.intent, from: "intent_map" as const }
    : null;
  // In thoth run's order: the policy, then the intent map, then the intent against the policy.
  const policy = readers?.policyIntents?.({
    policy: lastFlagValue(entry.flags, "--policy"),
    thothHome: home,
  });
  if (policy !== undefined && !policy.read && policy.refused) {
    // thoth run refuses to govern with a policy it cannot use, intent or not.
    refusals.push({
      subject: "--policy",
      message: policy.why,
      fix: 'fix the policy file ("thoth policy check FILE" shows what is wrong), or point ' +
        "--policy at one that works",
    });
  }
  if (mapped?.kind === "refused") {
    refusals.push({
      subject: "intent_map.json",
      message: mapped.error.message,
      fix: mapped.error.hints[0] ?? "fix the intent map",
    });
  }
  const policyFlag = lastFlagValue(entry.flags, "--policy");
  const relative = policyFlag !== undefined && !isAbsolutePath(policyFlag);
  if (policy !== undefined && relative) {
    // thoth run reads a relative --policy in its working folder, the one the client starts it
    // in: no check sees that folder, so none can say the server starts, nor under which policy.
    unchecked.push(
      `policy not checked: --policy ${showName(policyFlag)} is relative to the folder the ` +
        "client starts thoth in",
    );
    refusals.push({
      subject: "--policy",
      message: relativePolicyWhy(policyFlag),
      fix: "give --policy an absolute path",
      clientEnv: true,
    });
  }
  if (policy !== undefined && intent !== null) {
    const what = intent.from === "--intent"
      ? `intent ${showName(intent.name)}`
      : `intent ${showName(intent.name)} (from the intent map)`;
    if (relative) {
      unchecked.push(`${what} not checked: the policy is not known (a relative --policy)`);
    } else if (!policy.read && !policy.refused) {
      unchecked.push(`${what} not checked: ${policy.why}`);
    } else if (policy.read) {
      const refusal = intentRefusal(policy, intent.name, mapped);
      if (refusal !== undefined) refusals.push(refusal);
    }
  }
  const whole = entry.runArgs === undefined ? undefined : readers?.readArgs?.(entry.runArgs);
  if (whole !== undefined && refusals.length === 0) {
    refusals.push({
      subject: "thoth run",
      message: whole.message,
      fix: whole.hints[0] ?? 'fix the "thoth run" flags before "--" by hand',
    });
  }
  const unknown = unknownThothVariablesWarning(entry.env);
  return { refusals, unchecked, intent, warnings: unknown === undefined ? [] : [unknown] };
}

/** A flag name as a message shows it: `'--name'`, or by fingerprint when it looks like a key. */
export function shownFlag(flag: string): string {
  return looksLikeKey(flag) ? showName(flag) : `'${flag}'`;
}

function flagFix(flag: string, hint: string | undefined): string {
  const how = hint === undefined ? "" : ` (${hint})`;
  if (flag === "--tenant-id" || flag === "--enforcement-mode") {
    return `wrap again with a valid ${flag}${how}`;
  }
  return `fix it by hand${how}`;
}
