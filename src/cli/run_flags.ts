/**
 * The plain reader of `thoth run`'s command line for the common case
 * ({@linkcode parseRunArgs}), with what `thoth --help` lists `run` as
 * ({@linkcode RUN_SUMMARY}) and the defaults its help shows
 * ({@linkcode RUN_DEFAULT_TEXT}). `thoth run` starts with every MCP client and
 * lives as long as its server, so a well-formed command line is read here
 * without loading the command-line library. Help, and a usage error where no
 * server command follows `--`, are declined: the full parser in `run.ts`
 * handles them, with its help and its errors. Both read the numeric flags with
 * the same functions (`config/run_flag_numbers.ts`: plain decimal digits within
 * the flag's range), so a value one path refuses the other refuses with the
 * same words.
 *
 * The rest of the flags' reading is beside it: the options and their defaults
 * in `run_options.ts`, the checks of the ids in `check_run_ids.ts`, the table
 * of flags and their setters in `run_flag_table.ts`, and in
 * `run_flag_refusals.ts` the refusal a usage error becomes when a server
 * command follows `--`, as an MCP client starts thoth: the client is not left
 * with a dead pipe, but its first request is answered with the refusal by the
 * session (`run_session.ts`), which starts no server. The refusal quotes the
 * refused value on stderr only (by fingerprint when it looks like a key or
 * token), never to the client.
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
import { AppError } from "../errors.ts";
import { formatByteSize } from "../config/run_flag_numbers.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../proxy/proxy_defaults.ts";
import { agentIdWouldBeKey } from "../proxy/derive_agent_id.ts";
import { runFlagSetter } from "./run_flag_table.ts";
import { isHelp } from "./_run_flag_words.ts";
import { derivedKeyRefusal, type Problem, refusedRunArgs } from "./run_flag_refusals.ts";
import { RUN_DEFAULTS, type RunArgs, type RunOptions } from "./run_options.ts";

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
    const set = runFlagSetter(flag);
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
