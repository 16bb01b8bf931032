/**
 * What shows that a bundle labelled `thoth-audit-bundle/1` (or with no
 * label), which carries no signed export statement, is not what an older
 * thoth exported. Two kinds of trace:
 *
 * - Records no thoth that wrote `/1` bundles wrote: thoth signed export
 *   statements (`/2`) before it wrote any `handshake` or `request` record,
 *   a checkpoint record's Merkle `frontier`, a `state_rebuilt` record's
 *   `stateFrontier`, or who and where a session ran in its `session_start` (`userId`,
 *   `osUser`, `osUid`, `tenantId`, `endpointId`, `endpointIdSource`,
 *   `environment`). Such records were exported as `/2`: the label was
 *   changed, and the bundle is checked as `/2`.
 * - A manifest no export wrote: every `/1` export wrote `created`, the
 *   `period`, the `requested` and `included` seq ranges, the `start`, each
 *   file's length, and listed its README.md. One that lacks any of them was
 *   rewritten after the export.
 *
 * Pure.
 *
 * @example
 * ```ts
 * newerRecordTrace(['{"v":1,"seq":3,"type":"handshake","session":"s-1"}']);
 * // "a handshake record at seq 3"
 * manifestGaps({ format: "thoth-audit-bundle/1", files: [] });
 * // ["created", "period", "requested range", "included range", "start", "README.md"]
 * ```
 */

/** The `session_start` fields a session's identity added after `/2` bundles began. */
const IDENTITY_FIELDS = [
  "userId",
  "osUser",
  "osUid",
  "tenantId",
  "endpointId",
  "endpointIdSource",
  "environment",
] as const;

/** A line can only hold a trace when it holds one of these words (a cheap look first). */
const CANDIDATE = new RegExp(
  `"(?:handshake|request|frontier|stateFrontier|${IDENTITY_FIELDS.join("|")})"`,
);

/** Traces named at most. */
const NAMED = 3;

/** What in one record no thoth that wrote `/1` bundles wrote; undefined when nothing. */
export function newerRecord(record: Record<string, unknown>): string | undefined {
  const at = typeof record["seq"] === "number" ? ` at seq ${record["seq"]}` : "";
  switch (record["type"]) {
    case "handshake":
      return `a handshake record${at}`;
    case "request":
      return `a request record${at}`;
    case "checkpoint":
      return "frontier" in record ? `a checkpoint record with its Merkle frontier${at}` : undefined;
    case "state_rebuilt":
      return "stateFrontier" in record
        ? `a state_rebuilt record with the state's Merkle frontier${at}`
        : undefined;
    case "session_start": {
      const fields = IDENTITY_FIELDS.filter((field) => field in record);
      return fields.length > 0
        ? `a session_start record with ${fields.join(", ")}${at}`
        : undefined;
    }
  }
  return undefined;
}

/**
 * The records among `lines` (JSON text) no thoth that wrote `/1` bundles
 * wrote, in words ("a handshake record at seq 3, …"); undefined when none.
 */
export function newerRecordTrace(lines: Iterable<string>): string | undefined {
  const found: string[] = [];
  let more = 0;
  for (const line of lines) {
    if (!CANDIDATE.test(line)) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    const trace = newerRecord(value as Record<string, unknown>);
    if (trace === undefined) continue;
    if (found.length < NAMED) found.push(trace);
    else more++;
  }
  if (found.length === 0) return undefined;
  return found.join(", ") + (more > 0 ? ` and ${more} more` : "");
}

/**
 * What a `/1` export always wrote in its manifest that `manifest` (parsed
 * JSON) lacks, in words; empty when nothing is missing.
 */
export function manifestGaps(manifest: unknown): string[] {
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) return [];
  const m = manifest as Record<string, unknown>;
  const gaps: string[] = [];
  if (m["created"] === undefined) gaps.push("created");
  if (m["period"] === undefined) gaps.push("period");
  if (m["requested"] === undefined) gaps.push("requested range");
  if (m["included"] === undefined) gaps.push("included range");
  if (m["start"] === undefined) gaps.push("start");
  const files = Array.isArray(m["files"]) ? m["files"] as unknown[] : [];
  const entries = files.map((f) => (f ?? {}) as Record<string, unknown>);
  if (entries.some((f) => f["bytes"] === undefined)) gaps.push("file lengths");
  if (!entries.some((f) => f["path"] === "README.md")) gaps.push("README.md");
  return gaps;
}
