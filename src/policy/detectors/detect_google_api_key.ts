/**
 * Google API keys: `AIza` followed by exactly 35 URL-safe base64 characters.
 * A key whose characters after `AIza`, or after the `AIzaSy` nearly every
 * key starts with, are filler (`AIzaSyXXXX…`, see `filler_token.ts`) is a
 * placeholder and does not count.
 *
 * @example
 * ```ts
 * detectGoogleApiKey("key=AIzaSyD-1234567890abcdefghijklmnopqrstu", undefined); // true
 * detectGoogleApiKey("key=AIzaSy" + "X".repeat(33), undefined); // false (a placeholder)
 * detectGoogleApiKey("AIzaSy is how keys begin", undefined); // false
 * ```
 */
import { fillerToken } from "./filler_token.ts";

/** What every key starts with. */
export const GOOGLE_API_KEY_STARTS = ["AIza"] as const;

const KEY = /(?<![A-Za-z0-9_-])AIza([0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g;

/** Whether `text` holds a Google API key other than a placeholder. */
export function detectGoogleApiKey(text: string, _key: string | undefined): boolean {
  if (!text.includes("AIza")) return false;
  for (const m of text.matchAll(KEY)) {
    const tail = m[1] as string;
    if (!fillerToken(tail.startsWith("Sy") ? tail.slice(2) : tail)) return true;
  }
  return false;
}
