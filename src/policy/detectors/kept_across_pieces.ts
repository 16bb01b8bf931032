/**
 * Whether a match found in an array's strings read joined is kept, by the
 * pieces it needs: short capital codes (`["AK", "IA", "ID", …]`) spell AWS
 * key ids by chance, and so do lists of region names after a word a key
 * id's prefix spells (`ASIA`, `ABIA`), and lists of the prefixes of AWS's
 * unique ids as docs and IAM tooling write them (`["AKIA", "AGPA", "AIDA",
 * "AROA", "ANPA"]`). Pure.
 *
 * @example
 * ```ts
 * keptAcross(["ghp_ZRwYhCxzScmYCnVo", "6e5BZSV4M3x0dI4N4KDQ"], 0, 1); // true
 * keptAcross(["AK", "IA", "ID", "AK", "IA", "ID", "AK"], 0, 6); // false (codes)
 * keptAcross(["ASIA", "EUROPE", "AMERICAS", "OC"], 0, 3); // false (no digit after the word)
 * keptAcross(["ASIA", "AMERICAS", "APAC", "FY24"], 0, 3); // false (a digit only at a code's end)
 * keptAcross(["AKIA", "AGPA", "AIDA", "AROA", "ANPA"], 0, 4); // false (a list of prefixes)
 * keptAcross(["ASIA", "KZ7XQ2MNPLRSTUVW"], 0, 1); // true
 * keptAcross(["AKIA", "QWER", "TYUI", "OPAS", "DFGH"], 0, 4); // true (a key id alone)
 * ```
 */

/**
 * Pieces that are words a key's prefix spells (the continent `ASIA`, the
 * Nigerian state `ABIA`, both AWS key id prefixes): such a piece may be a
 * value of its own, so a run of pieces ends with it, and one starts with it
 * again. A match that starts with such a piece counts only when a digit
 * follows it with a letter after it in one of the pieces it needs
 * ({@linkcode holdsKeyBody}): all but about 1 in 20 key ids hold one after
 * their prefix, and a list of region names or codes none
 * (`["ASIA", "EUROPE", "AMERICAS", "OC"]` spells 16 letters after `ASIA`,
 * `["ASIA", "AMERICAS", "APAC", "FY24"]` 16 with a digit at a code's end),
 * so `["ASIA", "KZ7XQ2MNPLRSTUVW"]` is a key id and the names are not.
 */
export const WORD_PIECES = new Set(["ASIA", "ABIA"]);

/**
 * Whether the match `pieces[first, last]` hold is kept: they are not all
 * short codes ({@linkcode codesOnly}) or are a key id alone
 * ({@linkcode wholeKeyId}), and, when the first is a word of
 * {@linkcode WORD_PIECES}, a digit with a letter after it follows it
 * ({@linkcode holdsKeyBody}), and they are no list of prefixes
 * ({@linkcode prefixList}).
 */
export function keptAcross(pieces: readonly string[], first: number, last: number): boolean {
  return (!codesOnly(pieces, first, last) || wholeKeyId(pieces, first, last)) &&
    (!WORD_PIECES.has(pieces[first]!) || holdsKeyBody(pieces, first + 1, last)) &&
    !prefixList(pieces, first, last);
}

/**
 * The prefixes of AWS's unique ids (access keys, users, groups, roles,
 * policies, instance profiles, certificates, public keys), which docs and
 * IAM tooling list together.
 */
const UNIQUE_ID_PREFIXES = new Set([
  "ABIA",
  "ACCA",
  "AGPA",
  "AIDA",
  "AIPA",
  "AKIA",
  "ANPA",
  "ANVA",
  "APKA",
  "AROA",
  "ASCA",
  "ASIA",
]);

/**
 * Whether `pieces[first, last]` are a key id's prefix alone, then pieces
 * made of unique ids' prefixes only (`["AKIA", "AGPA", "AIDA", "AROA",
 * "ANPA"]`, `["AKIA", "AGPAAIDAAROAANPA"]`): a list of them spells a key
 * id's 16 capitals. A key id's random body spells 4 of the 12 prefixes in a
 * row less than once in 2^65 (12 of 32^4 spellings, 4 times over), so every
 * other key id split after its prefix is still kept.
 */
