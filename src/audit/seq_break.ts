/**
 * Where a log's records stop being numbered by their place: a writer gives
 * record N seq N, so a record whose seq is not its place follows a deleted
 * record (its seq is larger) or an inserted or repeated one (smaller). A
 * writer must not chain onto such a log (its next record would repeat a seq
 * the log holds), and an export must not cut a bundle from it (its seq range
 * would name records by their place). Both refuse with
 * {@linkcode chainBrokenError}; `thoth audit verify` names what changed.
 * The check is pure; a line that is no record is left to the verifier.
 *
 * @example
 * ```ts
 * seqBreak([0, 1, 2, 3, 4, 6, 7]); // { place: 5, seq: 6, next: 7 }
 * seqBreak([0, undefined, 2]); // undefined
 * ```
 */
import { AppError } from "../errors.ts";

/** The first record whose seq is not its place in the log. */
export interface SeqBreak {
  /** Its place in the log (0-based, counting every line). */
  place: number;
  /** The seq it claims. */
  seq: number;
  /** The seq the record after it claims, when there is one with a valid seq. */
  next?: number;
}

/**
 * The first place whose record claims another seq, or `undefined` when every
 * record's seq is its place (`undefined` entries are lines that are no
 * record, or hold no whole-number seq: not judged here).
 */
export function seqBreak(seqs: readonly (number | undefined)[]): SeqBreak | undefined {
  for (let place = 0; place < seqs.length; place++) {
    const seq = seqs[place];
    if (seq !== undefined && seq !== place) {
      const next = seqs[place + 1];
      return next === undefined ? { place, seq } : { place, seq, next };
    }
  }
  return undefined;
}

/** The seq a parsed record claims, when it is a whole number (a negative one is none). */
export function seqOf(record: Record<string, unknown> | undefined): number | undefined {
  const seq = record?.["seq"];
  return typeof seq === "number" && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

/**
 * What the break shows, in words: "seq 5 is missing", "seq 17 is there
 * twice", or, when the record after it carries the seq that follows its
 * place (its own seq was changed where it stands), "claims seq 500 instead
 * of 5".
 */
export function describeBreak(found: SeqBreak): string {
  if (found.next === found.place + 1) {
    return `the record at place ${found.place}${
      found.place === 0 ? "" : ` (after seq ${found.place - 1})`
    } claims seq ${found.seq} instead of ${found.place}, and the record after it carries seq ${found.next}: its seq was changed where it stands`;
  }
  return found.seq > found.place
    ? `${
      found.place === 0 ? "the first record" : `the record after seq ${found.place - 1}`
    } claims seq ${found.seq}: ${
      found.seq - found.place === 1
        ? `seq ${found.place} is missing`
        : `seq ${found.place}..${found.seq - 1} are missing`
    }`
    : `the record at place ${found.place} claims seq ${found.seq}, which an earlier record holds`;
}

/**
 * The refusal of a writer or an export over a log whose records are not
 * numbered without gaps: `audit.chain_broken`, naming the break and
 * `thoth audit verify`, then `next` (what else can be done). Nothing was
 * written.
 */
export function chainBrokenError(
  dir: string,
  found: SeqBreak,
  refused: string,
  next: string,
): AppError {
  return new AppError(
    "audit.chain_broken",
    `the audit log in "${dir}" is damaged: ${describeBreak(found)}; ${refused}`,
    {
      hints: [
        'run "thoth audit verify" to see every change, and keep the log as it is: it is the evidence',
        next,
      ],
    },
  );
}

/** What a writer refused by {@linkcode chainBrokenError} leaves a person to do. */
export function writerRemedy(dir: string): string {
  return `to write evidence again, move "${dir}" away and keep it: the next session starts a new log and records that the old one is gone`;
}
