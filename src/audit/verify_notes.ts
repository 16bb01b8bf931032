/**
 * The signature half of verification: opens every checkpoint note (inside
 * the log, beside it, and the anchor) and sorts them into valid checkpoints
 * and findings (bad signature, untrusted key, fork); then
 * {@linkcode placementFindings} checks that each signed checkpoint record
 * sits at the sequence number it signed. Pure.
 *
 * @example
 * ```ts
 * const { valid, findings, byNote } = await checkNotes({ keys, checkpoints, anchor }, embedded);
 * const moved = placementFindings(embedded, byNote, { startSeq: 0, intact: [11, 21] });
 * ```
 */
import { parseCheckpoint, statedCheckpoint } from "./checkpoint.ts";
import { bytesEqual, toHex } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { CHECKPOINT_PATTERN } from "./log_paths.ts";
import { type NoteVerifier, openNote } from "./signed_note.ts";
import type { EmbeddedCheckpoint } from "./record_facts.ts";

/** A note and where it came from. */
export interface NoteInput {
  source: string;
  note: string;
}

/** A checkpoint whose signature verified under a trusted key. */
export interface ValidCheckpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** Every place it was found; the anchor's source starts with `"anchor "`. */
  sources: string[];
}

/** Valid checkpoints and what was wrong with the others. */
export interface NoteCheck {
  valid: ValidCheckpoint[];
  findings: Finding[];
  /** Each valid checkpoint by the exact text of its note. */
  byNote: ReadonlyMap<string, ValidCheckpoint>;
}

/** Opens and sorts every checkpoint note. */
export async function checkNotes(
  options: {
    keys: readonly NoteVerifier[];
    checkpoints?: readonly NoteInput[];
    anchor?: NoteInput;
    /**
     * The records are a bundle: an anchor past its records (see `end`)
     * signed only by keys it does not know (not in `known`) is
     * `anchor_key_unknown`, not tampering.
     */
    bundle?: boolean;
    /** `<name>+<key hash>` of every key the evidence names (see `KeyTrust.known`). */
    known?: readonly string[];
    /**
     * The tree size after the records' last one. An anchor at or below it
     * was signed while the records were written, by a key they must name
     * (its rotation is among them, or their keys file lists it): an unknown
     * key there is tampering, never `anchor_key_unknown`.
     */
    end?: number;
  },
  embedded: readonly EmbeddedCheckpoint[],
): Promise<NoteCheck> {
  const inputs: (NoteInput & { seq?: number })[] = [
    ...embedded.map((e) => ({ source: `log seq ${e.seq}`, note: e.note, seq: e.seq })),
    ...(options.checkpoints ?? []),
    ...(options.anchor
      ? [{ source: `anchor ${options.anchor.source}`, note: options.anchor.note }]
      : []),
  ];
  const byText = new Map<string, { sources: string[]; seq?: number }>();
  for (const input of inputs) {
    const entry = byText.get(input.note);
    if (entry) entry.sources.push(input.source);
    else {byText.set(input.note, {
        sources: [input.source],
        ...(input.seq !== undefined ? { seq: input.seq } : {}),
      });}
  }
  const findings: Finding[] = [];
  const valid: ValidCheckpoint[] = [];
  const validByText = new Map<string, ValidCheckpoint>();
  for (const [text, { sources, seq }] of byText) {
    const opened = await openNote(text, options.keys);
    const body = opened ? parseCheckpoint(opened.text) : undefined;
    const where = sources.join(", ");
    const at = body?.size ?? seq ?? statedCheckpoint(text)?.size ?? sizeInName(sources);
    const seqField = at !== undefined ? { seq: at } : {};
    if (opened === undefined || body === undefined) {
      findings.push({
        kind: "bad_signature",
        severity: "tamper",
        ...seqField,
        source: where,
        message: `${where} is not a well-formed signed checkpoint`,
      });
      continue;
    }
    if (opened.verified.length === 0) {
      const bad = opened.invalid.length > 0;
      const names = (bad ? opened.invalid : opened.unknown).map((s) => `${s.name}+${s.keyHash}`);
      const known = options.known;
      if (
        options.bundle === true && !bad && known !== undefined &&
        options.end !== undefined && body.size > options.end &&
        sources.every((s) => s.startsWith("anchor ")) && !names.some((n) => known.includes(n))
      ) {
        findings.push(anchorKeyUnknown(body.size, where, names));
        continue;
      }
      findings.push({
        kind: bad ? "bad_signature" : "unknown_key",
        severity: "tamper",
        ...seqField,
        source: where,
        message: bad
          ? `the checkpoint at size ${body.size} (${where}) has a signature by ${
            names.join(", ")
          } that does not verify`
          : `the checkpoint at size ${body.size} (${where}) is signed only by untrusted key ${
            names.join(", ")
          }: neither the device's first key, the anchor's key, nor a key a trusted key endorsed in a key rotation record`,
      });
      continue;
    }
    const checkpoint = { origin: body.origin, size: body.size, root: body.root, sources };
    valid.push(checkpoint);
    validByText.set(text, checkpoint);
  }

  const bySize = new Map<number, ValidCheckpoint>();
  for (const cp of valid) {
    const other = bySize.get(cp.size);
    if (other === undefined) {
      bySize.set(cp.size, cp);
    } else if (!bytesEqual(other.root, cp.root)) {
      findings.push({
        kind: "fork",
        severity: "tamper",
        seq: cp.size,
        source: [...other.sources, ...cp.sources].join(", "),
        message: `two validly signed checkpoints at size ${cp.size} disagree (roots ${
          toHex(other.root).slice(0, 16)
        }… and ${toHex(cp.root).slice(0, 16)}…): the log was forked or rewritten`,
      });
    }
  }

  return { valid, findings, byNote: validByText };
}

