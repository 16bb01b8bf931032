/**
 * The finding for a device's audit folder that holds no record: a log not
 * written yet (its state file counts none, or nothing of a log is there at
 * all) is a warning, while the keys or checkpoint notes made with a log,
 * still there with no record and no readable state file, say the log was
 * deleted. Pure.
 *
 * @example
 * ```ts
 * emptyLogFinding(
 *   { dir: "audit", stateSource: ".state.json", state: "missing", keysCreated: null },
 *   0,
 * )?.kind; // "no_log"
 * ```
 */
import type { Finding } from "./finding.ts";
import type { LocalTraces } from "./local_traces.ts";
import { OLDER_WRITER_NOTE } from "./lost_records.ts";

/**
 * What an audit folder with no record says, given the checkpoint notes
 * stored beside the log; undefined when notes beside a log its state counts
 * empty speak for themselves.
 */
export function emptyLogFinding(local: LocalTraces, checkpointNotes: number): Finding | undefined {
  const state = local.state;
  if (typeof state === "object") {
    // Checkpoint notes beside a log the state counts empty speak for
    // themselves (past its end, or not signed by a trusted key).
    if (checkpointNotes > 0) return undefined;
    return noLog(
      `the audit log in ${local.dir} holds no records yet (its state file counts none): there is nothing to verify`,
      local.dir,
    );
  }
  const traces = [
    ...(local.keysCreated === null
      ? []
      : [`the signing key made with it on ${local.keysCreated} is still in keys/`]),
    ...(checkpointNotes === 0
      ? []
      : [`${checkpointNotes} checkpoint note(s) are still in checkpoints/`]),
  ];
  if (traces.length === 0) {
    return noLog(
      `there is no audit log in ${local.dir}: no record, no state file, no checkpoint and no signing key, so thoth has not written one on this device (or all of it, keys included, was removed): there is nothing to verify`,
      local.dir,
    );
  }
  return {
    kind: "records_lost",
    severity: "tamper",
    seq: 0,
    source: local.dir,
    message: `the audit log is gone: ${local.dir} holds no record and no ${
      state === "missing" ? "" : "readable "
    }state file, but ${
      traces.join(", and ")
    }, and thoth removes none of them: the log was deleted (how many records it held is unknown)${
      state === "empty" ? `, unless ${OLDER_WRITER_NOTE}` : ""
    }`,
  };
}

function noLog(message: string, dir: string): Finding {
  return { kind: "no_log", severity: "warning", source: dir, message };
}
