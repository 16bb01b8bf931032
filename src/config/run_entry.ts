/**
 * One wrapped entry as the `thoth run` checks read it (see `runRefusals`):
 * its flags and `env` block from a client config, and what follows from them
 * without reading anything: the last value of a flag, the profile its `env`
 * names, the agent id `thoth run` derives from the server command. Pure.
 *
 * @example
 * ```ts
 * const entry = runEntryOf(readThothInvocation(command, args)!, args, envNode);
 * lastFlagValue(entry.flags, "--intent"); // "files", or undefined
 * entryThothHome({ HOME: "/home/ana" }, "linux"); // "/home/ana/.thoth"
 * ```
 */
import type { Node } from "jsonc-parser";
import type { FlagProblem, ThothInvocation } from "./thoth_invocation.ts";
import { resolveThothHome } from "../platform/thoth_home.ts";
import { deriveAgentId } from "../proxy/derive_agent_id.ts";

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

/** The value of the last `name` among `flags`; undefined when none names it. */
export function lastFlagValue(
  flags: readonly (readonly [string, string])[],
  name: string,
): string | undefined {
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
export function derivedAgentId(runArgs: readonly string[] | undefined): string | undefined {
  const dashes = runArgs?.indexOf("--") ?? -1;
  const upstream = dashes < 0 ? [] : runArgs!.slice(dashes + 1);
  return upstream[0] === undefined ? undefined : deriveAgentId(upstream[0], upstream.slice(1));
}
