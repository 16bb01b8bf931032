/**
 * API keys and tokens that carry their provider's prefix, found with no label
 * around them, each by its published shape (prefix, alphabet, length):
 *
 * - OpenAI: `sk-`, `sk-proj-`, `sk-svcacct-`, `sk-admin-`, then 20 to 80
 *   characters on each side of `T3BlbkFJ` (base64 of "OpenAI");
 * - Anthropic: `sk-ant-api03-` and `sk-ant-admin01-` with 93 characters and
 *   `AA`, OAuth `sk-ant-oat01-`/`sk-ant-ort01-` with at least 40;
 * - GitLab: `glpat-` (20 characters, or a routable token of 27 or more and a
 *   dotted suffix), `glrt-`, `gldt-`, `glsoat-`, `glft-`, `glimt-`, `glagent-`,
 *   `gloas-`, `glcbt-` and `glptt-` (40 hex digits);
 * - npm: `npm_` and exactly 36 letters and digits;
 * - Stripe live secret and restricted keys: `sk_live_`, `rk_live_` and 24 or
 *   more letters and digits (`sk_test_` reaches only test-mode data and
 *   `pk_live_` is published in web pages by design, so neither counts);
 * - Hugging Face: `hf_` and exactly 34 letters;
 * - SendGrid: `SG.`, 22 characters, `.`, 43 characters;
 * - Google OAuth client secrets: `GOCSPX-` and 28 characters;
 * - Discord webhook URLs: `discord.com/api/webhooks/<id>/<token>` (the
 *   token, 60 to 68 characters, lets anyone post as the webhook).
 *
 * A token must stand alone (no letter, digit, `_` or `-` glued to either end)
 * and not be a placeholder (`glpat-XXXXXXXXXXXXXXXXXXXX`, `…example…`).
 *
 * @example
 * ```ts
 * detectProviderToken("here is the key: npm_" + "a1B2c3D4e5".repeat(3) + "F6g7H8", undefined); // true
 * detectProviderToken("cache in npm_config_cache, download with hf_hub_download", undefined); // false
 * ```
 */
import { shannonEntropy } from "./shannon_entropy.ts";

/** One provider family: a substring every token has, what its tokens start with, the full pattern. */
interface Family {
  marker: string;
  starts: readonly string[];
  token: RegExp;
}

const FAMILIES: readonly Family[] = [
  {
    marker: "sk-",
    starts: ["sk-"],
    token: new RegExp(
      "(?<![A-Za-z0-9_-])sk-(?:" +
        "(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,80}T3BlbkFJ[A-Za-z0-9_-]{20,80}|" +
        "ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA|" +
        "ant-(?:oat01|ort01)-[A-Za-z0-9_-]{40,256}" +
        ")(?![A-Za-z0-9_-])",
      "g",
    ),
  },
  {
    marker: "gl",
    starts: ["pat", "rt", "dt", "soat", "ft", "imt", "agent", "oas", "cbt", "ptt"].map((p) =>
      `gl${p}-`
    ),
    token: new RegExp(
      "(?<![A-Za-z0-9_-])gl(?:" +
        "(?:pat|rt)-(?:[A-Za-z0-9_-]{20}|[A-Za-z0-9_-]{27,300}(?:\\.[A-Za-z0-9]{1,12}){1,2})|" +
        "(?:dt|soat|ft)-[A-Za-z0-9_-]{20}|imt-[A-Za-z0-9_-]{25}|agent-[A-Za-z0-9_-]{50}|" +
        "oas-[A-Za-z0-9_-]{64}|cbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20}|ptt-[0-9a-f]{40}" +
        ")(?![A-Za-z0-9_-])",
      "g",
    ),
  },
  {
    marker: "npm_",
    starts: ["npm_"],
    token: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
  },
  {
    marker: "k_live_",
    starts: ["sk_live_", "rk_live_"],
    token: /(?<![A-Za-z0-9_])[sr]k_live_[A-Za-z0-9]{24,247}(?![A-Za-z0-9_])/g,
  },
  { marker: "hf_", starts: ["hf_"], token: /(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/g },
  {
    marker: "SG.",
    starts: ["SG."],
    token: /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  {
    marker: "GOCSPX-",
    starts: ["GOCSPX-"],
    token: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
  },
  {
    marker: "/webhooks/",
    starts: ["discord", "ptb.discord", "canary.discord"],
    token:
      /(?<![A-Za-z0-9.-])(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/(?:v\d{1,2}\/)?webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,68}(?![A-Za-z0-9_-])/g,
  },
];

/** What every token of every family starts with. */
export const PROVIDER_TOKEN_STARTS: readonly string[] = FAMILIES.flatMap((f) => f.starts);

/** What documentation writes in place of a token: a repeated letter, a run, the word. */
const PLACEHOLDER = /x{6}|X{6}|0123456|1234567|abcdefgh|example|redacted/i;

/** Whether a token of the right shape is random enough to be a real one. */
function looksIssued(token: string): boolean {
  return !PLACEHOLDER.test(token) && shannonEntropy(token) >= 3;
}

/** Whether `text` holds a provider API key or token. */
export function detectProviderToken(text: string, _key: string | undefined): boolean {
  for (const family of FAMILIES) {
    if (!text.includes(family.marker)) continue;
    for (const m of text.matchAll(family.token)) {
      // A webhook URL's secret is its last segment (the id before it is a plain number).
      if (looksIssued(m[0].slice(m[0].lastIndexOf("/") + 1))) return true;
    }
  }
  return false;
}