function prefixList(pieces: readonly string[], first: number, last: number): boolean {
  if (!KEY_ID_PREFIXES.has(pieces[first]!)) return false;
  for (let i = first + 1; i <= last; i++) {
    const piece = pieces[i]!;
    if (piece.length === 0 || piece.length % 4 !== 0) return false;
    for (let k = 0; k < piece.length; k += 4) {
      if (!UNIQUE_ID_PREFIXES.has(piece.slice(k, k + 4))) return false;
    }
  }
  return true;
}

/** The longest piece read as a code (`AK`, `USA`, a ticker's `MSFT`). */
const MAX_CODE_CHARS = 4;

/**
 * Whether `pieces[first, last]` are all short codes: 1 to
 * {@linkcode MAX_CODE_CHARS} capital letters (US states, countries,
 * tickers). A list of them spells key ids by chance (`["AK", "IA", "ID",
 * …]` reads `AKIAID…`, `["AS", "IA", …]` `ASIA…`), where all but about
 * 1 in 28 key ids hold a digit after their prefix, in a piece that is no
 * code.
 */
function codesOnly(pieces: readonly string[], first: number, last: number): boolean {
  for (let i = first; i <= last; i++) {
    const piece = pieces[i]!;
    if (piece.length > MAX_CODE_CHARS) return false;
    for (let k = 0; k < piece.length; k++) {
      const code = piece.charCodeAt(k);
      if (code < 65 || code > 90) return false;
    }
  }
  return true;
}

/** The fewest characters of a piece read as part of a key id's body: `B2C` is a code. */
const MIN_BODY_PIECE = 4;

/**
 * Whether one of `pieces[first, last]`, {@linkcode MIN_BODY_PIECE}
 * characters or more, holds a digit with a letter after it (`KZ7XQ2MN`),
 * as a key id's random body does: a list's words and codes hold none, their
 * digits only at their end (`FY24`, `TIER2`, `Q3`), on their own (`2024`)
 * or in a short code (`B2C`). About 1 in 20 key ids split after their
 * prefix hold none either and are not kept: a list's word is no key id's
 * start.
 */
function holdsKeyBody(pieces: readonly string[], first: number, last: number): boolean {
  for (let i = first; i <= last; i++) {
    const piece = pieces[i]!;
    if (piece.length < MIN_BODY_PIECE) continue;
    let digit = false;
    for (let k = 0; k < piece.length; k++) {
      const code = piece.charCodeAt(k);
      if (code >= 48 && code <= 57) digit = true;
      else if (digit && code >= 65 && code <= 90) return true;
    }
  }
  return false;
}

/** The prefixes of AWS access key ids, each a piece of its own in {@linkcode wholeKeyId}. */
const KEY_ID_PREFIXES = new Set(["AKIA", "ASIA", "ABIA", "ACCA"]);
/** An AWS access key id's length: its prefix and 16 characters. */
const KEY_ID_CHARS = 20;

/**
 * Whether `pieces[first, last]` are the whole run and a key id split into
 * pieces with nothing else: its prefix as the first piece (`AKIA`), then
 * pieces of exactly {@linkcode KEY_ID_CHARS} characters in all
 * (`["AKIA", "QWER", "TYUI", "OPAS", "DFGH"]`). A list of codes is that
 * only by chance: a list of states or countries does not start with a
 * 4-letter piece, and one with a piece before or after the key id's is
 * longer.
 */
function wholeKeyId(pieces: readonly string[], first: number, last: number): boolean {
  if (first !== 0 || last !== pieces.length - 1 || !KEY_ID_PREFIXES.has(pieces[0]!)) return false;
  let chars = 0;
  for (const piece of pieces) chars += piece.length;
  return chars === KEY_ID_CHARS;
}
