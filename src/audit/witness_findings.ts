/**
 * What the writer's own counts say about the records read: a `state_rebuilt`
 * record's kept count and last leaf hash, and (for the device's own log) the
 * state file beside it and whether the keys made with the log are there. A
 * witness can only add findings: records lost, a last record that is not the
 * one counted, a state file that was forged, no log at all. It never vouches
 * for anything.
 *
 * A last leaf hash that differs from the log's record, or a Merkle frontier
 * that is not the one the log's records give, is either a record replaced or
 * a state file forged. It is the state file only when the record is proven
 * as it was: a signed checkpoint whose root the records reproduce covers it
 * (one signed before the writer rebuilt the state, for a kept state, and one
 * that covers that state_rebuilt record too, or the record may be made up).
 * The state's own frontier is no proof: whoever forges the state file writes
 * it too. Unproven, it is `modified`, "replaced, or the state file was
 * forged". Either way it is tampering. Pure.
 *
 * @example
 * ```ts
 * const findings = witnessFindings({
 *   local, rebuilt, records: 35, logSize: 35, checkpointNotes: 3, leafAt,
 *   intact: [10, 20, 30], frontierAt: () => undefined,
 * });
 * ```
 */
import { toHex } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { lostRecordsFinding } from "./lost_records.ts";
import { insideUnnamedBatch, pendingVouch } from "./pending_batch.ts";
import { pastTheCountFinding } from "./past_the_count.ts";
import type { LocalTraces } from "./local_traces.ts";
import type { RebuiltWitness } from "./rebuilt_witness.ts";
import { emptyLogFinding } from "./empty_log_finding.ts";

