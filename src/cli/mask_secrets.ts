/**
 * API keys a rewrite takes out of a config, shown by fingerprint wherever
 * printed text (a dry run's diff, the report) would hold them.
 */
import { createScanner } from "jsonc-parser";
import { secretFingerprint } from "../identity/secret_fingerprint.ts";

/** Keys this long are masked wherever they stand; shorter ones only as a whole string. */
const ANYWHERE_LENGTH = 8;

/**
 * `text` with every secret in `secrets` (an `--api-key` value the plan takes
 * out) shown as `<api key, fingerprint 1a2b3c4d>` instead (see
 * {@linkcode secretFingerprint}), in one pass over `text`:
 * - a JSON string whose value, once decoded (so an escaped key is found
 *   too), is the secret, or `--api-key=` and the secret (the flag's other
 *   form), is written again with the placeholder;
 * - a secret of {@linkcode ANYWHERE_LENGTH} or more characters is masked
 *   wherever else it stands too: inside a longer string (`"Bearer KEY"`,
 *   written again if only its escaped form holds it), in a comment, in the
 *   report's words. So long a key does not occur by chance;
 * - a shorter secret that is only part of other text (a key such as `"1"`
 *   inside a path, a word of the report) is not the key there, and is left.
 *
 * A placeholder is never scanned again. Lines without a secret are kept byte
 * for byte, so the diff of two masked texts is the diff of the texts.
 *
 * @example
 * ```ts
 * maskSecrets('"args": ["--api-key", "sk-live-1"]', ["sk-live-1"]);
 * // '"args": ["--api-key", "<api key, fingerprint …>"]'
 * maskSecrets('"AUTH": "Bearer sk-live-1" // sk-live-1', ["sk-live-1"]);
 * // '"AUTH": "Bearer <api key, fingerprint …>" // <api key, fingerprint …>'
 * ```
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const known = new Set(secrets.filter((secret) => secret !== ""));
  if (known.size === 0) return text;
  const FLAG = "--api-key=";
  const shown = (secret: string) => `<api key, fingerprint ${secretFingerprint(secret)}>`;
  const masked = (value: string): string | undefined => {
    if (known.has(value)) return shown(value);
    const flagged = value.startsWith(FLAG) ? value.slice(FLAG.length) : undefined;
    return flagged !== undefined && known.has(flagged) ? FLAG + shown(flagged) : undefined;
  };
  // The long keys, longest first (at one place the longest wins); one regex pass never
  // looks at what it put in.
  const long = [...known].filter((secret) => secret.length >= ANYWHERE_LENGTH)
    .sort((a, b) => b.length - a.length);
  const pattern = long.map((secret) => secret.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")).join("|");
  const anywhere = long.length === 0 ? undefined : new RegExp(pattern, "g");
  const holdsLong = new RegExp(pattern);
  const inPlace = (part: string) =>
    anywhere === undefined ? part : part.replace(anywhere, (secret) => shown(secret));
  // jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read.
  const STRING_LITERAL = 10;
  const EOF = 17;
  const scanner = createScanner(text, false);
  let out = "";
  let at = 0;
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind !== STRING_LITERAL) continue;
    const value = scanner.getTokenValue();
    const offset = scanner.getTokenOffset();
    const raw = text.slice(offset, offset + scanner.getTokenLength());
    let replacement = masked(value);
    // A long key its escapes hide (`sk-\u006cive-…`) is not in the raw text: the string is
    // written again. Else the raw text is masked in place, with what stands around it.
    if (
      replacement === undefined && anywhere !== undefined && holdsLong.test(value) &&
      raw !== JSON.stringify(value)
    ) {
      replacement = inPlace(value);
    }
    if (replacement === undefined) continue;
    out += inPlace(text.slice(at, offset)) + JSON.stringify(replacement);
    at = offset + raw.length;
  }
  return out + inPlace(text.slice(at));
}
