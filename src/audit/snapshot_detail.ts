/**
 * The DETAIL cell `thoth audit show` gives a `tools_snapshot` record: how
 * many tools the server listed, how many of them the record names when it
 * is `partial` (a listing past 10,000 tools or about 1 MiB), and how many
 * could not be digested. A record of an earlier release, which names every
 * tool and has no `count`, shows the tools it names. Pure.
 *
 * @example
 * ```ts
 * snapshotDetail({ type: "tools_snapshot", tools: [a, b], count: 2 }); // "2 tools"
 * snapshotDetail({ tools: firstOnes, count: 300000, partial: true });
 * // "300000 tools listed; the record names the first 3612 (partial)"
 * ```
 */

type Rec = Record<string, unknown>;

/** A `tools_snapshot` record's DETAIL cell (see the module's comment). */
export function snapshotDetail(r: Rec): string {
  const named = lengthOf(r["tools"]);
  const undigested = lengthOf(r["undigested"]);
  const count = typeof r["count"] === "number" && Number.isSafeInteger(r["count"])
    ? r["count"]
    : named + undigested;
  const parts = [
    `${count} ${count === 1 ? "tool" : "tools"}${r["partial"] === true ? " listed" : ""}`,
  ];
  if (r["partial"] === true) {
    parts.push(`the record names the first ${named + undigested} (partial)`);
  }
  if (undigested > 0) parts.push(`${undigested} not digested`);
  return parts.join("; ");
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
