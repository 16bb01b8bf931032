/**
 * A PEM private key's lines as an array's elements (`["-----BEGIN PRIVATE
 * KEY-----", "MIIE…", …]`): an element that is a key's header line alone
 * ({@linkcode KEY_HEADER_LINE}) is read joined with the two elements after it
 * ({@linkcode keyLines}), {@linkcode KEY_LINE_READ} characters of each, so
 * that the private key detector sees a key split into lines. Pure.
 *
 * @example
 * ```ts
 * const items = ["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "…"];
 * KEY_HEADER_LINE.test(items[0]); // true
 * keyLines(items, 0); // "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n…"
 * ```
 */

/** A PEM private key's header line alone, as an array of a key's lines holds it. */
export const KEY_HEADER_LINE =
  /^\s*-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*$/;
/** How much of each of the two lines after a key header is read with it. */
const KEY_LINE_READ = 512;

/** A key's header line at `items[at]` joined by line breaks with the one or two strings after it. */
export function keyLines(items: unknown[], at: number): string {
  let joined = items[at] as string;
  for (let k = at + 1; k <= at + 2 && k < items.length; k++) {
    const line = items[k];
    if (typeof line !== "string") break;
    joined += "\n" + line.slice(0, KEY_LINE_READ);
  }
  return joined;
}
