/**
 * Slack credentials: bot, user, app and refresh tokens (`xoxb-`, `xoxp-`,
 * `xoxa-`, `xoxr-`, `xoxs-`, `xoxe-`, `xapp-`) and incoming webhook URLs.
 *
 * @example
 * ```ts
 * detectSlackToken("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", undefined); // true
 * detectSlackToken("xoxo, see you soon", undefined); // false
 * ```
 */

const TOKEN =
  /(?<![A-Za-z0-9])(?:xox[abposre]-(?:\d{1,20}-){0,4}[A-Za-z0-9]{10,}(?:-[A-Za-z0-9]+)*|xapp-\d-[A-Z0-9]{8,}-\d{6,}-[a-f0-9]{16,})/;
const WEBHOOK =
  /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/;

/** Whether `text` holds a Slack token or webhook URL. */
export function detectSlackToken(text: string, _key: string | undefined): boolean {
  if (text.includes("xox") || text.includes("xapp-")) {
    if (TOKEN.test(text)) return true;
  }
  return text.includes("hooks.slack.com/") && WEBHOOK.test(text);
}
