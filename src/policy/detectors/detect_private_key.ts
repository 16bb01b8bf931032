/**
 * PEM private key blocks (PKCS#1, PKCS#8, EC, DSA, OpenSSH, encrypted, PGP):
 * the `-----BEGIN … PRIVATE KEY-----` line followed by key material. Public
 * keys and certificates do not count, nor does the header line quoted alone.
 *
 * @example
 * ```ts
 * detectPrivateKey("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", undefined); // true
 * detectPrivateKey("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC", undefined); // false
 * ```
 */

const BLOCK =
  /-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s{0,3}(?:[A-Za-z0-9+/=]{16,}|Proc-Type:|Version:|Comment:)/;

/** Whether `text` holds a PEM private key. */
export function detectPrivateKey(text: string, _key: string | undefined): boolean {
  return text.includes("PRIVATE KEY") && BLOCK.test(text);
}
