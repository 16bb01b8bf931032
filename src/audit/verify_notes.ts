/**
 * The signature half of verification: opens every checkpoint note (inside
 * the log, beside it, and the anchor), sorts them into valid checkpoints and
 * findings (bad signature, untrusted key, fork), and checks that each signed
 * checkpoint record sits at the sequence number it signed. Pure.
 *
 * @example
 * ```ts
 * const { valid, findings } = await checkNotes({ keys, checkpoints, anchor }, embedded);
 * ```
 */
import { parseCheckpoint } from "./checkpoint.ts";
import { bytesEqual, toHex } from "./encoding.ts";
import type { Finding } from "./finding.ts";
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
}

/** Opens and sorts every checkpoint note. */
export async function checkNotes(
  options: {
    keys: readonly NoteVerifier[];
    checkpoints?: readonly NoteInput[];
    anchor?: NoteInput;
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
    const at = body?.size ?? seq;
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

  let previous = -1;
  let offset = 0;
  for (const record of [...embedded].sort((a, b) => a.position - b.position)) {
    const cp = validByText.get(record.note);
    if (cp === undefined) continue;
    const shift = record.seq - cp.size;
    if (shift === offset) {
      previous = cp.size;
      continue;
    }
    offset = shift;
    if (record.seq > cp.size) {
      findings.push({
        kind: "inserted",
        severity: "tamper",
        seq: previous + 1,
        toSeq: record.seq - 1,
        source: `log seq ${record.seq}`,
        message: `${record.seq - cp.size} record(s) were inserted between seq ${previous + 1} and ${
          record.seq - 1
        }: the checkpoint signed at size ${cp.size} now sits at seq ${record.seq}`,
      });
    } else if (record.seq < cp.size) {
      findings.push({
        kind: "deleted",
        severity: "tamper",
        seq: previous + 1,
        toSeq: cp.size - 1,
        source: `log seq ${record.seq}`,
        message: `${cp.size - record.seq} record(s) were deleted between seq ${previous + 1} and ${
          cp.size - 1
        } and the rest renumbered: the checkpoint signed at size ${cp.size} now sits at seq ${record.seq}`,
      });
    }
    previous = cp.size;
  }
  return { valid, findings };
}
