/**
 * PEM private key blocks (PKCS#1, PKCS#8, EC, DSA, OpenSSH, encrypted, PGP):
 * the `-----BEGIN … PRIVATE KEY-----` line followed by key material. Public
 * keys and certificates do not count, nor does the header line quoted alone,
 * nor a block whose body is filler (one character repeated on every line,
 * `XXXX…`, as templates write it; see `filler_token.ts`).
 * Up to 64 line breaks and blanks may separate the header from the key, so a
 * key indented in a YAML block scalar or followed by blank `\r\n` lines still
 * counts; the line breaks may also be written as the two characters `\n` (or
 * `\r\n`), as a key pasted into a `.env` file or a JSON string keeps them.
 *
 * A key written into source code or a document counts too: its lines as
 * string literals joined by `+` or `.`, set side by side, or listed in an
 * array (`"…KEY-----\n" +\n"MIIE…"`, `["…KEY-----","MIIE…"]`), behind a
 * comment or quote marker (`# `, `// `, ` * `, `; `, `% `, `> `, `- `), or
 * broken with `<br>` or `&#10;`. Up to 256 characters of such punctuation
 * and white space may then separate the header from the key, whose first line
 * must follow a quote, a marker or a break directly, run 40 characters of
 * base64 or more and hold a digit, `+` or `/` within its first 64, and not
 * read as a path: a header quoted in code that parses keys
 * (`if line == "-----BEGIN RSA PRIVATE KEY-----":`), the identifier that
 * comes next, and a command that searches a folder for keys
 * (`grep -rl '-----BEGIN PRIVATE KEY-----' '/srv/app/certs'`) do not count.
 * A PuTTY key file (`PuTTY-User-Key-File-2:` … `Private-Lines: 14` and the
 * key's lines) counts as well.
 *
 * A PEM key is also found base64-encoded, as Kubernetes stores it
 * (`client-key-data: LS0tLS1CRUdJTi…` in a kubeconfig, `tls.key: …` in a
 * Secret): the header's base64 at any of the three positions it can take in a
 * base64 stream, followed by at least 15 bytes' worth of text.
 *
 * @example
 * ```ts
 * detectPrivateKey("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", undefined); // true
 * detectPrivateKey("-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIBkg4LVWM9nuwNSk3yBx", undefined); // true
 * detectPrivateKey("tls.key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEowIBAAKCAQEA", undefined); // true
 * detectPrivateKey('k = "-----BEGIN EC PRIVATE KEY-----\\n" +\n  "MHcCAQEEIBkg4LVWM9nuwNSk3yBxqmZ0uGSM49AwEHoUQDQgAE"', undefined); // true
 * detectPrivateKey("grep -rl -- '-----BEGIN PRIVATE KEY-----' '/srv/app/config/certs'", undefined); // false
 * detectPrivateKey("LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVF", undefined); // true
 * detectPrivateKey('if line == "-----BEGIN RSA PRIVATE KEY-----":', undefined); // false
 * detectPrivateKey("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC", undefined); // false
 * ```
 */

const HEADER = "-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----";
/**
 * What follows the header in a PEM file: the key (its first 16 characters
 * captured), or an encrypted or PGP key's headers.
 */
const BLOCK = new RegExp(
  HEADER +
    String.raw`(?:\s|\\{1,2}[rnt]){0,64}(?:([A-Za-z0-9+/=]{16})|Proc-Type:|Version:|Comment:)`,
  "g",
);
/** One piece of the gap: white space, an escaped line break or line continuation, a mark, a break. */
const WRITTEN_GAP = String.raw`\s|\\{1,2}[rnt]|\\(?=\r?\n)|["'\x60+.,;%()[\]#/>*-]|` +
  String.raw`<[bB][rR]\s{0,2}\/?>|&#(?:0*1[03]|[xX]0*[aAdD]);|&NewLine;`;
/** What the key starts right after: a quote, a comment or quote marker, an HTML break. */
const WRITTEN_OPENER = String.raw`["'\x60]|(?:[#>*;%-]|\/\/)[ \t]{0,4}|` +
  String.raw`(?:<[bB][rR]\s{0,2}\/?>|&#(?:0*1[03]|[xX]0*[aAdD]);|&NewLine;)\s{0,8}`;
/**
 * A written key's first line: at least 40 characters of base64 (a PEM line
 * holds 64, an OpenSSH line 70, and a key's first line is always full), with
 * a digit, `+` or `/` within 64 (an identifier of letters alone has none).
 * Not a path, which those characters also spell: none starts with `/` (a
 * key's first character is `M` for DER, `b` for OpenSSH, `l` or `x` for PGP),
 * none has two lowercase segments between slashes (`/ssl/private/`) in its
 * first 64 characters, and none is lowercase letters, digits and slashes alone
 * (`srv/app/config/certs`).
 */
const WRITTEN_BODY = String.raw`(?!\/)(?![A-Za-z0-9+/=]{0,40}\/[a-z0-9]{1,24}\/[a-z0-9]{1,24}\/)` +
  String.raw`(?![a-z0-9/]{40})(?=[A-Za-z=]{0,63}[0-9+/])[A-Za-z0-9+/=]{40}`;
