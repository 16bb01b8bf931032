/**
 * A command's own JSON document for a failure, in place of the CLI's
 * generic `{"ok":false,"error":{…}}` line (see `program.ts`). A command
 * whose `--json` output documents an `error` field (`wrap-config`,
 * `unwrap-config`) registers how to put one in it, so a failure the parser
 * finds before the command's action runs (`--client foo`, an unknown
 * option, an option with no value) has the shape of every other failure of
 * that command.
 *
 * @example
 * ```ts
 * const command = withJsonFailureDocument(new Command("x"), (report) => JSON.stringify(report));
 * jsonFailureDocument(command, { code: "usage.x", message: "bad", hints: [], exitCode: 2 });
 * // '{"code":"usage.x",…}'
 * ```
 */
import type { ErrorReport } from "./report_error.ts";

/** Renders `report` as the command's document for a failure. */
export type FailureDocument = (report: ErrorReport) => string;

const documents = new WeakMap<object, FailureDocument>();

/** Registers `render` as `command`'s JSON document for a failure; returns `command`. */
export function withJsonFailureDocument<C extends object>(command: C, render: FailureDocument): C {
  documents.set(command, render);
  return command;
}

/** `command`'s own document for `report`, or undefined when it has none (the generic line). */
export function jsonFailureDocument(command: object, report: ErrorReport): string | undefined {
  return documents.get(command)?.(report);
}
