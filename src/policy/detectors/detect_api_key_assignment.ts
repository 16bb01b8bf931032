/**
 * Generic secrets: a high-entropy value assigned to a secret-sounding name
 * (`api_key=…`, `"client_secret": "…"`, `AUTH_TOKEN: …`), or a high-entropy
 * value under such a key in the arguments (`{"apiKey": "…"}`, `{"x-api-key":
 * "…"}`, `{"Authorization": "Token …"}`; an HTTP scheme word such as `Bearer`
 * or `Token` before the value is skipped). High entropy
 * means at least 16 characters, at least 3.5 bits per character, and both
 * letters and digits, which placeholders such as `your_api_key_here` or `changeme123…` lack.
 * Pagination tokens (`pageToken`, `next_token`, `cursor`) are not secrets.
 *
 * @example
 * ```ts
 * detectApiKeyAssignment("api_key=9fQ2xL7vR4tZ8mK1pW3s", undefined); // true
 * detectApiKeyAssignment("Token 9fQ2xL7vR4tZ8mK1pW3s", "authorization"); // true
 * detectApiKeyAssignment("api_key=your_api_key_here", undefined); // false
 * ```
 */
import { shannonEntropy } from "./shannon_entropy.ts";

const NAME = "[A-Za-z0-9_.-]{0,40}?(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|" +
  "access[_-]?key|private[_-]?key|credentials?|authori[sz]ation|auth)s?";
const ASSIGNMENT = new RegExp(
  `(?<![A-Za-z0-9])(${NAME})["']?\\s{0,3}[:=]\\s{0,3}["']?([A-Za-z0-9_\\-+/=.~!@#$%^&*]{16,256})`,
  "gi",
);
const KEY = new RegExp(`^${NAME}$`, "i");
const NOT_SECRET = /(?:page|cursor|next|continuation|csrf|sync|max|num|total)[_-]?tokens?$/i;
const HINT = /api|key|secret|token|passw|auth|credential/i;
const VALUE = /^[A-Za-z0-9_\-+/=.~!@#$%^&*]{16,256}$/;
/** An HTTP authentication scheme word before a credential (`Authorization: Bearer …`). */
const SCHEME = /^(?:bearer|basic|token|apikey)\s{1,3}/i;

const PLACEHOLDER =
  /change_?me|example|placeholder|dummy|redacted|your[_-]|xxxx|\$\{|\{\{|0123456|1234567|abcdefg/i;

function looksSecret(value: string): boolean {
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !PLACEHOLDER.test(value) &&
    shannonEntropy(value) >= 3.5;
}

/** Whether `text` holds a secret assigned to a secret-sounding name. */
export function detectApiKeyAssignment(text: string, key: string | undefined): boolean {
  if (key !== undefined && KEY.test(key) && !NOT_SECRET.test(key)) {
    const value = text.trim().replace(SCHEME, "");
    if (VALUE.test(value) && looksSecret(value)) return true;
  }
  if (text.length < 20 || !HINT.test(text)) return false;
  for (const m of text.matchAll(ASSIGNMENT)) {
    if (!NOT_SECRET.test(m[1] as string) && looksSecret(m[2] as string)) return true;
  }
  return false;
}