/**
 * The same key written in source code or a document. Each piece of the gap
 * can be read one way only (white space, an escaped line break, a backslash
 * that continues a line, one punctuation mark, an HTML break), so a failed
 * match backtracks at most 256 steps. The key must start right after a
 * quote, a comment or quote marker, or an HTML break, and read as a key's
 * first line (see {@linkcode WRITTEN_BODY}).
 */
const WRITTEN = new RegExp(
  `${HEADER}(?:${WRITTEN_GAP}){0,256}(?<=${WRITTEN_OPENER})` +
    `(?:${WRITTEN_BODY}|Proc-Type:|Version:|Comment:)`,
);
/** One base64 character of a key's body. */
const BASE64_CHAR = /^[A-Za-z0-9+/]$/;
/** A PuTTY `.ppk` file's first line. */
const PUTTY_FIRST_LINE = /PuTTY-User-Key-File-[1-9]:/;
/**
 * Its private lines' count followed by them, tried where each
 * `Private-Lines:` starts: one expression run over the whole text would add
 * up backtracks at every near miss.
 */
const PUTTY_PRIVATE_LINES =
  /Private-Lines:[ \t]*\d{1,4}(?:\s|\\{1,2}[rnt]){1,8}[A-Za-z0-9+/=]{16}/y;

/**
 * The characters of base64 fixed by `-----BEGIN ` when it starts at byte 0,
 * 1 or 2 of a 3-byte group (`btoa("-----BEGIN ")`, then `btoa("\0" + …)`
 * without its first 2 characters, `btoa("\0\0" + …)` without its first 3, each
 * without the last character, which depends on the next byte).
 */
const BASE64_BEGIN = ["LS0tLS1CRUdJTi", "0tLS0tQkVHSU4g", "tLS0tLUJFR0lOI"] as const;
/** The same for `PRIVATE KEY`: `PUBLIC KEY` and `CERTIFICATE` share none of it. */
const BASE64_PRIVATE_KEY = ["UFJJVkFURSBLRV", "BSSVZBVEUgS0VZ", "QUklWQVRFIEtFW"] as const;
/**
 * A type word of up to 16 bytes (`ENCRYPTED `, `OPENSSH `) fits in the gap,
 * and 20 characters (15 bytes) follow: the rest of the header and some key,
 * so a base64-encoded header alone does not count. Both alphabets: `+/` and `-_`.
 */
const BASE64_BLOCK = new RegExp(
  `(?:${BASE64_BEGIN.join("|")})[A-Za-z0-9+/_-]{0,24}(?:${
    BASE64_PRIVATE_KEY.join("|")
  })[A-Za-z0-9+/_-]{20}`,
);

/** Whether `text` holds a PEM private key (as text or base64-encoded) or a PuTTY key. */
export function detectPrivateKey(text: string, _key: string | undefined): boolean {
  if (text.includes("PRIVATE KEY") && (pemBlock(text) || WRITTEN.test(text))) return true;
  if (text.includes("Private-Lines:") && PUTTY_FIRST_LINE.test(text) && hasPuttyKey(text)) {
    return true;
  }
  // Each of the three spellings of `-----BEGIN ` holds "LS0t", the base64 of `---`.
  return text.includes("LS0t") && BASE64_BLOCK.test(text);
}

/** Whether a `Private-Lines:` line of `text` is followed by key material. */
function hasPuttyKey(text: string): boolean {
  const marker = "Private-Lines:";
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) {
    PUTTY_PRIVATE_LINES.lastIndex = at;
    if (PUTTY_PRIVATE_LINES.test(text)) return true;
  }
  return false;
}

/** Whether a PEM block of `text` holds a key, not filler (`XXXX…` lines: see `filler_token.ts`). */
function pemBlock(text: string): boolean {
  for (const m of text.matchAll(BLOCK)) {
    if (m[1] === undefined || !fillerBody(text, m.index + m[0].length - 16)) return true;
  }
  return false;
}

/**
 * Whether the key body starting at `start` is one base64 character repeated
 * over every line, up to the first character that is no base64, `=`
 * padding, white space or escaped line break (`-----END …`, a quote). A body
 * with one other character anywhere, a real key after a filler line too, is
 * no filler. Stops at the first difference, so the bodies the scan reads do
 * not overlap: linear in `text`.
 */
function fillerBody(text: string, start: number): boolean {
  const filler = text.charCodeAt(start);
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === filler || c === 0x3d || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      continue;
    }
    if (c === 0x5c) {
      // An escaped line break: `\n`, `\\n`, `\r`, `\t`.
      let j = i + 1;
      if (text.charCodeAt(j) === 0x5c) j++;
      const e = text.charCodeAt(j);
      if (e === 0x6e || e === 0x72 || e === 0x74) {
        i = j;
        continue;
      }
      return true;
    }
    return !BASE64_CHAR.test(text[i] as string);
  }
  return true;
}
