/**
 * The flags of `thoth run`: their checks, their defaults, and a plain reader
 * for the common case. `thoth run` starts with every MCP client and lives as
 * long as its server, so a well-formed command line is read here without
 * loading the command-line library. Anything this reader does not fully
 * understand (help, an unknown or repeated flag, a bad value) is declined,
 * and the full parser in `run.ts` handles it, with its help and its errors.
 * Both read the numeric flags with the same functions
 * (`config/run_flag_numbers.ts`: plain decimal digits within the flag's
 * range), so a value one path refuses the other refuses with the same words.
 *
 * @example
 * ```ts
 * parseRunArgs(["--agent-id", "fs", "--", "node", "server.js"]);
 * // { command: ["node", "server.js"], options: { agentId: "fs", enforcementMode: "block", … } }
 * parseRunArgs(["--help"]); // undefined: the full parser prints the help
 * ```
 */
import { AppError } from "../errors.ts";
import { ENFORCEMENT_MODES, type EnforcementMode } from "../policy/enforcement_mode.ts";
import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES } from "../proxy/proxy_defaults.ts";
import { checkApprovalTimeout, checkGraceMs, parseByteSize } from "../config/run_flag_numbers.ts";

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
  approvalTimeout: 60,
};

/** `--agent-id`: letters, digits, dot, dash, underscore. */
export function checkAgentId(value: string): string {
  if (!AGENT_ID.test(value)) {
    throw new AppError("usage.bad_flag", `--agent-id: "${value}" is not a valid agent id`, {
      hints: ["use letters, digits, dot, dash or underscore, starting with a letter or digit"],
    });
  }
  return value;
}

/** `--tenant-id`: a DNS label. */
export function checkTenantId(value: string): string {
  if (!DNS_LABEL.test(value)) {
    throw new AppError("usage.bad_flag", `--tenant-id: "${value}" is not a DNS label`, {
      hints: ['use lowercase letters, digits and dashes, for example "your-org"'],
    });
  }
  return value;
}

type Setter = (options: RunOptions, value: string) => void;

function choice<T extends string>(choices: readonly T[], set: (o: RunOptions, v: T) => void) {
  return (options: RunOptions, value: string) => {
    if (!(choices as readonly string[]).includes(value)) throw new Error("not a choice");
    set(options, value as T);
  };
}

const FLAGS: Readonly<Record<string, Setter>> = {
  "--agent-id": (o, v) => o.agentId = checkAgentId(v),
  "--tenant-id": (o, v) => o.tenantId = checkTenantId(v),
  "--enforcement-mode": choice(ENFORCEMENT_MODES, (o, v) => o.enforcementMode = v),
  "--intent": (o, v) => o.intent = v,
  "--policy": (o, v) => o.policy = v,
  "--api-key": (o, v) => o.apiKey = v,
  "--max-line-bytes": (o, v) => o.maxLineBytes = parseByteSize(v),
  "--shutdown-grace-ms": (o, v) => o.shutdownGraceMs = checkGraceMs(v),
  "--audit-sync": choice(AUDIT_SYNC_CHOICES, (o, v) => o.auditSync = v),
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
 * Reads the arguments after `run`, or returns undefined for the full parser
 * to handle: help, unknown, repeated or malformed flags, values that start
 * with "-", and a missing command.
 */
export function parseRunArgs(args: readonly string[]): RunArgs | undefined {
  const options: RunOptions = { ...RUN_DEFAULTS };
  const seen = new Set<string>();
  let i = 0;
  try {
    while (i < args.length) {
      const arg = args[i]!;
      if (arg === "--") {
        i++;
        break;
      }
      if (!arg.startsWith("-")) break;
      const equals = arg.indexOf("=");
      const name = equals === -1 ? arg : arg.slice(0, equals);
      const set = Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
      const value = equals === -1 ? args[i + 1] : arg.slice(equals + 1);
      if (set === undefined || seen.has(name) || value === undefined) return undefined;
      if (equals === -1 && value.startsWith("-")) return undefined;
      seen.add(name);
      set(options, value);
      i += equals === -1 ? 2 : 1;
    }
  } catch {
    return undefined;
  }
  const command = args.slice(i);
  if (command.length === 0 || command[0] === "") return undefined;
  return { command, options };
}
