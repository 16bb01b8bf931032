/**
 * Google API keys: `AIza` followed by exactly 35 URL-safe base64 characters.
 * A key whose characters after `AIza`, or after the `AIzaSy` nearly every
 * key starts with, are filler (`AIzaSyXXXX…`, see `filler_token.ts`, or a
 * short unit repeated, `AIzaAIza…`) is a placeholder and does not count. A
 * key must stand apart from the characters it is written in, or be glued to
 * filler only, all the way (`AIza…` + `--------`, see `glued_filler.ts`).
 *
 * @example
 * ```ts
 * detectGoogleApiKey("key=AIzaSyD-1234567890abcdefghijklmnopqrstu", undefined); // true
 * detectGoogleApiKey("key=AIzaSy" + "X".repeat(33), undefined); // false (a placeholder)
 * detectGoogleApiKey("AIzaSy is how keys begin", undefined); // false
 * ```
 */
import { fillerToken } from "./filler_token.ts";
import { repeatedUnit, tokensApart, tokenShape } from "./glued_filler.ts";

/** What every key starts with. */
export const GOOGLE_API_KEY_STARTS = ["AIza"] as const;

/** A key, standing apart from the characters it is written in or glued to filler. */
const KEY = tokenShape(
  GOOGLE_API_KEY_STARTS,
  "AIza([0-9A-Za-z_-]{35})",
  "A-Za-z0-9_-",
  "A-Za-z0-9_-",
  null,
);

/** Whether `text` holds a Google API key other than a placeholder. */
export function detectGoogleApiKey(text: string, _key: string | undefined): boolean {
  if (!text.includes("AIza")) return false;
  for (const m of tokensApart(text, KEY)) {
    const tail = m[1] as string;
    if (!fillerToken(tail.startsWith("Sy") ? tail.slice(2) : tail) && !repeatedUnit(tail)) {
      return true;
    }
  }
  return false;
}
