/**
 * Google API keys: `AIza` followed by exactly 35 URL-safe base64 characters.
 *
 * @example
 * ```ts
 * detectGoogleApiKey("key=AIzaSyD-1234567890abcdefghijklmnopqrstu", undefined); // true
 * detectGoogleApiKey("AIzaSy is how keys begin", undefined); // false
 * ```
 */

const KEY = /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/;

/** Whether `text` holds a Google API key. */
export function detectGoogleApiKey(text: string, _key: string | undefined): boolean {
  return text.includes("AIza") && KEY.test(text);
}
