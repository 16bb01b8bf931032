/**
 * The names a record keeps in clear that come from the client or the model,
 * not from thoth or the server: a resource's URI, a prompt's name, a tool
 * name no `tools/list` named, a request id the client chose. The secret, PII
 * and PHI detectors read each (the same detectors that read a call's
 * arguments, whose values a record keeps only as keyed digests), and a piece
 * they flag is written as `#k:` with the first 8 hex digits of its keyed
 * digest (the form the argument shape gives a key that may not be shown)
 * and its length in parentheses: `#k:1a2b3c4d(40)`. Two records that name
 * the same piece show the same digest, and no one without the device key
 * can read it back.
 *
 * A name is hidden whole. A URI is hidden a piece at a time, its pieces being
 * what lies between its `/`s (a scheme before the first, `mailto:` or
 * `urn:`, is kept): first each piece flagged on its own (an AWS key id as a
 * folder name, a patient's SSN as a folder name, an email address in a
 * storage key); then each piece flagged only after the one before it, read
 * as `label value` (`/mrn/00123456/`, `/dob/1970-01-02/`): the value alone
 * is hidden; then each piece beside one a secret detector flagged that
 * looks generated as a secret does ({@linkcode GENERATED_CHARS} characters
 * or more, {@linkcode GENERATED_BITS} bits of entropy each or more: the AWS
 * secret key after its key id, which no detector flags alone); then, while
 * the URI as a whole is still flagged (a webhook URL, a secret only with its
 * host), the first piece left whose hiding alone clears it, longest first
 * (the detectors say what they found, not where); failing that, the longest
 * pieces left, one by one; a URI still flagged then is hidden whole. The
 * authority (`host:port` after `//`) is hidden only when flagged on its
 * own: a bucket or host name that merely looks generated is kept, as are a
 * commit SHA, a UUID or a Drive id away from any secret. An ordinary URI is
 * read twice: as it is, and with its `/`s read as spaces (which is how a
 * label and its value in two pieces are seen). Only the first {@linkcode READ_CHARS}
 * characters are read (a record keeps fewer); a longer URI ends in `…` after
 * them. Pure: the digest is passed in.
 *
 * @example
 * ```ts
 * const digest = (piece: string) => hmacHex(piece); // the device key's HMAC of the piece's JSON
 * redactedUri("s3://bucket/AKIAQ3EGRBPSXLYH7TNU/data.csv", digest);
 * // "s3://bucket/#k:1a2b3c4d(20)/data.csv"
 * redactedUri("file:///srv/patients/078-05-1121/chart.pdf", digest);
 * // "file:///srv/patients/#k:9c0d1e2f(11)/chart.pdf"
 * redactedName("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", digest); // "#k:5e6f7a8b(40)"
 * redactedName("get-weather", digest); // "get-weather"
 * ```
 */
import type { DetectorKind } from "../policy/detectors/finding.ts";
import { scanArguments } from "../policy/detectors/scan_arguments.ts";
import { shannonEntropy } from "../policy/detectors/shannon_entropy.ts";

/**
 * The keyed digest (hex) of a piece: the device audit key's HMAC-SHA256 of
 * its canonical JSON, as `KeyDigests.redactSync` takes it; `""` when there is
 * no key (the piece then shows its length alone).
 */
export type PieceDigest = (piece: string) => string;

/** The most characters of a name or URI the detectors read (a record keeps 256 or 512). */
export const READ_CHARS = 1024;

/** The detectors that read these names: a secret, or a person's or patient's data. */
const READERS: ReadonlySet<DetectorKind> = new Set(["secret", "pii", "phi"]);
/** The detectors whose flagged piece may have a generated companion beside it. */
const SECRETS: ReadonlySet<DetectorKind> = new Set(["secret"]);

/** A piece of a URI beside one that carries a secret, this long or longer … */
export const GENERATED_CHARS = 16;
/** … with this many bits of entropy per character or more looks generated (as a secret's value does). */
export const GENERATED_BITS = 3.5;

