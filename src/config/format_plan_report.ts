/**
 * Renders what a wrap or unwrap plan does to each server, one line each:
 * action, server, and why. Pure.
 *
 * @example
 * ```ts
 * formatPlanReport({ text: "", changed: false, warnings: [], servers: [
 *   { name: "fs", action: "unchanged", reasons: ["already governed"], warnings: [] },
 * ] });
 * // "  unchanged  fs  already governed\n"
 * ```
 */
import type { ConfigPlan } from "./plan_wrap.ts";

/** Formats the per-server lines. */
export function formatPlanReport(plan: ConfigPlan): string {
  const names = plan.servers.map((server) =>
    server.project === undefined ? server.name : `${server.name} (${server.project})`
  );
  const actionWidth = Math.max(0, ...plan.servers.map((server) => server.action.length));
  const nameWidth = Math.max(0, ...names.map((name) => [...name].length));
  return plan.servers.map((server, i) => {
    const name = names[i]!;
    const cells = [
      server.action.padEnd(actionWidth),
      name + " ".repeat(nameWidth - [...name].length),
      server.reasons.join("; "),
    ];
    return `  ${cells.join("  ")}`.trimEnd() + "\n";
  }).join("");
}
