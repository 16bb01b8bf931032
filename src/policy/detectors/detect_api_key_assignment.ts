/**
 * Generic secrets: a value assigned to a secret-sounding name in text, or held
 * under such a key in the arguments.
 *
 * Names: API keys (`api_key`, `x-api-key`, `Ocp-Apim-Subscription-Key`, `secretKey`,
 * `AccountKey`, `signing_key`, an upper-case `OPENAI_KEY`), secrets, tokens,
 * credentials, `Authorization`, passwords (`password`, `passwd`, `pwd`, `pass`,
 * `passphrase`, `DB_PASS`, `MYSQL_PWD`, `dbPass`; not a ticket such as
 * `Boarding Pass` or `season_pass`) and `sig` as a URL query
 * parameter (an Azure SAS signature). Tokens that only name a page, a request or
 * a key in a table (`pageToken`, `NextToken`, `ClientRequestToken`,
 * `idempotencyToken`, `PublicKeyToken`, `CACHE_KEY`, `PUBLIC_KEY`) are not secrets.
 *
 * Syntaxes: `name=…`, `name: …` (up to 40 spaces either side), `name := …`,
 * `'name' => …`, `env["NAME"] = …`, `NAME: str = …`, `<name>…</name>`,
 * `<add key="name" value="…"/>`, `{"name": "NAME", "value": …}`, JSON escaped
 * once or twice, `define('NAME', …)`, and a value after a space when the name is
 * a flag or a snake or kebab identifier (`--password …`, `aws_secret_access_key …`),
 * or after `is`, `is:` or a dash in prose (`the password is …`), where a bare
 * value may end a sentence (`… is Xq9vR2mT8kLp.`) or stand in backticks or
 * parentheses.
 *
 * Values: a secret is at least 16 characters of printable non-space text with
 * letters and digits and at least 3.5 bits per character, maybe after an HTTP
 * scheme word (`Token …`); a password (under a password name) may be 8
 * characters: under a key or quoted in text any printable text that is not
 * prose, bare in text at least three of lower case, upper case, digits and
 * symbols. A value quoted in text is read as it would be under its key.
 * Every secret needs a digit, so text without one is skipped (`digits`).
 * Never a secret: keys published by design (`phc_…`, `pk_live_…`), placeholders (`changeme`, `********`, `<password>`,
 * `${DB_PASSWORD}`, `{{ .Values.x }}`, `%s`, `xxxx`, `redacted`, `example`),
 * references (`arn:…`, `projects/…/secrets/…`, file paths, URLs without a
 * password), and a UUID under a token, credential or auth name (an AWS
 * `ClientToken` is one) other than npm's `_authToken`.
 *
 * This module finds the names and cuts the values; `secret_name_kind.ts` reads
 * what a name says its value is and `secret_value.ts` judges the value.
 *
 * @example
 * ```ts
 * detectApiKeyAssignment("api_key=9fQ2xL7vR4tZ8mK1pW3s", undefined); // true
 * detectApiKeyAssignment("Token 9fQ2xL7vR4tZ8mK1pW3s", "authorization"); // true
 * detectApiKeyAssignment("Tr0ub4dor&3x", "password"); // true
 * detectApiKeyAssignment("api_key=your_api_key_here", undefined); // false
 * detectApiKeyAssignment("1c65cfb6-efc7-49d3-9d00-28627b31d784", "ClientToken"); // false
 * ```
 */
import { keyNamed } from "./key_names.ts";
import { bareSecret, delimitedSecret } from "./secret_value.ts";
import { nameKind } from "./secret_name_kind.ts";

/**
 * A secret-sounding name: up to 40 name characters, then a word it ends in.
 * `pass`, `pwd` and `_key` are narrowed by {@linkcode nameKind}.
 */
const NAME = String.raw`[A-Za-z0-9_.-]{0,40}?(?:api[_ -]?key|apikey|secret|token|passw(?:or)?d|` +
  String.raw`passphrase|pass|pwd|(?:access|private|secret|account|signing|encryption|master|` +
  String.raw`subscription|shared|hmac)[_ -]?key|_key|credentials?|authori[sz]ation|auth|` +
  String.raw`(?<=[?&])sig)s?`;
