/**
 * Findings about records the log once held and no longer does, from what the
 * writer counted: its state file now, or a `state_rebuilt` record that kept
 * what the state file said when a writer found the log shorter. Also the
 * warning for a state file that was gone, so nothing counted. Pure.
 *
 * @example
 * ```ts
 * const f = lostRecordsFinding({ counted: 49, holds: 35, checkpointSize: 40, source: ".state.json" });
 * f.message; // "records were lost: the state file counts 49 records, the log holds 35; …"
 * ```
 */
import type { Finding } from "./finding.ts";
import { MAC_DID_NOT_VERIFY } from "./unvouched_tail.ts";
import { staleMacSize } from "./earlier_state_mac.ts";
import { staleMacFinding } from "./state_mac_check.ts";

const PREFIX = "records were lost: ";

/** Reasons an older writer gave, exactly as it wrote them. */
const SHORTER = "the log was shorter than the state file";
const NO_STATE: ReadonlySet<string> = new Set([
  "the state file was missing",
  "the state file was damaged",
]);

/**
 * The reason a writer gives when it found keys but no log: no segment, and a
 * state file missing, empty or damaged. It starts the log again and says so.
 */
export const LOG_GONE = "the log was gone";

/** What an empty state file beside keys may also mean; said wherever that is judged. */
export const OLDER_WRITER_NOTE =
  "an older thoth that stopped before its first record left an empty state file beside its keys too";

/** The finding for a log that holds fewer records than the state file counts. */
export function lostRecordsFinding(input: {
  counted: number;
  holds: number;
  /** The size of the last checkpoint the state file knew of. */
  checkpointSize: number;
  source: string;
  /** The seq of the state_rebuilt record that kept the count, when it comes from one. */
  recordedAt?: number;
}): Finding {
  const { counted, holds, checkpointSize } = input;
  const lost = counted - holds;
  const range = lost === 1 ? `seq ${holds} is` : `seq ${holds}..${counted - 1} are`;
  const what = input.recordedAt === undefined
    ? `the state file counts ${counted} records, the log holds ${holds} (${lost} lost: ${range} missing)`
    : `the state file counted ${counted} records, the log held ${holds} when a writer rebuilt its state at seq ${input.recordedAt} (${lost} lost; the records now at seq ${holds} on were written after)`;
  return {
    kind: "records_lost",
    severity: "tamper",
    seq: holds,
    ...(lost > 1 ? { toSeq: counted - 1 } : {}),
    source: input.source,
    message: `${PREFIX}${what}; ${cause(checkpointSize > holds ? checkpointSize : undefined)}`,
  };
}

/**
 * The finding a `state_rebuilt` record calls for: records lost when the
 * state it kept counted more than the log held, a warning when there was no
 * state to count with, else nothing more than the fact (and see
 * {@linkcode stateRebuiltMacFinding}).
 */
export function stateRebuiltFinding(
  record: Record<string, unknown>,
  seq: number,
  source: string,
): Finding {
  const reason = typeof record["reason"] === "string" ? record["reason"] : "unknown reason";
  const size = wholeNumber(record["size"]);
  const counted = wholeNumber(record["stateSize"]);
  if (counted !== undefined && size !== undefined && counted > size) {
    return lostRecordsFinding({
      counted,
      holds: size,
      checkpointSize: wholeNumber(record["stateCheckpointSize"]) ?? 0,
      source,
      recordedAt: seq,
    });
  }
  if (reason === LOG_GONE) {
    const stateFile = typeof record["stateFile"] === "string" ? record["stateFile"] : "missing";
    const keysCreated = typeof record["keysCreated"] === "string"
      ? record["keysCreated"]
      : "an unknown date";
    return {
      kind: "records_lost",
      severity: "tamper",
      seq,
      source,
      message: `the audit log was gone before seq ${seq}: a writer found no segment and ${
        /^[aeiou]/.test(stateFile) ? "an" : "a"
      } ${stateFile} state file beside the signing key made on ${keysCreated}, and started the log again; thoth removes none of them, so the log before it was deleted (how many records it held is unknown)${
        stateFile === "empty" ? `, unless ${OLDER_WRITER_NOTE}` : ""
      }`,
    };
  }
  if (counted === undefined && reason === SHORTER) {
    return {
      kind: "records_lost",
      severity: "tamper",
      seq,
      source,
      message:
        `${PREFIX}a writer found the log shorter than its state file and rebuilt the state at seq ${seq} (an older thoth, which did not record how many records the state counted); ${
          cause(undefined)
        }`,
    };
  }
  if (counted === undefined && NO_STATE.has(reason)) {
    return {
      kind: "state_lost",
      severity: "warning",
      seq,
      source,
      message:
        `a writer rebuilt its state at seq ${seq} because ${reason}: nothing shows how many records the log held before (${
          seq <= 1
            ? "a writer that crashed during the log's very first write leaves this too; otherwise the state file was removed"
            : "thoth writes the state file in place and never removes it: it was removed or replaced"
        })`,
    };
  }
  return {
    kind: "state_rebuilt",
    severity: "info",
    seq,
    source,
    message: `the writer rebuilt its state from the log: ${reason}`,
  };
}

/**
 * The tampering a `state_rebuilt` record also calls for when the writer
 * found a state file whose MAC did not verify: someone other than thoth
 * wrote it, and may have cut the records past the last signed checkpoint
 * and written a count to match; undefined otherwise (and when the record
 * already says records were lost).
 */
export function stateRebuiltMacFinding(
  record: Record<string, unknown>,
  seq: number,
  source: string,
): Finding | undefined {
  const reason = typeof record["reason"] === "string" ? record["reason"] : "";
  const stale = staleMacSize(reason);
  if (!reason.includes(MAC_DID_NOT_VERIFY) && stale === undefined) return undefined;
  const size = wholeNumber(record["size"]);
  const counted = wholeNumber(record["stateSize"]);
  if (counted !== undefined && size !== undefined && counted > size) return undefined;
  // The MAC of the log's earlier state, left by an earlier release's writer: a warning.
  if (!reason.includes(MAC_DID_NOT_VERIFY)) return staleMacFinding(source, stale!, seq);
  return {
    kind: "state_mac_failed",
    severity: "tamper",
    seq,
    source,
    message:
      `a writer found a state file whose MAC did not verify under this device's audit key, and rebuilt its state from the log at seq ${seq}: someone other than thoth wrote that state file, and records cut from the end of the log since the last signed checkpoint before seq ${seq}, with the count rewritten to match, would read the same (only a checkpoint kept off the device shows them: thoth audit verify --anchor FILE)`,
  };
}

/** The short form of a records_lost finding, for a headline; undefined for other findings. */
export function lostHeadline(finding: Finding): string | undefined {
  if (finding.kind !== "records_lost" || !finding.message.startsWith(PREFIX)) return undefined;
  const rest = finding.message.slice(PREFIX.length);
  const end = rest.search(/ \(|; /);
  return end < 0 ? rest : rest.slice(0, end);
}

function cause(coveredBy: number | undefined): string {
  if (coveredBy !== undefined) {
    return `a signed checkpoint covered ${coveredBy} records, and a writer syncs records to disk before it signs one, so no crash explains it: they were removed`;
  }
  return "a power loss or OS crash in the default sync mode can lose the newest records not yet synced to disk (a writer syncs at least every 100 ms), and so can restoring the folder from an older backup; otherwise they were removed";
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
