/**
 * Slack credentials: bot, user, app and refresh tokens (`xoxb-`, `xoxp-`,
 * `xoxa-`, `xoxr-`, `xoxs-`, `xoxe-`, `xapp-`) and incoming webhook URLs.
 * The secret is the last segment (the numbers before it are workspace, user
 * and app ids); a token whose segments are filler or ids of digits with
 * filler last, and a webhook URL whose last segment is filler, as Slack's
 * own example `https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`
 * and `.env` templates write them (see `filler_token.ts`), do not count.
 * A token must not follow a letter or digit, unless filler back to where
 * they start (`xxxxxoxb-…`, see `glued_filler.ts`).
 *
 * @example
 * ```ts
 * detectSlackToken("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", undefined); // true
 * detectSlackToken("xoxb-123456789012-1234567890123-" + "x".repeat(24), undefined); // false
 * detectSlackToken("xoxo, see you soon", undefined); // false
 * ```
 */
import { fillerToken } from "./filler_token.ts";
import { tokensApart, tokenShape } from "./glued_filler.ts";

/** What every token and webhook URL starts with. */
export const SLACK_TOKEN_STARTS = [
  ..."abposre".split("").map((c) => `xox${c}-`),
  "xapp-",
  "https://hooks.slack.com/",
] as const;

/**
 * A token, standing apart from letters and digits before it or glued to
 * filler; it runs as far as its characters and dashes go (the shortest has
 * 15 characters; `{10}…*` rather than `{10,}`, for the reason
 * `detect_jwt.ts` gives).
 */
const TOKEN = tokenShape(
  SLACK_TOKEN_STARTS.filter((start) => start.startsWith("x")),
  "xox[abposre]-(?:\\d{1,20}-){0,4}[A-Za-z0-9]{10}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|xapp-\\d-[A-Z0-9]{8}[A-Z0-9]*-\\d{6}\\d*-[a-f0-9]{16}[a-f0-9]*",
  "A-Za-z0-9",
  "",
  15,
);
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
    // Each place a token may start is tried: a look-alike glued before a token (`xoxo-…-` + a
    // token) does not hide it.
    for (const m of tokensApart(text, TOKEN)) if (issuedToken(m[0])) return true;
  }
  if (!text.includes("hooks.slack.com/")) return false;
  // The secret is the path's last segment; the match ends where it does.
  for (const m of text.matchAll(WEBHOOK)) {
    if (!fillerToken(m[0].slice(m[0].lastIndexOf("/") + 1))) return true;
  }
  return false;
}
