/**
 * What to do about a client config that cannot be read as the client reads
 * it, for `thoth doctor`'s `client_configs` check and `thoth health`'s
 * `clients[].hint`: the reader's own hint when it has one, else put a
 * readable file back; then the command that checks it again, its path quoted
 * so that pasting it runs nothing a folder's name holds. Pure.
 *
 * @example
 * ```ts
 * clientConfigRemedy({ configPath: "/c.json", problemHint: null });
 * // 'put the client\'s config back at "/c.json" as a regular file it can read, or move what
 * //  is there away; check it again with: thoth status --config "/c.json"'
 * ```
 */
import type { ClientConfigReport } from "./doctor_plugins.ts";
import { pasteQuote } from "./paste_quote.ts";

/** The remedy for `report`'s problem. */
export function clientConfigRemedy(
  report: Pick<ClientConfigReport, "configPath" | "problemHint">,
): string {
  const path = report.configPath;
  const fix = report.problemHint ??
    `put the client's config back at "${path}" as a regular file it can read, or move what ` +
      "is there away";
  return `${fix}; check it again with: thoth status --config ${pasteQuote(path)}`;
}
