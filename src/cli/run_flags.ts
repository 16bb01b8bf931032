/**
 * The flags of `thoth run`: their checks, their defaults, and a plain reader
 * for the common case. `thoth run` starts with every MCP client and lives as
 * long as its server, so a well-formed command line is read here without
 * loading the command-line library. Help, and a usage error where no server
 * command follows `--`, are declined: the full parser in `run.ts` handles
 * them, with its help and its errors. Both read the numeric flags with the same
 * functions (`config/run_flag_numbers.ts`: plain decimal digits within the
 * flag's range), so a value one path refuses the other refuses with the same
 * words.
 *
 * A refusal quotes the value it refused on stderr, unless the value looks
 * like a key or token: then it shows its fingerprint only, by the rule every
 * THOTH_* variable's value is shown by (`identity/shown_env_value.ts`).
 *
 * A command line with a server command after `--` is how an MCP client
 * starts thoth, and a usage error there must not leave the client with a dead
 * pipe: the reader returns it as a {@linkcode RunRefusal} in the options, and
 * the session (`run_session.ts`) answers the client's first request with it
 * and starts no server.
 *
 * @example
 * ```ts
 * parseRunArgs(["--agent-id", "fs", "--", "node", "server.js"]);
 * // { command: ["node", "server.js"], options: { agentId: "fs", enforcementMode: "block", … } }
 * parseRunArgs(["--help"]); // undefined: the full parser prints the help
 * parseRunArgs(["--tenant-id", "Acme", "--", "node"])?.options.refusal?.wire;
 * // 'thoth refused to start this MCP server: --tenant-id must be a DNS label: …'
 * ```
 */
import { editDistance } from "../edit_distance.ts";
import { AppError } from "../errors.ts";
import { ENFORCEMENT_MODES, type EnforcementMode } from "../policy/enforcement_mode.ts";
import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES } from "../proxy/proxy_defaults.ts";
import {
  checkApprovalTimeout,
  checkGraceMs,
  formatByteSize,
  parseByteSize,
} from "../config/run_flag_numbers.ts";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../approval/approval_timeout.ts";
import {
  hidden,
  keyAsIdError,
  looksLikeKey,
  prefixedRandomKey,
  showName,
} from "../identity/shown_env_value.ts";
import { agentIdWouldBeKey } from "../proxy/derive_agent_id.ts";

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The values of `--audit-sync`. */
export const AUDIT_SYNC_CHOICES = ["default", "always"] as const;

/** The options of `thoth run`, after defaults. */
export interface RunOptions {
  agentId?: string | undefined;
  tenantId?: string | undefined;
  enforcementMode: EnforcementMode;
  intent?: string | undefined;
  policy?: string | undefined;
  apiKey?: string | undefined;
  maxLineBytes: number;
  shutdownGraceMs: number;
  auditSync: (typeof AUDIT_SYNC_CHOICES)[number];
  approvalTimeout: number;
  enforcerUrl?: string | undefined;
  /**
   * Set by {@linkcode parseRunArgs} instead of the other options when the
   * flags before `--` are refused: no server may start, and the client is
   * told why. It travels in the options so that whatever runs a session
   * from a parsed command line honours it.
   */
  refusal?: RunRefusal | undefined;
}

/** A `thoth run` command line refused while a server command follows `--`. */
export interface RunRefusal {
  /** For stderr: the flag, the value given and what to do (exit code 2). */
  error: AppError;
  /** For the client's first request: the flag and what to fix, never the value given. */
  wire: string;
}

/** A parsed `thoth run` command line. */
export interface RunArgs {
  /** The upstream command and its arguments. */
  command: string[];
  options: RunOptions;
}

/** The default of every option that has one. */
export const RUN_DEFAULTS = {
  enforcementMode: "block" as EnforcementMode,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  shutdownGraceMs: DEFAULT_GRACE_MS,
  auditSync: "default" as const,
  approvalTimeout: DEFAULT_APPROVAL_TIMEOUT_MS / 1000,
};

/** What `thoth --help` lists `run` as: one line. */
export const RUN_SUMMARY = "relay an MCP server, checking its tools/call";

/**
 * The defaults `thoth run --help` shows in the unit the docs use, by flag;
 * the others are shown as they are.
 */
export const RUN_DEFAULT_TEXT: Readonly<Record<string, string>> = {
  "--max-line-bytes": formatByteSize(DEFAULT_MAX_LINE_BYTES),
};