/** What may stand between a name (and its closing quote) and its value. */
const SEPARATOR = "(" + [
  String.raw`\s{0,3}:\s{0,3}[&A-Za-z][\w.[\]&]{0,30}\s{0,3}=(?![=>])\s{0,40}`, // NAME: str = …
  String.raw`\s{0,40}(?::=|=>|[:=>])\s{0,40}`, // = : := => and > after <name>
  String.raw`(?:\s{0,3},)?\s{0,40}\\{0,3}["']?value\\{0,3}["']?\s{0,3}[:=]\s{0,3}`, // name/value
  String.raw`\s{0,3},\s{0,3}`, // define('NAME', …)
  String.raw`[ \t]{1,3}(?:is:?|[-\u2013\u2014])[ \t]{1,3}`, // the password is (:) …, password - …
  String.raw`[ \t]{1,3}`, // --password …
].join("|") + ")";
/**
 * A value: quoted (spaces allowed, as under a key), quoted with an escaped quote,
 * bare up to white space or a delimiter, or bare in backticks or parentheses
 * (`` the password is `Xq9vR2mT8kLp` ``, `(Xq9vR2mT8kLp)`).
 */
const VALUE =
  String.raw`(?:"([^"\\\r\n]{8,256})|'([^'\\\r\n]{8,256})|\\{1,3}"([^"\\\r\n]{8,256})|` +
  String.raw`([^\s"'\x60\\<>,;&()[\]{}]{8,256})|\x60([^\s"'\x60\\()[\]{}]{8,256})\x60|` +
  String.raw`\(([^\s"'\x60\\<>,;&()[\]{}]{8,256})\))`;
