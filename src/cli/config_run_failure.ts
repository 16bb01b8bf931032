/**
 * `wrap-config --json` and `unwrap-config --json` for a command line the
 * parser refused (`--client foo`, an unknown option, an option with no
 * value): the same document as any other failure of theirs (see
 * `config_run_json.ts`), with `error` set, no files and no profile, not the
 * CLI's generic `{"ok":false,"error":{…}}` line.
 *
 * @example
 * ```ts
 * return configRunFailures(new Command("wrap-config").option("--json"));
 * ```
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { AppError, type ErrorCode } from "../errors.ts";
import { ConfigRunReport } from "./config_run_json.ts";
import { withJsonFailureDocument } from "./json_failure_document.ts";

/** `command`, whose failures under `--json` are its document; `dryRun` as the parser read it. */
export function configRunFailures<C extends CommandUnknownOpts>(command: C): C {
  return withJsonFailureDocument(command, (report) => {
    const error = new AppError(report.code as ErrorCode, report.message, {
      hints: report.hints,
      exitCode: report.exitCode,
    });
    const dryRun = command.opts()["dryRun"] === true;
    return new ConfigRunReport(command.name()).document(report.exitCode, dryRun, error);
  });
}
