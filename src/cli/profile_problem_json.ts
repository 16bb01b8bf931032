/**
 * What `thoth … --json` prints on stdout when no profile folder can be
 * found (`identity.no_profile`, see `profile_home.ts`), before any command
 * is built: for `wrap-config` and `unwrap-config`, whose `--json` output
 * documents an `error` field, their own document (as `config_run_json.ts`
 * makes it, and as `config_run_failure.ts` registers it for the failures the
 * parser finds), with the error's code and remedy in `error`, no files and
 * no profile; for any other command the CLI's generic
 * `{"ok":false,"error":{…}}` line ({@linkcode errorJsonFor}); nothing without
 * `--json`, or for `run`. The config commands' module is loaded only here,
 * when it is needed, so `thoth run`'s start loads none of it, nor lists it
 * (see `unlisted_module.ts`).
 *
 * @example
 * ```ts
 * await profileProblemJson(["wrap-config", "--json"], problem);
 * // '{\n  "schemaVersion": 1,\n  "command": "wrap-config",\n  "ok": false, …'
 * await profileProblemJson(["health", "--json"], problem);
 * // '{"ok":false,"error":{"code":"identity.no_profile",…}}\n'
 * ```
 */
import type { AppError } from "../errors.ts";
import { errorJsonFor, VALUE_OPTIONS } from "./report_error.ts";
import { unlistedModule } from "./unlisted_module.ts";

/** The commands whose failure under `--json` is their own document (`config_run_json.ts`). */
export const CONFIG_RUN_COMMANDS: readonly string[] = ["wrap-config", "unwrap-config"];

/** The stdout text for `problem` under the command line `args`, or undefined for none. */
export async function profileProblemJson(
  args: readonly string[],
  problem: AppError,
): Promise<string | undefined> {
  const line = errorJsonFor(args, problem);
  if (line === undefined) return undefined;
  // thoth's one option before a command is --verbose (as thoth.ts reads it for run).
  const at = args[0] === "--verbose" ? 1 : 0;
  const command = args[at];
  if (command === undefined || !CONFIG_RUN_COMMANDS.includes(command)) return line;
  const { ConfigRunReport } = await import(
    unlistedModule("./config_run_json.ts", import.meta.url)
  ) as typeof import("./config_run_json.ts");
  return new ConfigRunReport(command).document(
    problem.exitCode,
    dryRunAsked(args.slice(at + 1)),
    problem,
  );
}

/** Whether `--dry-run` is among `args` as an option (not another option's value), before `--`. */
function dryRunAsked(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return false;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (arg === "--dry-run") return true;
  }
  return false;
}