const ASSIGNMENT = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${NAME})(\\{0,3}["'])?\]?${SEPARATOR}${VALUE}`,
  "gi",
);
/** A cheap test before the pattern: text without one of these holds no secret name. */
const HINT = /key|secret|token|pass|pwd|auth|credential|sig=/i;
/**
 * A word every name the pattern reads holds, at most 13 characters into it
 * (`subscription_key`). A match starts at most 41 characters before its name's
 * word, so the pattern is tried only near these words: a long run of name
 * characters far from any (a megabyte of `_`) would otherwise cost it 40 tries
 * a character.
 */
const NAME_WORD = /key|secret|token|pass|pwd|auth|credential|sig/gi;
/** How far before a word (see {@linkcode NAME_WORD}) a match may start, with room to spare. */
const BEFORE_WORD = 64;
/** How far after a word a match may start: a word found inside another (`passwd`, `tokey`). */
const AFTER_WORD = 16;
/** Longer than any match: a name, its quote, the longest separator and a 256-character value. */
const LONGEST_MATCH = 1024;
const KEY_SHAPE = /^[A-Za-z0-9_.-]{2,64}$/;
const isSecretKey = keyNamed((key) => KEY_SHAPE.test(key) && HINT.test(key));
/** A bare `pass` or `pwd` (Go's `--- PASS: TestLogin2FA`, a shell's `PWD`): quoted values only. */
const BARE_PASSWORD = /^-{0,2}(?:pass|pwd)$/i;
const MAX_KEYED_VALUE = 4096;
/** A separator of prose: `the password is …`, `the password is: …`, `password - …`. */
const SPOKEN = /^(?:is:?|[-\u2013\u2014])$/i;
/**
 * A word that says how a thing is made, not what it is, after an algorithm or
 * a size: `SHA256-hashed`, `AES256-encrypted`, `bcrypt-hashed`, `256-bit-encrypted`,
 * or a size alone (`2048-bit`). After any other word a dash may be part of the
 * password (`Blue42-horse`).
 */
const QUALIFIER = new RegExp(
  String.raw`^(?:(?:(?:sha|aes|rsa|md|hmac|pbkdf|blake|des|crc)-?\d*|bcrypt|scrypt|argon2\w*|` +
    String.raw`base\d+|\d+-(?:bit|byte|char(?:acter)?)s?)-[a-z]{3,}|` +
    String.raw`\d+-(?:bits?|bytes?|char(?:acter)?s?|digits?|letters?|words?))[.,;:!?]?$`,
  "i",
);
/** A number and its unit: after `is` or a dash, a rule about a password (`8-16-chars`), not one. */
const MEASURE = new RegExp(
  String.raw`\d-?(?:bits?|bytes?|chars?|characters?|digits?|letters?|words?|symbols?|` +
    String.raw`days?|weeks?|months?|years?|hours?|minutes?|mins?|seconds?|secs?|times?)(?![a-z])`,
  "i",
);
/** A mark of prose after a bare value (`the password is Xq9vR2mT8kLp.`). */
const SENTENCE_END = /[.!?]$/;

/** Whether the separator `sep` fits how the name at `index` was written. */
function separatorFits(text: string, index: number, name: string, closed: boolean, sep: string) {
  const s = sep.trim();
  if (s === ">") {
    // <apiKey>…</apiKey>, <string name="api_key">…</string>
    return closed ? text[index - 2] === "=" : text[index - 1] === "<";
  }
  if (s === ",") return closed;
  if (s === "") return !closed && /^-|[A-Za-z0-9][_-]/.test(name);
  // `…:secret:prod/…` is a segment of an ARN or URN, not an assignment.
  return !(s === ":" && sep === ":" && text[index - 1] === ":");
}

/** Whether the pattern's match `m`, at `index` in `text`, assigns a secret. */
function assignedSecret(text: string, index: number, m: RegExpExecArray): boolean {
  const name = m[1] as string;
  const sep = m[3] as string;
  const quoted = m[4] ?? m[5] ?? m[6];
  // A bare value, maybe in backticks or parentheses.
  const bare = (m[7] ?? m[8] ?? m[9]) as string;
  // Every secret has a digit (see `candidate`): prose after a name (`password is
  // required`) is passed over before the name is read.
  if (!/[0-9]/.test(quoted ?? bare)) return false;
  const kind = /^sigs?$/i.test(name) ? "key" : nameKind(name);
  const end = index + m[0].length;
  if (
    kind === undefined || !separatorFits(text, index, name, m[2] !== undefined, sep) ||
    (quoted === undefined && (BARE_PASSWORD.test(name) || /::|->/.test(bare))) ||
    (m[7] !== undefined && text[end] === "(") ||
    (name === "PASS" && sep.trim() === ":")
  ) return false;
  const s = sep.trim();
  if (quoted !== undefined) return delimitedSecret(kind, name, quoted);
  // After "is" or a dash a word of prose may follow (`the password is SHA256-hashed`).
  const spoken = SPOKEN.test(s);
  if (spoken && (QUALIFIER.test(bare) || MEASURE.test(bare))) return false;
  const spaced = s === "" || spoken;
  if (bareSecret(kind, name, bare, spaced, spoken)) return true;
  // A sentence may end just after the value: read it without its last mark too.
  const unmarked = bare.slice(0, -1);
  return m[7] !== undefined && SENTENCE_END.test(bare) && unmarked.length >= 8 &&
    bareSecret(kind, name, unmarked, spaced, spoken);
}

/** Whether `text` holds a secret assigned to a secret-sounding name. */
export function detectApiKeyAssignment(text: string, key: string | undefined): boolean {
  if (key !== undefined && isSecretKey(key)) {
    const kind = nameKind(key);
    if (kind !== undefined && text.length <= MAX_KEYED_VALUE && delimitedSecret(kind, key, text)) {
      return true;
    }
  }
  if (text.length < 11 || !HINT.test(text)) return false;
  // The pattern runs over windows around the name words, as one scan of the whole
  // text would: `resume` is where that scan would go on.
  let resume = 0;
  NAME_WORD.lastIndex = 0;
  let word = NAME_WORD.exec(text);
  while (word !== null) {
    const first = word.index;
    let last = first;
    word = NAME_WORD.exec(text);
    while (word !== null && word.index - BEFORE_WORD <= last + AFTER_WORD + LONGEST_MATCH) {
      last = word.index;
      word = NAME_WORD.exec(text);
    }
    const start = Math.max(resume, first - BEFORE_WORD);
    const lastStart = last + AFTER_WORD;
    if (start > lastStart) continue;
    // One character before the window, for the pattern's look-behind.
    const base = Math.max(0, start - 1);
    const window = text.slice(base, Math.min(text.length, lastStart + LONGEST_MATCH));
    ASSIGNMENT.lastIndex = start - base;
    for (let m = ASSIGNMENT.exec(window); m !== null; m = ASSIGNMENT.exec(window)) {
      if (base + m.index > lastStart) break;
      if (assignedSecret(text, base + m.index, m)) return true;
      // A URL may carry a secret of its own (`?token=…`): read on inside it.
      const value = (m[4] ?? m[5] ?? m[6] ?? m[7] ?? m[8] ?? m[9]) as string;
      const query = value.includes("://") ? value.indexOf("?") : -1;
      if (query > 0) ASSIGNMENT.lastIndex = m.index + m[0].length - value.length + query;
      resume = base + ASSIGNMENT.lastIndex;
    }
  }
  return false;
}
