/**
 * PEM private key blocks (PKCS#1, PKCS#8, EC, DSA, OpenSSH, encrypted, PGP):
 * the `-----BEGIN … PRIVATE KEY-----` line followed by key material. Public
 * keys and certificates do not count, nor does the header line quoted alone.
 * Up to 64 line breaks and blanks may separate the header from the key, so a
 * key indented in a YAML block scalar or followed by blank `\r\n` lines still
 * counts; the line breaks may also be written as the two characters `\n` (or
 * `\r\n`), as a key pasted into a `.env` file or a JSON string keeps them.
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
 * detectPrivateKey("LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVF", undefined); // true
 * detectPrivateKey("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC", undefined); // false
 * ```
 */

const BLOCK =
  /-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:\s|\\{1,2}[rnt]){0,64}(?:[A-Za-z0-9+/=]{16}|Proc-Type:|Version:|Comment:)/;

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

/** Whether `text` holds a PEM private key, as text or base64-encoded. */
export function detectPrivateKey(text: string, _key: string | undefined): boolean {
  if (text.includes("PRIVATE KEY") && BLOCK.test(text)) return true;
  // Each of the three spellings of `-----BEGIN ` holds "LS0t", the base64 of `---`.
  return text.includes("LS0t") && BASE64_BLOCK.test(text);
}