/**
 * `--agent-id`: letters, digits, dot, dash, underscore; not a key or token:
 * the agent id is shown, and written into the audit log for good. A key's
 * issuer prefix, in the issuer's case, with a random key body right after it
 * (`sk_live_…`; not `sk-telecom`) is refused here; the rest of the
 * test `THOTH_FLEET_ID` passes (`id_flagged_as_key.ts`: the key detectors,
 * which `thoth run`'s main thread loads only when it must) is applied when
 * the session is prepared (`prepare_session.ts`), before anything is recorded.
 */
export function checkAgentId(value: string): string {
  if (!AGENT_ID.test(value)) {
    throw new AppError(
      "usage.bad_flag",
      `--agent-id: ${showName(value)} is not a valid agent id`,
      {
        hints: ["use letters, digits, dot, dash or underscore, starting with a letter or digit"],
      },
    );
  }
  if (prefixedRandomKey(value)) {
    throw keyAsIdError(
      "--agent-id",
      value,
      'give --agent-id a plain name for the server, such as "gdrive"',
    );
  }
  return value;
}

/**
 * `--tenant-id`: a DNS label; not a key or token: the tenant id is shown,
 * resolved in DNS and written into the audit log for good. Judged as
 * `--agent-id` is (see {@linkcode checkAgentId}), by the test
 * `THOTH_TENANT_ID` and `THOTH_FLEET_ID` pass.
 */
export function checkTenantId(value: string): string {
  if (!DNS_LABEL.test(value)) {
    throw new AppError(
      "usage.bad_flag",
      `--tenant-id: ${showName(value)} is not a DNS label`,
      {
        hints: ['use lowercase letters, digits and dashes, for example "your-org"'],
      },
    );
  }
  if (prefixedRandomKey(value)) {
    throw keyAsIdError(
      "--tenant-id",
      value,
      'give --tenant-id your tenant\'s id, a DNS label such as "your-org", or leave it out ' +
        "to use THOTH_TENANT_ID",
    );
  }
  return value;
}

type Setter = (options: RunOptions, value: string) => void;

/** The hint of a refused choice or an unknown flag, as the full parser gives it. */
const HELP_HINT = 'run "thoth run --help" to see its usage';

/**
 * A value as the full parser quotes it in a refusal (`'strict'`), or by
 * fingerprint when it looks like a key (as `program.ts` shows the parser's).
 */
function quotedArgument(value: string): string {
  return looksLikeKey(value) ? showName(value) : `'${value}'`;
}

/** A flag with a fixed set of values; a refusal is worded as the full parser words it. */
function choice<T extends string>(
  flags: string,
  choices: readonly T[],
  set: (o: RunOptions, v: T) => void,
): Setter {
  return (options: RunOptions, value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new AppError(
        "usage.bad_flag",
        `option '${flags}' argument ${quotedArgument(value)} is invalid. Allowed choices are ${
          choices.join(", ")
        }.`,
        { hints: [HELP_HINT] },
      );
    }
    set(options, value as T);
  };
}

const FLAGS: Readonly<Record<string, Setter>> = {
  "--agent-id": (o, v) => o.agentId = checkAgentId(v),
  "--tenant-id": (o, v) => o.tenantId = checkTenantId(v),
  "--enforcement-mode": choice(
    "--enforcement-mode <mode>",
    ENFORCEMENT_MODES,
    (o, v) => o.enforcementMode = v,
  ),
  "--intent": (o, v) => o.intent = v,
  "--policy": (o, v) => o.policy = v,
  "--api-key": (o, v) => o.apiKey = v,
  "--max-line-bytes": (o, v) => o.maxLineBytes = parseByteSize(v),
  "--shutdown-grace-ms": (o, v) => o.shutdownGraceMs = checkGraceMs(v),
  "--audit-sync": choice("--audit-sync <when>", AUDIT_SYNC_CHOICES, (o, v) => o.auditSync = v),
  "--approval-timeout": (o, v) => o.approvalTimeout = checkApprovalTimeout(v),
  "--enforcer-url": (o, v) => o.enforcerUrl = v,
};

/**
 * The first `thoth run` flag given more than once before `--`, if any. The
 * full parser would quietly keep the last value, so `--enforcement-mode block
 * --enforcement-mode observe` would govern less than the first flag asked:
 * thoth refuses such a command line instead.
 */
