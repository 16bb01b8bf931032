/**
 * Renders what a wrap or unwrap plan does to each server, one line each:
 * action, server (by fingerprint when its name is a key), and why. Names,
 * projects and reasons (which quote commands and args) come from the config:
 * each passes {@linkcode displayText} before the column is measured (in
 * terminal columns, see {@linkcode displayWidth}), so a control character,
 * escape sequence or bidirectional override shows as `?`. Pure.
 *
 * @example
 * ```ts
 * formatPlanReport({ text: "", changed: false, warnings: [], servers: [
 *   { name: "fs", action: "unchanged", reasons: ["already governed"], warnings: [] },
 * ] });
 * // "  unchanged  fs  already governed\n"
 * ```
 */
import type { ConfigPlan } from "./config_plan.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { displayText } from "../approval/display_text.ts";
import { displayWidth } from "./display_width.ts";

/** Formats the per-server lines. */
export function formatPlanReport(plan: ConfigPlan): string {
  const names = plan.servers.map((server) => {
    const name = shownUnlessKey(server.name);
    return shown(server.project === undefined ? name : `${name} (${server.project})`);
  });
  const actionWidth = Math.max(0, ...plan.servers.map((server) => server.action.length));
  const nameWidth = Math.max(0, ...names.map(displayWidth));
  return plan.servers.map((server, i) => {
    const name = names[i]!;
    const cells = [
      server.action.padEnd(actionWidth),
      name + " ".repeat(nameWidth - displayWidth(name)),
      shown(server.reasons.join("; ")),
    ];
    return `  ${cells.join("  ")}`.trimEnd() + "\n";
  }).join("");
}

/** One line a terminal shows as written (see {@linkcode displayText}), uncut. */
function shown(text: string): string {
  return displayText(text, Infinity);
}
