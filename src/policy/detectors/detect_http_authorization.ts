/**
 * HTTP Authorization credentials: `Bearer <token>` or `Basic <credentials>`,
 * alone (`{"Authorization": "Bearer …"}`), in a header line or inside a
 * command (`curl -H "Authorization: Bearer …"`). The scheme word must stand
 * alone, followed by one run of at least 16 token68 characters (letters,
 * digits, `-._~+/`, then `=` padding) and no more. A bearer token must then
 * look generated: letters and digits, at least 3 bits per character, and none
 * of the usual placeholders; basic credentials must be base64 of
 * `user:password` in UTF-8. So "Bearer of bad news", `Bearer YOUR_ACCESS_TOKEN` or
 * `Basic authentication_required` do not count. A bearer token without a
 * digit is missed (about one random 16-character token in fifteen, far fewer
 * of the longer ones).
 *
 * @example
 * ```ts
 * detectHttpAuthorization("Bearer 9fQ2xL7vR4tZ8mK1pW3sB5nC", undefined); // true
 * detectHttpAuthorization("Basic YWxhZGRpbjpvcGVuc2VzYW1l", undefined); // true
 * detectHttpAuthorization("Bearer of bad news", undefined); // false
 * ```
 */
import { shannonEntropy } from "./shannon_entropy.ts";

const SCHEME = /(?:bearer|basic) /i;
const CREDENTIAL = /(?<![\w-])(bearer|basic) {1,3}([A-Za-z0-9\-._~+/]{16,}=*)(?![\w\-.~+/=])/gi;
const PLACEHOLDER =
  /change_?me|example|placeholder|dummy|redacted|your[_-]|xxxx|0123456|1234567|abcdefg/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const UTF8 = new TextDecoder("utf-8", { fatal: true });
const MAX_TOKEN = 8192;

function bearerToken(token: string): boolean {
  return /[0-9]/.test(token) && /[A-Za-z]/.test(token) && !PLACEHOLDER.test(token) &&
    shannonEntropy(token) >= 3;
}

function basicCredentials(token: string): boolean {
  if (token.length % 4 !== 0 || !BASE64.test(token)) return false;
  let decoded: string;
  try {
    decoded = UTF8.decode(Uint8Array.from(atob(token), (c) => c.charCodeAt(0)));
  } catch {
    return false; // not base64, or not UTF-8 text once decoded
  }
  return userPassword(decoded);
}

/** Whether `text` reads as `user:password`: a colon, a password after it, no control characters. */
function userPassword(text: string): boolean {
  const colon = text.indexOf(":");
  if (colon < 0 || colon === text.length - 1) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** Whether `text` holds an HTTP `Bearer` or `Basic` credential. */
export function detectHttpAuthorization(text: string, _key: string | undefined): boolean {
  // Look for a scheme word before running the expression (one pass, far cheaper than a match).
  if (!SCHEME.test(text)) return false;
  for (const m of text.matchAll(CREDENTIAL)) {
    const token = m[2] as string;
    if (token.length > MAX_TOKEN) continue;
    const basic = (m[1] as string).toLowerCase() === "basic";
    if (basic ? basicCredentials(token) : bearerToken(token)) return true;
  }
  return false;
}
