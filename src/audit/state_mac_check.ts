/**
 * What `thoth audit verify` makes of the MAC of the writer's state file
 * (`audit/.state.json`, see `state_mac.ts`): every state a writer of this
 * release writes carries one, under a key derived from the device's audit
 * HMAC key. A MAC that does not verify, or a state file a writer cannot read
 * as one, was not written by thoth as it is: someone edited thoth's state
 * (or put back one written under another key). A MAC that does not verify
 * is tampering (exit 1): no writer leaves one (it writes its state in one
 * write, and a kill lands before or after it), and whoever wrote it could
 * have cut records from the log's end since the last signed checkpoint and
 * written a count to match. Except one: a thoth of a release from before
 * state MACs keeps the fields of the state file it does not know, so it
 * writes this release's MAC back unchanged over a count of its own. A MAC
 * that is the one of the log's state at an earlier count (see
 * `earlier_state_mac.ts`) is `stale`, the warning `state_mac_stale` (an
 * earlier release's writer, or someone who kept an earlier state file): it
 * vouches for no more than no MAC does (`state_mac_removed`, a warning),
 * and whoever could put it there could put back the whole earlier state
 * file, which verifies (see below). A damaged state file is a warning (a power loss
 * during its write can leave one); its remedy says what happens next: the
 * next writer rebuilds the state from the log and records a
 * `state_rebuilt` record that says why. A state file without a
 * MAC vouches for nothing: beside a log whose newest intact checkpoint says
 * its writer keeps a MAC on its state (see `state_mac_signal.ts`), that is
 * the warning `state_mac_removed` (someone wrote the state file, and its
 * count, which is what shows records cut from the log's end, is theirs);
 * beside an earlier release's log (or the empty one made before the keys)
 * it is only said. Without the key (another user runs verify, the key
 * cannot be read) the MAC is "not checked".
 *
 * What a MAC that verifies shows: a thoth holding the device's audit key
 * wrote that state, not that it is the newest one. An older genuine state
 * file put back, with the log cut to match it and the newer checkpoint
 * notes removed, verifies too; only a checkpoint kept off the device
 * (`verify --anchor`) shows that cut. The report's line says so. Pure: the
 * key comes in.
 *
 * @example
 * ```ts
 * const read = checkStateMac(stateText, { key: stateMacKey(hmacRaw) });
 * const check = withCheckpointSignal(read, newestCheckpointSignal(byNote, intact));
 * const findings = stateMacFindings(check, ".state.json");
 * ```
 */
import type { Finding } from "./finding.ts";
import { parseLogState } from "./log_state.ts";
import type { HmacSha256Key } from "./sha256.ts";
import { stateMacVerifies } from "./state_mac.ts";
import type { StateMacSignal } from "./state_mac_signal.ts";

/** How the state file's MAC was found. */
export type StateMacOutcome =
  /** It verifies: a thoth holding this device's audit key wrote the state. */
  | "verified"
  /** It carries a MAC that does not verify. */
  | "failed"
  /**
   * It carries the MAC of the log's state at an earlier count (`staleSize`),
   * left by a thoth of an earlier release that wrote the log after it, or
   * put back by someone who kept an earlier state file.
   */
  | "stale"
  /** Its count is readable but the rest is not a state a writer can use. */
  | "damaged"
  /** It carries no MAC: it vouches for nothing (an earlier release's state file). */
  | "absent"
  /**
   * It carries no MAC, though the newest intact checkpoint says its writer
   * keeps one (`checkpointSize`): someone wrote it.
   */
  | "removed"
  /** The device's audit key could not be read: nothing was checked. */
  | "not_checked";

/** The outcome, and for `damaged` and `not_checked` why (in words). */
export interface StateMacCheck {
  outcome: StateMacOutcome;
  detail?: string;
  /** For `removed`: the size of the newest intact checkpoint, whose writer keeps a MAC. */
  checkpointSize?: number;
  /** For `stale`: the record count of the earlier state whose MAC the file carries. */
  staleSize?: number;
}

/**
 * The state file `text` (read whole; its count readable, or `verify`
 * reports it lost instead) checked under `key`, or `{ unavailable: why }`
 * when the device's audit key could not be read.
 */
export function checkStateMac(
  text: string,
  key: { key: HmacSha256Key } | { unavailable: string },
): StateMacCheck {
  const state = parseLogState(text);
  if (state === undefined) {
    return { outcome: "damaged", detail: "it is not a state a writer can read" };
  }
  if (state.mac === undefined) return { outcome: "absent" };
  if ("unavailable" in key) return { outcome: "not_checked", detail: key.unavailable };
  return { outcome: stateMacVerifies(key.key, state) ? "verified" : "failed" };
}

/**
 * `check` read against what the newest intact checkpoint of the log says
 * (see `state_mac_signal.ts`): a state without a MAC beside a log whose
 * newest checkpoint's writer keeps one is `removed`; anything else is as read.
 */
export function withCheckpointSignal(
  check: StateMacCheck,
  signal: StateMacSignal | undefined,
): StateMacCheck {
  if (check.outcome !== "absent" || signal?.keepsStateMac !== true) return check;
  return { outcome: "removed", checkpointSize: signal.size };
}

/**
 * `check` once the log was searched for an earlier state whose MAC the
 * state file carries (see `earlier_state_mac.ts`): a `failed` MAC that is
 * one is `stale`; anything else is as read.
 */
export function withStaleMac(check: StateMacCheck, staleSize: number | undefined): StateMacCheck {
  if (check.outcome !== "failed" || staleSize === undefined) return check;
  return { outcome: "stale", staleSize };
}

