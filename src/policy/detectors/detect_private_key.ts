/**
 * PEM private key blocks (PKCS#1, PKCS#8, EC, DSA, OpenSSH, encrypted, PGP):
 * the `-----BEGIN … PRIVATE KEY-----` line followed by key material. Public
 * keys and certificates do not count, nor does the header line quoted alone.
 * The line breaks may also be written as the two characters `\n` (or
 * `\r\n`), as a key pasted into a `.env` file or a JSON string keeps them.
 *
 * @example
 * ```ts
 * detectPrivateKey("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", undefined); // true
 * detectPrivateKey("-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIBkg4LVWM9nuwNSk3yBx", undefined); // true
 * detectPrivateKey("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC", undefined); // false
 * ```
 */

const BLOCK =
  /-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:\s|\\{1,2}[rn]){0,4}(?:[A-Za-z0-9+/=]{16,}|Proc-Type:|Version:|Comment:)/;

/** Whether `text` holds a PEM private key. */
export function detectPrivateKey(text: string, _key: string | undefined): boolean {
  return text.includes("PRIVATE KEY") && BLOCK.test(text);
}
