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
import type { Node } from "jsonc-parser";
import { type AppError, isAppError } from "../errors.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import { requireRunIdentity } from "../identity/require_run_identity.ts";
import { checkIntent } from "../policy/check_intent.ts";
import { hidden, keyAsIdError, looksLikeKey, showName } from "../identity/shown_env_value.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";
import { buildThothEnv, unknownThothVariablesWarning } from "../identity/quick_thoth_env.ts";
import { RUN_NUMERIC_FLAGS } from "./run_flag_numbers.ts";
import { isEnvCredential } from "./env_credentials.ts";
import { type FlagProblem, flagProblemText, type ThothInvocation } from "./thoth_invocation.ts";
import { resolveThothHome } from "../platform/thoth_home.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";
import { agentIdWouldBeKey, deriveAgentId } from "../proxy/derive_agent_id.ts";
import {
  UNREADABLE_WRAP_RECORD_FIX,
  unreadableWrapRecord,
  WRAP_RECORD_KEY,
} from "./wrap_record.ts";

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

/**
 * What `thoth run` takes from the intent map for a server with no
 * `--intent`: nothing (no map, or no entry for it), a session intent (with
 * the key and file it came from), or the error it refuses to start with (a
 * map it cannot read or parse, a key that is a server name and may stand for
 * this server).
 */
export type MappedIntent =
  | { readonly kind: "none" }
  | {
    readonly kind: "mapped";
    readonly intent: string;
    readonly key: string;
    readonly file: string;
  }
  | { readonly kind: "refused"; readonly error: AppError };

/** Where an entry's `thoth run` finds its policy. */
export interface PolicyPlace {
  /** The entry's `--policy` value, if it has one. */
  readonly policy: string | undefined;
  /** The `THOTH_HOME` the entry's `env` sets, if any (else the client's own). */
  readonly thothHome: string | undefined;
}

/**
 * The intents of a policy and how to name it, or why it cannot be read:
 * `refused` when `thoth run` will not start with it (missing, unreadable,
 * invalid), not when only this check cannot tell (a relative `--policy`).
 */
export type PolicyIntents =
  | { readonly read: true; readonly names: readonly string[]; readonly source: string }
  | { readonly read: false; readonly why: string; readonly refused: boolean };

/** What the checks read of one wrapped entry. */
export interface RunEntry {
  /** The value flags before `--`, in order, as `[flag, value]`. */
  readonly flags: readonly (readonly [string, string])[];
  /** The arguments between `run` and `--`, as written. */
  readonly flagArgs: readonly string[];
  /** Flags the config reader does not know (see `readThothInvocation`). */
  readonly unknownFlags: readonly string[];
  /** The entry's `env` block. */
  readonly env: Readonly<Record<string, string>>;
  /** Flags `thoth run` refuses where they stand (see `readThothInvocation`). */
  readonly flagProblems?: readonly FlagProblem[];
  /** Every argument after `run`, the upstream command included, as written. */
  readonly runArgs?: readonly string[];
}