export function repeatedRunFlag(args: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    const equals = arg.indexOf("=");
    const name = equals === -1 ? arg : arg.slice(0, equals);
    if (!Object.hasOwn(FLAGS, name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
    if (equals === -1) i++;
  }
  return undefined;
}

/** Every `thoth run` flag that takes a value. */
export const RUN_VALUE_FLAG_NAMES: readonly string[] = Object.keys(FLAGS);

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
type Problem =
  | { kind: "unknown"; flag: string; at: number }
  | { kind: "repeated"; flag: string }
  | { kind: "missing"; flag: string }
  | { kind: "bad"; flag: string; error: AppError };

/**
 * The `thoth run` flag a mistyped `flag` most likely meant: the one at the
 * least edit distance (a letter left out, added, changed, or two swapped),
 * if that is at most 2 and no other flag is as near; else the one flag that
 * starts with what was typed (at least 3 letters after the dashes). Case is
 * ignored. Undefined when none is that near, or when `flag` is one.
 *
 * @example
 * ```ts
 * closestRunFlag("--enforcment-mode"); // "--enforcement-mode"
 * closestRunFlag("--enforcement");     // "--enforcement-mode"
 * closestRunFlag("--xyz");             // undefined
 * ```
 */
export function closestRunFlag(flag: string): string | undefined {
  if (Object.hasOwn(FLAGS, flag) || isHelp(flag)) return undefined;
  const typed = flag.toLowerCase();
  const known = [...RUN_VALUE_FLAG_NAMES, "--help"];
  const nearest = Math.min(...known.map((name) => editDistance(typed, name, { swaps: true })));
  if (nearest <= 2) {
    const best = known.filter((name) => editDistance(typed, name, { swaps: true }) === nearest);
    return best.length === 1 ? best[0] : undefined;
  }
  const stem = typed.replace(/^-+/, "");
  if (stem.length < 3) return undefined;
  const starting = known.filter((name) => name.slice(2).startsWith(stem));
  return starting.length === 1 ? starting[0] : undefined;
}

function isHelp(arg: string): boolean {
  return arg === "-h" || arg === "--help";
}

/**
 * Reads the arguments after `run`. Returns undefined for the full parser to
 * handle: help, a missing server command, and any usage error when no server
 * command follows `--`. A usage error with a server command after `--`
 * (unknown, repeated or valueless flags, bad values) comes back as
 * `options.refusal`, with the other options at their defaults. A flag takes
 * the next argument as its value whatever it looks like, as the full parser
 * does, except `--`: that ends the flags, and the flag has no value.
 */
export function parseRunArgs(args: readonly string[]): RunArgs | undefined {
  const options: RunOptions = { ...RUN_DEFAULTS };
  const seen = new Set<string>();
  let problem: Problem | undefined;
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    // A lone "-" is not a flag to the full parser either: the server command starts there.
    if (!arg.startsWith("-") || arg === "-") break;
    if (isHelp(arg)) return undefined;
    const equals = arg.indexOf("=");
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const value = equals === -1 ? args[i + 1] : arg.slice(equals + 1);
    const set = Object.hasOwn(FLAGS, flag) ? FLAGS[flag] : undefined;
    if (set === undefined) {
      problem = { kind: "unknown", flag, at: i };
      break;
    }
    if (seen.has(flag)) {
      problem = { kind: "repeated", flag };
      break;
    }
    if (value === undefined || (equals === -1 && value === "--")) {
      problem = { kind: "missing", flag };
      break;
    }
    seen.add(flag);
    try {
      set(options, value);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      problem = { kind: "bad", flag, error };
      break;
    }
    i += equals === -1 ? 2 : 1;
  }
  if (problem === undefined) {
    const command = args.slice(i);
    if (command.length === 0 || command[0] === "") return undefined;
    const keyName = options.agentId === undefined
      ? agentIdWouldBeKey(command[0]!, command.slice(1))
      : undefined;
    if (keyName !== undefined) {
      return { command, options: { ...RUN_DEFAULTS, refusal: derivedKeyRefusal(keyName) } };
    }
    return { command, options };
  }
  return refusedRunArgs(args, problem);
}

/**
 * The refusal of a command line whose flags have `problem`, when a server
 * command follows the first `--`; otherwise undefined, for the full parser.
 */
function refusedRunArgs(args: readonly string[], problem: Problem): RunArgs | undefined {
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
function derivedKeyRefusal(name: string): RunRefusal {
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
