/**
 * HTTP Authorization credentials: `Bearer <token>` or `Basic <credentials>`,
 * alone (`{"Authorization": "Bearer …"}`), in a header line or inside a
 * command (`curl -H "Authorization: Bearer …"`), and any other scheme word
 * (`Token`, Okta's `SSWS`, `Splunk`) after an `Authorization` header name or
 * under an `Authorization` key. The scheme word must stand alone, followed by
 * spaces or tabs and one run of at least 16 token68 characters (letters,
 * digits, `-._~+/`, then `=` padding) and no more. A bearer token must then
 * look generated: letters and digits, at least 3 bits per character, and none
 * of the usual placeholders; a token after another scheme word must also be
 * mixed case or a quarter digits (hex keys, UUIDs), which words joined by `_`
 * are not; basic credentials must be base64 of `user:password` in UTF-8. So
 * "Bearer of bad news", `Bearer YOUR_ACCESS_TOKEN` or `Basic
 * authentication_required` do not count. A bearer token without a digit is
 * missed (about one random 16-character token in fifteen, far fewer of the
 * longer ones).
 *
 * @example
 * ```ts
 * detectHttpAuthorization("Bearer 9fQ2xL7vR4tZ8mK1pW3sB5nC", undefined); // true
 * detectHttpAuthorization("Basic YWxhZGRpbjpvcGVuc2VzYW1l", undefined); // true
 * detectHttpAuthorization("Authorization: Token 9944b09199c62bcf9418ad84", undefined); // true
 * detectHttpAuthorization("SSWS 00QCjAl4MlV-WPXM9Y4p7m2kLrT0", "Authorization"); // true
 * detectHttpAuthorization("Bearer of bad news", undefined); // false
 * ```
 */
import { shannonEntropy } from "./shannon_entropy.ts";
import { keyNamed } from "./key_names.ts";

/** A cheap test before the patterns: a scheme word, or a header name. */
const HINT = /b(?:earer|asic)[ \t]|authori[sz]ation/i;
const CREDENTIAL = /(?<![\w-])(bearer|basic)[ \t]{1,3}([A-Za-z0-9\-._~+/]{16,}=*)(?![\w\-.~+/=])/gi;
/** `Authorization: <scheme> <credential>` in text, any scheme word, the name maybe quoted. */
const HEADER = new RegExp(
  String.raw`(?<![A-Za-z])authori[sz]ation\\?["']?[ \t]{0,3}[:=][ \t]{0,3}\\?["']?[ \t]{0,3}` +
    String.raw`([A-Za-z0-9-]{2,20})[ \t]{1,3}([A-Za-z0-9\-._~+/]{16,}=*)(?![\w\-.~+/=])`,
  "gi",
);
/** A key whose value is a whole Authorization header (`Authorization`, `Proxy-Authorization`). */
const HEADER_KEY = /(?<![A-Za-z])authori[sz]ation$/i;
const isHeaderKey = keyNamed((key) => HEADER_KEY.test(key));
const HEADER_VALUE = /^\s*([A-Za-z0-9-]{2,20})[ \t]{1,3}([A-Za-z0-9\-._~+/]{16,}=*)\s*$/;
const PLACEHOLDER =
  /change_?me|example|placeholder|dummy|redacted|your[_-]|xxxx|0123456|1234567|abcdefg/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const UTF8 = new TextDecoder("utf-8", { fatal: true });
const MAX_TOKEN = 8192;

function bearerToken(token: string): boolean {
  return /[0-9]/.test(token) && /[A-Za-z]/.test(token) && !PLACEHOLDER.test(token) &&
    shannonEntropy(token) >= 3;
}

/** A token after a scheme word other than Bearer: generated, and mixed case or a quarter digits. */
function schemeToken(token: string): boolean {
  if (!bearerToken(token)) return false;
  if (/[a-z]/.test(token) && /[A-Z]/.test(token)) return true;
  return (token.match(/[0-9]/g)?.length ?? 0) * 4 >= token.length;
}

/** Whether `token`, written after the scheme word `scheme`, is a credential. */
function credential(scheme: string, token: string): boolean {
  if (token.length > MAX_TOKEN) return false;
  switch (scheme.toLowerCase()) {
    case "basic":
      return basicCredentials(token);
    case "bearer":
      return bearerToken(token);
    default:
      return schemeToken(token);
  }
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

/** Whether `text` holds an HTTP Authorization credential (`key`: the key it is under). */
export function detectHttpAuthorization(text: string, key: string | undefined): boolean {
  if (key !== undefined && isHeaderKey(key) && text.length <= MAX_TOKEN) {
    const m = HEADER_VALUE.exec(text);
    if (m !== null && credential(m[1] as string, m[2] as string)) return true;
  }
  // Look for a scheme word or header name before running the expressions (one pass, far
  // cheaper than a match).
  if (!HINT.test(text)) return false;
  for (const m of text.matchAll(CREDENTIAL)) {
    if (credential(m[1] as string, m[2] as string)) return true;
  }
  for (const m of text.matchAll(HEADER)) {
    if (credential(m[1] as string, m[2] as string)) return true;
  }
  return false;
}
