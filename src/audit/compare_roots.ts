/**
 * The Merkle half of verification: compares each validly signed checkpoint
 * with the root the stored records give at its size, and says what each
 * comparison proves. A checkpoint past the end of a device's log means
 * records were removed; past the end of a bundle, it is the anchor of a later
 * state that a slice cannot be checked against. A checkpoint at the size a
 * bundle starts from is compared with the start frontier's root; one before
 * it cannot be checked at all. Pure.
 *
 * @example
 * ```ts
 * const { findings, anchor, matched } = compareRoots({ valid, roots, logSize, firstBreak, startSize: 0, startRoot, bundle: false });
 * ```
 */
import { bytesEqual } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import type { ValidCheckpoint } from "./verify_notes.ts";

/** What became of the anchor. */
export type AnchorOutcome =
  /** Its root is the log's root at its size. */
  | "matched"
  /** Its root is not: the log's history differs from what it signed. */
  | "mismatch"
  /** The log ends before it: records were removed. */
  | "truncated"
  /** A bundle holds no records at its size (it is after the end or before the start). */
  | "not_checkable"
  /** Its signature did not verify under a trusted key. */
  | "unverified"
  /** It is signed only by a key the bundle does not list: nothing was checked against it. */
  | "unknown_key";

/** The comparisons' findings, the anchor's outcome, and the sizes whose roots matched. */
export interface RootComparison {
  findings: Finding[];
  /** `null` when no anchor was given. */
  anchor: { size: number; outcome: AnchorOutcome } | null;
  /**
   * Sizes from the start on whose signed root equals the computed one (at
   * the start, the start frontier's), ascending.
   */
  matched: number[];
}

/** Compares signed roots with computed ones. */
export function compareRoots(input: {
  valid: readonly ValidCheckpoint[];
  /** Computed roots by size, for the sizes after the start that the records reach. */
  roots: ReadonlyMap<number, Uint8Array>;
  logSize: number;
  /** The first seq a structural finding names: roots after it are expected to differ. */
  firstBreak: number;
  startSize: number;
  /** The root of the tree before the first record (from the start frontier). */
  startRoot: Uint8Array | undefined;
  /** Whether the records are a bundle (a slice of a log) rather than a device's whole log. */
  bundle: boolean;
  /** Whether an anchor was given. */
  anchorGiven: boolean;
  /** The size the anchor states, read whether or not its signature verifies. */
  anchorSize?: number;
  /** The anchor is signed only by a key the bundle does not list. */
  anchorKeyUnknown?: boolean;
}): RootComparison {
  const { roots, logSize, firstBreak, startSize, bundle } = input;
  const findings: Finding[] = [];
  const matched: number[] = [];
  let anchor: RootComparison["anchor"] = input.anchorGiven
    ? {
      size: input.anchorSize ?? 0,
      outcome: input.anchorKeyUnknown ? "unknown_key" : "unverified",
    }
    : null;
  let truncatedTo = logSize;
  let truncatedSources: string[] = [];
  let reportedRewrite = false;
  for (const cp of [...input.valid].sort((a, b) => a.size - b.size)) {
    const isAnchor = cp.sources.some((s) => s.startsWith("anchor "));
    const setAnchor = (outcome: AnchorOutcome): void => {
      if (isAnchor) anchor = { size: cp.size, outcome };
    };
    if (cp.size > logSize) {
      if (bundle && isAnchor) {
        setAnchor("not_checkable");
        findings.push(unchecked(
          cp,
          `the anchor at size ${cp.size} is past the end of this bundle (its records end before seq ${logSize}): a bundle cannot be checked against a later checkpoint; verify the device's log with --anchor, or export a bundle that reaches seq ${cp.size}`,
        ));
        continue;
      }
      setAnchor("truncated");
      if (cp.size > truncatedTo) {
        truncatedTo = cp.size;
        truncatedSources = cp.sources;
      }
      continue;
    }
    if (cp.size < startSize) {
      if (isAnchor) {
        setAnchor("not_checkable");
        findings.push(unchecked(
          cp,
          `the anchor at size ${cp.size} is before the start of this bundle (its records start at seq ${startSize}): nothing in the bundle can be checked against it; use an anchor taken at size ${startSize} or later`,
        ));
      }
      continue;
    }
    if (cp.size === startSize) {
      if (input.startRoot !== undefined && bytesEqual(input.startRoot, cp.root)) {
        setAnchor("matched");
        matched.push(cp.size);
        continue;
      }
      setAnchor("mismatch");
      findings.push({
        kind: isAnchor ? "fork" : "modified",
        severity: "tamper",
        seq: startSize,
        source: cp.sources.join(", "),
        message: isAnchor
          ? `the anchor at size ${cp.size} does not match the tree this bundle starts from (manifest.json "start"): the bundle's history was rewritten`
          : `the tree this bundle starts from (manifest.json "start") does not match the signed checkpoint at size ${cp.size}`,
      });
      continue;
    }
    const computed = roots.get(cp.size);
    if (computed !== undefined && bytesEqual(computed, cp.root)) {
      setAnchor("matched");
      matched.push(cp.size);
      continue;
    }
    setAnchor("mismatch");
    if (cp.size > firstBreak || reportedRewrite) continue;
    reportedRewrite = true;
    // A stored checkpoint narrows a change to after the last size matched below
    // this one. Against the anchor none does: they are on the device, and a
    // history re-signed with its key matches them all (one at the anchor's own
    // size too), so the fork covers every record up to the anchor's size.
    const from = isAnchor
      ? startSize
      : matched.reduce((max, size) => size < cp.size && size > max ? size : max, startSize);
    const last = cp.size - 1;
    findings.push({
      kind: isAnchor ? "fork" : "modified",
      severity: "tamper",
      seq: from,
      ...(last > from ? { toSeq: last } : {}),
      source: cp.sources.join(", "),
      message: isAnchor
        ? `the log does not extend the anchor checkpoint at size ${cp.size}: its history was rewritten (a fork)`
        : `${
          last > from
            ? `records ${from}..${last} no longer match`
            : `record ${from} no longer matches`
        } the signed checkpoint at size ${cp.size}: a record was changed and the chain recomputed`,
    });
  }
  if (truncatedTo > logSize) {
    findings.push({
      kind: "truncated",
      severity: "tamper",
      seq: logSize,
      toSeq: truncatedTo - 1,
      source: truncatedSources.join(", "),
      message: `the log ends before seq ${logSize} but ${
        truncatedSources.some((s) => s.startsWith("anchor "))
          ? "the anchor given (a checkpoint kept off the device)"
          : "a signed checkpoint"
      } covers ${truncatedTo} records: records ${logSize}..${truncatedTo - 1} were removed`,
    });
  }
  return { findings, anchor, matched };
}

function unchecked(cp: ValidCheckpoint, message: string): Finding {
  return {
    kind: "anchor_unchecked",
    severity: "warning",
    seq: cp.size,
    source: cp.sources.join(", "),
    message,
  };
}
