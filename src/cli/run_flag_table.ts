/**
 * The flags of `thoth run` that take a value, as a table of setters
 * (each checks its value the way the full parser in `run.ts` does), and what
 * is read from it: a flag given twice ({@linkcode repeatedRunFlag}), every
 * flag's name ({@linkcode RUN_VALUE_FLAG_NAMES}), and the flag a mistyped one
 * most likely meant ({@linkcode closestRunFlag}). Pure.
 *
 * @example
 * ```ts
 * const options: RunOptions = { ...RUN_DEFAULTS };
 * runFlagSetter("--agent-id")?.(options, "fs"); // options.agentId === "fs"
 * repeatedRunFlag(["--policy", "a", "--policy", "b"]); // "--policy"
 * closestRunFlag("--enforcment-mode"); // "--enforcement-mode"
 * ```
 */
import { editDistance } from "../edit_distance.ts";
import { AppError } from "../errors.ts";
import { ENFORCEMENT_MODES } from "../policy/enforcement_mode.ts";
import { checkApprovalTimeout, checkGraceMs, parseByteSize } from "../config/run_flag_numbers.ts";
import { checkAgentId, checkTenantId } from "./check_run_ids.ts";
import { HELP_HINT, isHelp, quotedArgument } from "./_run_flag_words.ts";
import { AUDIT_SYNC_CHOICES, type RunOptions } from "./run_options.ts";

/** Sets a flag's option from its value, or throws the usage error that refuses the value. */
export type Setter = (options: RunOptions, value: string) => void;

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

/**
 * The setter of each flag that takes a value; a name not in it is no such
 * flag (see {@linkcode runFlagSetter}).
 */
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

/** The setter of the `thoth run` flag `flag`; undefined when it is no flag of `thoth run`. */
export function runFlagSetter(flag: string): Setter | undefined {
  return Object.hasOwn(FLAGS, flag) ? FLAGS[flag] : undefined;
}

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