/** The remedy every finding below ends with. */
const REMEDY =
  "keep the audit folder writable only by the account that runs thoth, and find out who " +
  "changed the file if it was not you";

/** The finding `check` calls for about the state file named `source`; none when it is fine. */
export function stateMacFindings(check: StateMacCheck | undefined, source: string): Finding[] {
  if (check?.outcome === "failed") {
    return [{
      kind: "state_mac_failed",
      severity: "tamper",
      source,
      message: `the writer's state file ${source} carries a MAC that does not verify under ` +
        "this device's audit key: someone other than thoth wrote it (or put back one written " +
        "under another key), and no writer leaves one so. Its count vouches for nothing: " +
        "records cut from the end of the log since the last signed checkpoint, with the count " +
        "rewritten to match, would read the same (only a checkpoint kept off the device shows " +
        "them: thoth audit verify --anchor FILE). The next thoth session that writes the log " +
        "rebuilds the state from the log and records a state_rebuilt record saying its MAC " +
        `did not verify, which verify reports the same way; ${REMEDY}`,
    }];
  }
  if (check?.outcome === "stale") {
    return [staleMacFinding(source, check.staleSize ?? 0)];
  }
  if (check?.outcome === "removed") {
    const size = check.checkpointSize;
    return [{
      kind: "state_mac_removed",
      severity: "warning",
      source,
      message: `the writer's state file ${source} carries no MAC, but the signed checkpoint of ` +
        `size ${size}, the newest the records reproduce, says its writer keeps a MAC on every ` +
        "state it writes: someone wrote the state file (its MAC taken out), so the count it " +
        "gives, which is what shows records cut from the end of the log, is theirs and vouches " +
        "for nothing (unless a writer was stopped between signing that checkpoint and writing " +
        "its state, or a thoth of an earlier release wrote the log after it); the records are " +
        "checked apart from it. Records cut since that checkpoint, with the state rewritten to " +
        "match, would read the same: only a checkpoint kept off the device shows them (thoth " +
        "audit verify --anchor FILE). The next thoth session that writes the log writes the " +
        "state again with a MAC, and names in a tail_taken_in record the records it took in " +
        `that neither a state MAC nor a signed checkpoint it verified vouched for; ${REMEDY}`,
    }];
  }
  if (check?.outcome === "damaged") {
    return [{
      kind: "state_damaged",
      severity: "warning",
      source,
      message: `the writer's state file ${source} is damaged (${check.detail}): no writer ` +
        "leaves it so, so someone edited thoth's state; the records are checked apart from it. " +
        "The next thoth session that writes the log rebuilds the state from the log and " +
        `records a state_rebuilt record saying it was damaged; ${REMEDY}`,
    }];
  }
  return [];
}

/**
 * The warning for a state file (`source`), or the one a `state_rebuilt`
 * record at `seq` kept, whose MAC is the one of the log's state at `size`
 * records.
 */
export function staleMacFinding(source: string, size: number, seq?: number): Finding {
  const what = seq === undefined
    ? `the writer's state file ${source} carries`
    : `a writer found, and rebuilt its state from the log at seq ${seq}, a state file that carried`;
  return {
    kind: "state_mac_stale",
    severity: "warning",
    ...(seq === undefined ? {} : { seq }),
    source,
    message: `${what} the MAC of the log's earlier state at ${size} records, not of the state ` +
      "it gives: a thoth of an earlier release (which keeps no MAC on its state and leaves " +
      "the MAC field it does not know as it was) wrote the log after a thoth of this release, " +
      `or someone put back the MAC of an earlier state file (records from seq ${size} on are ` +
      "vouched for by no MAC): the count it gave vouches for nothing; the records are checked " +
      "apart from it. Records cut since the last signed checkpoint, with the count rewritten to match, " +
      "would read the same: only a checkpoint kept off the device shows them (thoth audit " +
      "verify --anchor FILE). Update or restart every client that still runs thoth of an " +
      "earlier release (its sessions keep the release they started with)" +
      (seq === undefined
        ? "; the next thoth session of this release that writes the log writes the state " +
          "again with a MAC and records a state_rebuilt record saying so"
        : ""),
  };
}

/** The report's line about the state file's MAC. */
export function stateMacLine(check: StateMacCheck): string {
  switch (check.outcome) {
    case "verified":
      return "state file MAC: verified (a thoth holding this device's audit key wrote it; " +
        "that shows it is thoth's, not that it is the newest: an older one put back, with the " +
        "log cut to match, verifies too, and only --anchor shows that cut)";
    case "failed":
      return "state file MAC: does NOT verify under this device's audit key (see state_mac_failed)";
    case "stale":
      return `state file MAC: stale, the one of the log's earlier state at ${check.staleSize} ` +
        "records (a thoth of an earlier release wrote the log after it, see state_mac_stale): " +
        "it vouches for nothing";
    case "damaged":
      return "state file MAC: not checked, the state file is damaged (see state_damaged)";
    case "absent":
      return "state file MAC: none (a state file of an earlier release, or the empty one made " +
        "before the keys: no signed checkpoint the records reproduce says its writer keeps " +
        "one): it vouches for nothing";
    case "removed":
      return `state file MAC: none, though the signed checkpoint of size ${check.checkpointSize} ` +
        "says its writer keeps one (see state_mac_removed): it vouches for nothing";
    case "not_checked":
      return `state file MAC: not checked (${check.detail})`;
  }
}