/** One thing `thoth run` would refuse. */
export interface Refusal {
  /** The flag or variable at fault: `--tenant-id`, `THOTH_USER_ID`, `--intent`. */
  readonly subject: string;
  /** What `thoth run` says, naming the value. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
  /**
   * Set when only the client's own environment, which no check can see,
   * could still supply what the entry lacks (a tenant's `THOTH_USER_ID` the
   * entry's `env` does not set): `thoth status` and `thoth doctor` count it
   * as refused, `wrap-config` warns rather than refusing to write.
   */
  readonly clientEnv?: true;
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

/** How status and wrap-config say a refusal. */
export function describeRefusal(refusal: Refusal): string {
  return `thoth run will refuse to start: ${refusal.message}; ${refusal.fix}`;
}

/** The parts of a wrapped entry the checks read: its flags from `found`, its `env` block. */
export function runEntryOf(found: ThothInvocation, args: readonly string[], env?: Node): RunEntry {
  const pairs: [string, string][] = [];
  for (const property of env?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value === "string" && typeof value?.value === "string") {
      pairs.push([key.value, value.value]);
    }
  }
  return {
    flags: found.flags,
    flagArgs: args.slice(found.runIndex + 1, found.dashIndex),
    unknownFlags: found.unknownFlags,
    // Own properties even for a key named "__proto__" (fromEntries defines, never assigns).
    env: Object.fromEntries(pairs),
    flagProblems: found.flagProblems,
    runArgs: args.slice(found.runIndex + 1),
  };
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
  const flagIntent = last(entry.flags, "--intent");
  const home = readers === undefined ? undefined : entryThothHome(entry.env, readers.os ?? "linux");
  const agentId = last(entry.flags, "--agent-id") ?? derivedAgentId(entry.runArgs);
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
    policy: last(entry.flags, "--policy"),
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
  const policyFlag = last(entry.flags, "--policy");
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

/**
 * Why a relative `--policy` cannot be checked: `thoth run` reads it in its
 * working folder, which is the folder the client starts it in.
 */
export function relativePolicyWhy(policy: string): string {
  return `--policy ${showName(policy)} is a relative path: thoth run reads it in the folder ` +
    "the client starts it in, which no check can see (a desktop client's is not your shell's), " +
    "so it may find no policy there, or another one";
}

/**
 * The agent id and tenant id `thoth run` refuses as keys before a session
 * starts (`prepare_session.ts`: thoth's key detectors flag them, see
 * `flaggedAsKey`): an `--agent-id` or `--tenant-id` value, or the agent id
 * derived from the server command when no `--agent-id` is given. Each value
 * is shown by fingerprint only. A flag value already refused (`done`) is
 * not refused twice.
 */
function keyShapedIdRefusals(entry: RunEntry, done: readonly Refusal[]): Refusal[] {
  const refusals: Refusal[] = [];
  const refused = (subject: string) => done.some((refusal) => refusal.subject === subject);
  const agentId = last(entry.flags, "--agent-id");
  if (agentId !== undefined && !refused("--agent-id") && flaggedAsKey(agentId)) {
    const error = keyAsIdError(
      "--agent-id",
      agentId,
      'give --agent-id a plain name for the server, such as "gdrive"',
    );
    refusals.push({ subject: "--agent-id", message: error.message, fix: error.hints[0]! });
  }
  const dashes = entry.runArgs?.indexOf("--") ?? -1;
  const upstream = dashes < 0 ? [] : entry.runArgs!.slice(dashes + 1);
  if (agentId === undefined && upstream[0] !== undefined && upstream[0] !== "") {
    const asGiven = agentIdWouldBeKey(upstream[0], upstream.slice(1));
    const derived = deriveAgentId(upstream[0], upstream.slice(1));
    const key = asGiven ?? (flaggedAsKey(derived) ? derived : undefined);
    if (key !== undefined) {
      refusals.push({
        subject: "--agent-id",
        message: "no agent id is given, and the one thoth would derive from the server " +
          `command, ${hidden(key)}, looks like a key or token: thoth names no server by it`,
        fix:
          'name the server with --agent-id before "--", such as "thoth run --agent-id gdrive -- …" ' +
          "(and if the command holds a key, revoke it: it may have been exposed)",
      });
    }
  }
  const tenant = last(entry.flags, "--tenant-id");
  if (tenant !== undefined && !refused("--tenant-id") && flaggedAsKey(tenant)) {
    const error = keyAsIdError(
      "--tenant-id",
      tenant,
      'wrap again with --tenant-id set to your tenant\'s id, a DNS label such as "your-org"',
    );
    refusals.push({ subject: "--tenant-id", message: error.message, fix: error.hints[0]! });
  }
  return refusals;
}

/** The refusal of a session intent the policy does not define, naming where it came from. */
function intentRefusal(
  policy: { readonly names: readonly string[]; readonly source: string },
  intent: string,
  mapped: MappedIntent | undefined,
): Refusal | undefined {
  try {
    checkIntent(policy.names, intent, showName);
    return undefined;
  } catch (error) {
    if (!isAppError(error)) throw error;
    const defines = policy.names.length > 0
      ? `which defines: ${policy.names.join(", ")}`
      : "which defines none";
    const message = `${error.message} (${policy.source}, ${defines})`;
    if (mapped?.kind === "mapped") {
      return {
        subject: "intent_map.json",
        message: `${message}; the intent map "${mapped.file}" maps "${mapped.key}" to it`,
        fix: `map "${mapped.key}" to an intent the policy defines in "${mapped.file}", or add ` +
          `${addIntent(intent)} under "intents" in the policy`,
      };
    }
    return {
      subject: "--intent",
      message,
      fix: "map the server to a defined intent (wrap again with --intent-map), " +
        `or add ${addIntent(intent)} under "intents" in the policy`,
    };
  }
}

/** The intent to add, named unless it looks like a key (a key is no intent name to add). */
function addIntent(intent: string): string {
  return looksLikeKey(intent) ? "that intent" : `"${intent}"`;
}

/**
 * The refusal of a `THOTH_WRAP` record in the entry's `env` that `thoth run`
 * cannot read (see `upstreamEnvChanges`), in its words; undefined when there
 * is none or it can be read.
 */
function wrapRecordRefusal(env: Readonly<Record<string, string>>): Refusal | undefined {
  if (!Object.hasOwn(env, WRAP_RECORD_KEY)) return undefined;
  const error = unreadableWrapRecord(env[WRAP_RECORD_KEY]!);
  if (error === undefined) return undefined;
  return { subject: WRAP_RECORD_KEY, message: error.message, fix: UNREADABLE_WRAP_RECORD_FIX };
}

/** What the `env` block's THOTH_* values and the identity they make up would make thoth run refuse. */
function envRefusals(entry: RunEntry): Refusal[] {
  const refusals: Refusal[] = [];
  const checked = validateThothEnv(entry.env);
  if (!checked.ok) {
    for (const problem of checked.problems) {
      refusals.push({
        subject: problem.variable,
        message: problem.message,
        fix: isEnvCredential(problem.variable)
          ? credentialFix(problem.variable)
          : `set a valid value with "thoth wrap-config --env ${problem.variable}=<value>", ` +
            `or remove it from the server's "env"`,
      });
    }
  }
  const fromEnv = entry.env["THOTH_TENANT_ID"];
  const tenant = last(entry.flags, "--tenant-id") ?? (fromEnv === "" ? undefined : fromEnv);
  const user = entry.env["THOTH_USER_ID"];
  // A --tenant-id "" is refused as a flag value already; there is no tenant to need a user.
  if (tenant !== undefined && tenant !== "" && (user === undefined || user === "")) {
    try {
      requireRunIdentity(buildThothEnv({ THOTH_TENANT_ID: tenant }));
    } catch (error) {
      if (!isAppError(error)) throw error;
      const fix = 'set it with "thoth wrap-config --env THOTH_USER_ID=you@company.com"';
      refusals.push(
        user === ""
          ? {
            subject: "THOTH_USER_ID",
            message: `${error.message} (its "env" sets THOTH_USER_ID to "", which counts as unset)`,
            fix,
          }
          : {
            subject: "THOTH_USER_ID",
            message: `${error.message} (its "env" does not set THOTH_USER_ID, so only the ` +
              "client's own environment could, and a GUI client does not get your shell's)",
            fix: `${fix}, which writes it into the server's "env"`,
            clientEnv: true,
          },
      );
    }
  }
  return refusals;
}

/**
 * The fix for a bad credential in an entry's `env`: `wrap-config` writes no
 * credential into a config, so it must not be told to.
 */
function credentialFix(variable: string): string {
  return `remove ${variable} from the server's "env" (a config is no place for a credential, ` +
    "and wrap-config will not write one); save a key with " +
    '"thoth set-api-key --api-key -", or write the token to a file only you may read ' +
    "(chmod 600) and set THOTH_AUTH_TOKEN_FILE to its path";
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

function last(flags: readonly (readonly [string, string])[], name: string): string | undefined {
  let value: string | undefined;
  for (const [flag, v] of flags) if (flag === name) value = v;
  return value;
}

/**
 * The profile an entry's `thoth run` uses when its `env` says where (as
 * `resolveThothHome` reads it: `THOTH_HOME`, else `.thoth` in `HOME`, or on
 * Windows in `USERPROFILE` first); undefined when the env names none of them
 * (the client's own environment then decides).
 */
export function entryThothHome(
  env: Readonly<Record<string, string>>,
  os: string,
): string | undefined {
  const named = ["THOTH_HOME", "HOME", ...(os === "windows" ? ["USERPROFILE"] : [])];
  if (!named.some((key) => env[key] !== undefined && env[key] !== "")) return undefined;
  try {
    return resolveThothHome(env, os);
  } catch {
    return undefined;
  }
}

/** The agent id `thoth run` derives from the server command after `--`, when no flag names one. */
function derivedAgentId(runArgs: readonly string[] | undefined): string | undefined {
  const dashes = runArgs?.indexOf("--") ?? -1;
  const upstream = dashes < 0 ? [] : runArgs!.slice(dashes + 1);
  return upstream[0] === undefined ? undefined : deriveAgentId(upstream[0], upstream.slice(1));
}
