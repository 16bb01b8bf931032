/**
 * The human form of a doctor run: one line per check marked ✓, ! or ✗, a
 * line for each of its hints under it (see `checkHints`), a line for each of a check's
 * details (the places `client_configs` looked in) under those, and a
 * one-line summary.
 *
 * @example
 * ```ts
 * io.out(formatDoctorReport(checks));
 * // ✓ runtime            thoth 0.1.0 (commit source) on Deno 2.9.6, …
 * // ✗ credentials        no credentials for tenant "acme"
 * //                      hint: export THOTH_RUNTIME_BEARER_TOKEN with a token from your …
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import { displayText } from "../approval/display_text.ts";
import { checkHints } from "./check_hints.ts";

const MARK = { pass: "✓", warn: "!", fail: "✗" } as const;

/** Formats checks as text with a trailing newline. */
export function formatDoctorReport(checks: readonly DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.id.length), 0) + 2;
  const lines: string[] = [];
  for (const check of checks) {
    // A message can quote a config's text (server names, commands): nothing in it may
    // act on the terminal.
    lines.push(`${MARK[check.status]} ${check.id.padEnd(width)}${shown(check.message)}`);
    // Every hint, one line each, a pass's too (the audit check's: how to run the full check).
    for (const hint of checkHints(check)) lines.push(`  ${" ".repeat(width)}hint: ${shown(hint)}`);
    for (const detail of check.details ?? []) lines.push(`  ${" ".repeat(width)}${shown(detail)}`);
  }
  const count = (status: DoctorCheck["status"]) => checks.filter((c) => c.status === status).length;
  lines.push(
    "",
    `${checks.length} checks: ${count("pass")} passed, ${count("warn")} warnings, ${
      count("fail")
    } failed`,
  );
  return lines.join("\n") + "\n";
}

/** A message as the terminal shows it: control and format characters as `?`, never cut. */
function shown(text: string): string {
  return displayText(text, Number.MAX_SAFE_INTEGER);
}