/** How a hidden piece begins (as a hidden key of an argument shape does). */
const HIDDEN = "#k:";

/** A URI's scheme, kept before its first piece. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Whether the detectors of `kinds` flag `text`. */
function flagged(text: string, kinds: ReadonlySet<DetectorKind> = READERS): boolean {
  return scanArguments(text, { kinds, maxChars: READ_CHARS * 2 }).findings.length > 0;
}

/** Whether a piece beside one that carries a secret looks generated (see the module's note). */
function looksGenerated(piece: string): boolean {
  return piece.length >= GENERATED_CHARS && shannonEntropy(piece) >= GENERATED_BITS;
}

/** `#k:`, the first 8 hex digits of `piece`'s digest and its length: `#k:1a2b3c4d(40)`. */
export function hiddenPiece(piece: string, digest: PieceDigest): string {
  return `${HIDDEN}${digest(piece).slice(0, 8)}(${piece.length})`;
}

/** `name`, or its hidden form when the detectors flag it (see the module's note). */
export function redactedName(name: string, digest: PieceDigest): string {
  const read = name.length > READ_CHARS ? name.slice(0, READ_CHARS) : name;
  return flagged(read) ? hiddenPiece(name, digest) : name;
}

/**
 * `uri` (already without user info, query and fragment) with each piece
 * the detectors need to flag it hidden (see the module's note).
 */
export function redactedUri(uri: string, digest: PieceDigest): string {
  const longer = uri.length > READ_CHARS;
  const read = longer ? `${uri.slice(0, READ_CHARS)}…` : uri;
  if (!flagged(read) && !flagged(read.replaceAll("/", " "))) return uri;
  const whole = read.split("/");
  const scheme = SCHEME.exec(whole[0]!)?.[0] ?? "";
  // What each piece is without the scheme, and where the authority is (`scheme://authority/`).
  const pieces = whole.map((piece, i) => i === 0 ? piece.slice(scheme.length) : piece);
  const authority = scheme !== "" && pieces[0] === "" && pieces[1] === "" && whole.length > 2
    ? 2
    : -1;
  const shown = whole.slice();
  const hidden = new Set<number>();
  const hide = (i: number) => {
    shown[i] = `${i === 0 ? scheme : ""}${hiddenPiece(pieces[i]!, digest)}`;
    hidden.add(i);
  };
  const secrets: number[] = [];
  pieces.forEach((piece, i) => {
    if (piece === "" || !flagged(piece)) return;
    hide(i);
    if (flagged(piece, SECRETS)) secrets.push(i);
  });
  // A value whose label is the piece before it (`mrn/00123456`): the value alone is hidden.
  pieces.forEach((piece, i) => {
    const label = pieces[i - 1];
    if (piece === "" || label === undefined || label === "" || i === authority) return;
    if (hidden.has(i) || hidden.has(i - 1)) return;
    if (flagged(`${label} ${piece}`)) hide(i);
  });
  for (const i of secrets) {
    for (const beside of [i - 1, i + 1]) {
      const piece = pieces[beside];
      if (piece === undefined || beside === authority || hidden.has(beside)) continue;
      if (looksGenerated(piece)) hide(beside);
    }
  }
  const left = pieces.flatMap((piece, i) =>
    piece === "" || i === authority || hidden.has(i) ? [] : [i]
  );
  // Longest first; of two as long, the later (a token tends to follow its host and route).
  left.sort((a, b) => pieces[b]!.length - pieces[a]!.length || b - a);
  let text = shown.join("/");
  if (!flagged(text)) return text;
  // The one piece that carries what is flagged (a webhook's token), when one does.
  for (const i of left) {
    const alone = shown.slice();
    alone[i] = `${i === 0 ? scheme : ""}${hiddenPiece(pieces[i]!, digest)}`;
    const tried = alone.join("/");
    if (!flagged(tried)) return tried;
  }
  for (const i of left) {
    if (!flagged(text)) return text;
    hide(i);
    text = shown.join("/");
  }
  return flagged(text) ? hiddenPiece(uri, digest) : text;
}