/**
 * Checks that each validly signed checkpoint record sits where it signed: a
 * record at seq N carrying the checkpoint of size M ≠ N, its seq agreeing
 * with its place among the records, means M - N records were deleted (or
 * N - M inserted) before it and the rest renumbered. A record whose seq does
 * not agree with its place is the chain analysis's to name. A range starts
 * after the previous checkpoint record found in place, or at the largest
 * size whose signed root the records reproduce (`intact`), whichever is later.
 */
export function placementFindings(
  embedded: readonly EmbeddedCheckpoint[],
  byNote: ReadonlyMap<string, ValidCheckpoint>,
  options: { startSeq: number; intact: readonly number[] },
): Finding[] {
  const { startSeq } = options;
  const findings: Finding[] = [];
  const intactBelow = (limit: number): number =>
    options.intact.reduce((max, size) => size < limit && size > max ? size : max, startSeq);
  let previous = { size: startSeq - 1, seq: startSeq - 1 };
  let offset = 0;
  for (const record of [...embedded].sort((a, b) => a.position - b.position)) {
    const cp = byNote.get(record.note);
    if (cp === undefined || record.seq !== startSeq + record.position) continue;
    const shift = record.seq - cp.size;
    const delta = shift - offset;
    offset = shift;
    if (delta > 0) {
      const to = record.seq - 1;
      const from = Math.min(to, Math.max(previous.seq + 1, intactBelow(record.seq)));
      findings.push({
        kind: "inserted",
        severity: "tamper",
        seq: from,
        ...(to > from ? { toSeq: to } : {}),
        source: `log seq ${record.seq}`,
        message: `${delta} record(s) were inserted ${
          range(from, to)
        }: the checkpoint signed at size ${cp.size} now sits at seq ${record.seq}`,
      });
    } else if (delta < 0) {
      const to = cp.size - 1;
      const from = Math.min(to, Math.max(previous.size + 1, intactBelow(cp.size)));
      findings.push({
        kind: "deleted",
        severity: "tamper",
        seq: from,
        ...(to > from ? { toSeq: to } : {}),
        source: `log seq ${record.seq}`,
        message: `${-delta} record(s) were deleted ${
          range(from, to)
        } and the rest renumbered: the checkpoint signed at size ${cp.size} now sits at seq ${record.seq}`,
      });
    }
    previous = { size: cp.size, seq: record.seq };
  }
  return findings;
}

/**
 * An anchor given with a bundle, past its records, signed only by keys the
 * bundle names nowhere: a key the device rotated to after the export,
 * another device's, or keys replaced in the bundle; which one, nothing here
 * tells.
 */
function anchorKeyUnknown(size: number, where: string, names: readonly string[]): Finding {
  const keys = names.join(", ");
  return {
    kind: "anchor_key_unknown",
    severity: "unverified",
    seq: size,
    source: where,
    message:
      `the anchor at size ${size} (${where}) is signed by key ${keys}, which this bundle does not list (neither its keys file nor a key rotation it carries names it), so nothing in the bundle was checked against the anchor. That alone is no proof of a change: the device may have rotated to that key after the bundle was exported, or the anchor is another device's; but a bundle whose keys were replaced looks the same, so it is not verified. Check that ${keys} is in keys/audit-signing-keys.json on the device that signed the anchor; then supply the key with the bundle: export the bundle again on that device (thoth audit export), which lists every key it used up to the export and carries the rotations to it, and verify that bundle with --anchor; or verify the device's own log with --anchor`,
  };
}

function range(from: number, to: number): string {
  return to > from ? `between seq ${from} and ${to}` : `at seq ${from}`;
}

/** The size a checkpoint file's name states (`cp-000000000011.note`). */
function sizeInName(sources: readonly string[]): number | undefined {
  for (const source of sources) {
    const match = CHECKPOINT_PATTERN.exec(source.slice(source.lastIndexOf("/") + 1));
    if (match !== null) return Number(match[1]);
  }
  return undefined;
}
