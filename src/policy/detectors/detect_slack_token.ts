/**
 * Slack credentials: bot, user, app and refresh tokens (`xoxb-`, `xoxp-`,
 * `xoxa-`, `xoxr-`, `xoxs-`, `xoxe-`, `xapp-`) and incoming webhook URLs.
 * The secret is the last segment (the numbers before it are workspace, user
 * and app ids); a token whose segments are filler or ids of digits with
 * filler last, and a webhook URL whose last segment is filler, as Slack's
 * own example `https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`
 * and `.env` templates write them (see `filler_token.ts`), do not count.
 *
 * @example
 * ```ts
 * detectSlackToken("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", undefined); // true
 * detectSlackToken("xoxb-123456789012-1234567890123-" + "x".repeat(24), undefined); // false
 * detectSlackToken("xoxo, see you soon", undefined); // false
 * ```
 */
import { fillerToken } from "./filler_token.ts";

/** What every token and webhook URL starts with. */
export const SLACK_TOKEN_STARTS = [
  ..."abposre".split("").map((c) => `xox${c}-`),
  "xapp-",
  "https://hooks.slack.com/",
] as const;

const TOKEN =
  /(?<![A-Za-z0-9])(?:xox[abposre]-(?:\d{1,20}-){0,4}[A-Za-z0-9]{10,}(?:-[A-Za-z0-9]+)*|xapp-\d-[A-Z0-9]{8,}-\d{6,}-[a-f0-9]{16,})/g;
const WEBHOOK =
  /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/g;

const DIGITS = /^[0-9]+$/;

/**
 * Whether a token is more than a placeholder: its last segment (the secret)
 * is not filler, or another segment after the prefix is neither filler nor
 * an id of digits (so a real token with filler glued after it still counts).
 */
function issuedToken(token: string): boolean {
  const segments = token.slice("xoxb-".length).split("-");
  if (!fillerToken(segments[segments.length - 1] as string)) return true;
  return !segments.every((s) => DIGITS.test(s) || fillerToken(s));
}

/** Whether `text` holds a Slack token or webhook URL other than a placeholder. */
export function detectSlackToken(text: string, _key: string | undefined): boolean {
  if (text.includes("xox") || text.includes("xapp-")) {
    for (const m of text.matchAll(TOKEN)) if (issuedToken(m[0])) return true;
  }
  if (!text.includes("hooks.slack.com/")) return false;
  // The secret is the path's last segment; the match ends where it does.
  for (const m of text.matchAll(WEBHOOK)) {
    if (!fillerToken(m[0].slice(m[0].lastIndexOf("/") + 1))) return true;
  }
  return false;
}