/** The findings the witnesses call for. */
export function witnessFindings(input: {
  local?: LocalTraces;
  rebuilt: readonly RebuiltWitness[];
  /** Records read. */
  records: number;
  logSize: number;
  /** Checkpoint notes stored beside the log (valid or not). */
  checkpointNotes: number;
  /** The leaf hash of the record read at `seq`, when there is one. */
  leafAt: (seq: number) => Uint8Array | undefined;
  /** The sizes of the signed checkpoints (trusted keys) whose roots the records reproduce. */
  intact: readonly number[];
  /** The Merkle frontier (hex, largest first) of the records' first `size` leaves, when known. */
  frontierAt: (size: number) => readonly string[] | undefined;
  /**
   * The records already show a change (the chain breaks, or a signed
   * checkpoint's root is not theirs): a state's frontier that is not theirs
   * then says nothing more, and is not reported again.
   */
  recordsChanged?: boolean;
  /** The seqs of the decision and approval records from `from` to before `to`. */
  gatingIn?: (from: number, to: number) => number[];
}): Finding[] {
  const { local, records, logSize, leafAt } = input;
  const findings: Finding[] = [];
  /**
   * The smallest intact checkpoint that covers the records before `to`
   * (signed before seq `upTo`, when given): the only proof that they are as
   * they were. A state's own frontier is no proof: whoever forges the state
   * file writes the frontier too.
   */
  const coveredBy = (to: number, upTo?: number): number | undefined => {
    const covering = input.intact.filter((size) =>
      size >= to && (upTo === undefined || size <= upTo)
    );
    return covering.length === 0
      ? undefined
      : covering.reduce((min, size) => size < min ? size : min);
  };
  /** Whether an intact checkpoint covers the state_rebuilt record at `seq` itself. */
  const recordCovered = (seq: number): number | undefined => coveredBy(seq + 1);
  const FORGED_REMEDY =
    "someone other than thoth wrote the state file: keep the audit folder writable only by the account that runs thoth, and keep a checkpoint off the device (thoth audit checkpoint --export FILE, then thoth audit verify --anchor FILE)";
  const notLast = (
    seq: number,
    last: string,
    source: string,
    by: string,
    forged: {
      frontier?: readonly string[];
      upTo?: number;
      what: string;
      then: string;
      rebuiltAt?: number;
    },
  ): boolean => {
    const leaf = leafAt(seq);
    if (leaf === undefined || toHex(leaf) === last) return false;
    const size = coveredBy(seq + 1, forged.upTo);
    const rebuiltAt = forged.rebuiltAt;
    if (size === undefined) {
      const held = forged.frontier === undefined ? undefined : input.frontierAt(seq + 1);
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq,
        source,
        message:
          `the record at seq ${seq} is not the one ${by} counted as its last (its leaf hash differs): it was replaced, or the state file was forged; no signed checkpoint ${
            forged.upTo === undefined ? "" : `from before seq ${forged.upTo} `
          }covers that record, so nothing shows which${
            held !== undefined && sameList(held, forged.frontier!)
              ? " (the state's own Merkle frontier commits to the record the log holds, not to the one it names as the last: either way someone other than thoth wrote the state file)"
              : ""
          }`,
      });
      return true;
    }
    const proven = `the signed checkpoint of size ${size} covers that record as the log holds it`;
    if (rebuiltAt !== undefined && recordCovered(rebuiltAt) === undefined) {
      // The record is as it was, but nothing shows a writer wrote the
      // state_rebuilt record that says a state file named another.
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq: rebuiltAt,
        source,
        message: `the state_rebuilt record at seq ${rebuiltAt} says a state file counted ${
          seq + 1
        } record(s) and named as the last a leaf hash that is not the one of the record at seq ${seq}, and ${proven}: a writer found a forged state file there, or the state_rebuilt record was made up; no signed checkpoint covers the state_rebuilt record, so nothing shows which`,
      });
      return true;
    }
    findings.push({
      kind: "state_forged",
      severity: "tamper",
      seq,
      source,
      message: `${forged.what} was forged: it counted ${
        seq + 1
      } record(s) and named as the last a leaf hash that is not the one of the record at seq ${seq}, but ${proven}, so the records verify as unmodified and no writer wrote that state; ${forged.then}; ${FORGED_REMEDY}`,
    });
    return true;
  };
  /**
   * A state whose last record is the log's, but whose Merkle frontier is
   * not the log's: the state file was forged, and the records are proven as
   * they were only where an intact checkpoint covers every subtree whose
   * hash differs; past that, a record replaced (and the last made to match)
   * reads the same.
   */
  const wrongFrontier = (
    counted: number,
    frontier: readonly string[] | undefined,
    source: string,
    forged: { upTo?: number; what: string; then: string; rebuiltAt?: number },
  ): void => {
    if (frontier === undefined || input.recordsChanged === true) return;
    const held = input.frontierAt(counted);
    if (held === undefined || sameList(held, frontier)) return;
    const differing = subtrees(counted).filter((_, i) => held[i] !== frontier[i]);
    const unproven = differing.find(([, to]) => coveredBy(to, forged.upTo) === undefined);
    if (unproven !== undefined) {
      const covered = input.intact.reduce(
        (max, size) =>
          (forged.upTo === undefined || size <= forged.upTo) && size > max ? size : max,
        0,
      );
      const from = Math.max(unproven[0], Math.min(covered, unproven[1] - 1));
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq: from,
        toSeq: unproven[1] - 1,
        source,
        message: `the records at seq ${from}..${
          unproven[1] - 1
        } are not those ${forged.what} committed to with its Merkle frontier of ${counted} records, though its last record is the log's: they were replaced (and the last made to match), or the state file was forged; no signed checkpoint ${
          forged.upTo === undefined ? "" : `from before seq ${forged.upTo} `
        }covers them, so nothing shows which`,
      });
      return;
    }
    const last = differing[differing.length - 1]!;
    const size = coveredBy(last[1], forged.upTo)!;
    const rebuiltAt = forged.rebuiltAt;
    const what =
      `its Merkle frontier of ${counted} records is not the one the log's records give, though it names the log's last record, and the signed checkpoint of size ${size} covers the records the differing hashes commit to (seq ${
        differing[0]![0]
      }..${last[1] - 1})`;
    if (rebuiltAt !== undefined && recordCovered(rebuiltAt) === undefined) {
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq: rebuiltAt,
        source,
        message:
          `the state_rebuilt record at seq ${rebuiltAt} says of the state file a writer found that ${what}: a writer found a forged state file there, or the state_rebuilt record was made up; no signed checkpoint covers the state_rebuilt record, so nothing shows which`,
      });
      return;
    }
    findings.push({
      kind: "state_forged",
      severity: "tamper",
      seq: counted - 1,
      source,
      message:
        `${forged.what} was forged: ${what}, so the records verify as unmodified and no writer wrote that state (a frontier that is not the log's would make every checkpoint signed over it fail to verify); ${forged.then}; ${FORGED_REMEDY}`,
    });
  };
  for (const w of input.rebuilt) {
    // A writer that rebuilds the state records it right after the records it found
    // (and after a torn tail it cut): it cannot have found more than came before it.
    if (w.size > w.seq) {
      findings.push({
        kind: "modified",
        severity: "tamper",
        seq: w.seq,
        source: `log seq ${w.seq}`,
        message:
          `the state_rebuilt record at seq ${w.seq} says the log held ${w.size} records, more than the ${w.seq} before it: no writer wrote it`,
      });
      continue;
    }
    // A count above the log's is reported as lost (lost_records.ts); the
    // seqs past it were reused by later records, so only an equal or smaller
    // count names a record that must still be the same.
    if (w.counted > 0 && w.counted <= w.size) {
      const kept = {
        ...(w.frontier === undefined ? {} : { frontier: w.frontier }),
        upTo: w.seq,
        rebuiltAt: w.seq,
        what:
          `the state file a writer found before seq ${w.seq} (kept in its state_rebuilt record)`,
        then:
          `the writer rebuilt its state from the log there, and the chain goes on from the log's records`,
      };
      if (
        !notLast(w.counted - 1, w.last, `log seq ${w.seq}`, `the state kept at seq ${w.seq}`, kept)
      ) {
        wrongFrontier(w.counted, w.frontier, `log seq ${w.seq}`, kept);
      }
    }
  }
  if (local === undefined) return findings;

  const state = local.state;
  if (typeof state === "object") {
    if (state.size > logSize) {
      // A writer that already found the loss recorded it; this state file is
      // then the one from before, read while that writer worked.
      if (!input.rebuilt.some((w) => w.counted === state.size && w.size <= w.seq)) {
        findings.push(lostRecordsFinding({
          counted: state.size,
          holds: logSize,
          checkpointSize: state.checkpointSize,
          source: local.stateSource,
        }));
      }
    } else {
      const before = findings.length;
      if (state.size > 0) {
        const file = {
          ...(state.frontier === undefined ? {} : { frontier: state.frontier }),
          what: `the state file ${local.stateSource}`,
          then:
            `the next writer (thoth run, or thoth audit checkpoint) rebuilds it from the log and records the mismatch`,
        };
        if (!notLast(state.size - 1, state.last, local.stateSource, "the state file", file)) {
          wrongFrontier(state.size, state.frontier, local.stateSource, file);
        }
      }
      // Records past a count the state's MAC vouches for: a writer's intent must vouch for them.
      const end = logSize > state.size ? leafAt(logSize - 1) : undefined;
      if (findings.length === before && local.stateMacVerified === true && end !== undefined) {
        const vouched = pendingVouch(local.pending, state, { size: logSize, last: toHex(end) });
        if (vouched !== logSize) {
          // A kill in the middle of an earlier release's large write: its intent names no leaf to check.
          const insideLargeBatch = insideUnnamedBatch(local.pending, state, logSize);
          findings.push(pastTheCountFinding({
            counted: state.size,
            logSize,
            gating: input.gatingIn?.(state.size, logSize) ?? [],
            source: local.stateSource,
            ...(insideLargeBatch ? { insideLargeBatch } : {}),
          }));
        }
      }
    }
  }
  if (records > 0) {
    if (state === "missing" || state === "empty" || state === "unreadable") {
      findings.push({
        kind: "state_lost",
        severity: "warning",
        source: local.stateSource,
        message: `the writer's state file is ${
          state === "unreadable"
            ? `unreadable${local.stateProblem === undefined ? "" : ` (${local.stateProblem})`}`
            : state
        }: nothing shows how many records the log held, so records cut from its end would go unnoticed (thoth never removes it; the next writer rebuilds it and records that)`,
      });
    }
    return findings;
  }
  if (findings.length > 0) return findings;
  const empty = emptyLogFinding(local, input.checkpointNotes);
  if (empty !== undefined) findings.push(empty);
  return findings;
}

/** The `[from, to)` leaf ranges of the perfect subtrees of a frontier of `size`, largest first. */
function subtrees(size: number): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) {
    if (Math.floor(size / bit) % 2 === 1) {
      out.push([from, from + bit]);
      from += bit;
    }
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((h, i) => h === b[i]);
}
