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
 * or be glued to filler only (`sk_live_…========`, `xxxxnpm_…`, see
 * `glued_filler.ts`), and not be a placeholder (`glpat-XXXXXXXXXXXXXXXXXXXX`,
 * `…example…`); padding or a placeholder word glued after a whole token
 * (`sk_live_…xxxxxxxx`, `sk_live_…example`) does not make it one.
 *
 * @example
 * ```ts
 * detectProviderToken("here is the key: npm_" + "a1B2c3D4e5".repeat(3) + "F6g7H8", undefined); // true
 * detectProviderToken("cache in npm_config_cache, download with hf_hub_download", undefined); // false
 * ```
 */
import { tokensApart, type TokenShape, tokenShape, withoutTrailingFiller } from "./glued_filler.ts";
import { shannonEntropy } from "./shannon_entropy.ts";

/**
 * One provider family: a substring every token has, what its tokens start
 * with, the token wherever it stands apart or is glued to filler (see
 * `glued_filler.ts`), and `whole` for one string that is a token.
 */
interface Family {
  marker: string;
  starts: readonly string[];
  shape: TokenShape;
  whole: RegExp;
}

/** A family from its pattern (`source`, no edges) and the characters that glue to it. */
function family(
  marker: string,
  starts: readonly string[],
  source: string,
  glue: { before: string; after: string; shortest: number | null },
): Family {
  return {
    marker,
    starts,
    shape: tokenShape(starts, source, glue.before, glue.after, glue.shortest),
    whole: new RegExp(`^(?:${source})$`),
  };
}

const URL_SAFE = "A-Za-z0-9_-";
const WORD = "A-Za-z0-9_";

const FAMILIES: readonly Family[] = [
  family(
    "sk-",
    ["sk-"],
    "sk-(?:" +
      "(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,80}T3BlbkFJ[A-Za-z0-9_-]{20,80}|" +
      "ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA|" +
      "ant-(?:oat01|ort01)-[A-Za-z0-9_-]{40,256}" +
      ")",
    // The shortest: "sk-", 20, "T3BlbkFJ", 20.
    { before: URL_SAFE, after: URL_SAFE, shortest: 51 },
  ),
  family(
    "gl",
    ["pat", "rt", "dt", "soat", "ft", "imt", "agent", "oas", "cbt", "ptt"].map((p) => `gl${p}-`),
    // A routable token is tried before the 20 characters it starts with, so the longest match
    // takes it whole.
    "gl(?:" +
      "(?:pat|rt)-(?:[A-Za-z0-9_-]{27,300}(?:\\.[A-Za-z0-9]{1,12}){1,2}|[A-Za-z0-9_-]{20})|" +
      "(?:dt|soat|ft)-[A-Za-z0-9_-]{20}|imt-[A-Za-z0-9_-]{25}|agent-[A-Za-z0-9_-]{50}|" +
      "oas-[A-Za-z0-9_-]{64}|cbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20}|ptt-[0-9a-f]{40}" +
      ")",
    // The shortest: "glrt-", "gldt-" or "glft-" and 20.
    { before: URL_SAFE, after: URL_SAFE, shortest: 25 },
  ),
  family("npm_", ["npm_"], "npm_[A-Za-z0-9]{36}", { before: WORD, after: WORD, shortest: null }),
  family("k_live_", ["sk_live_", "rk_live_"], "[sr]k_live_[A-Za-z0-9]{24,247}", {
    before: WORD,
    after: WORD,
    shortest: 32,
  }),
  family("hf_", ["hf_"], "hf_[A-Za-z]{34}", { before: WORD, after: WORD, shortest: null }),
  family("SG.", ["SG."], "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", {
    before: "A-Za-z0-9_.-",
    after: URL_SAFE,
    shortest: null,
  }),
  family("GOCSPX-", ["GOCSPX-"], "GOCSPX-[A-Za-z0-9_-]{28}", {
    before: URL_SAFE,
    after: URL_SAFE,
    shortest: null,
  }),
  family(
    "/webhooks/",
    ["discord", "ptb.discord", "canary.discord"],
    "(?:(?:ptb|canary)\\.)?discord(?:app)?\\.com\\/api\\/(?:v\\d{1,2}\\/)?webhooks\\/\\d{17,20}\\/[A-Za-z0-9_-]{60,68}",
    // The shortest: "discord.com/api/webhooks/", 17 digits, "/", 60.
    { before: "A-Za-z0-9.-", after: URL_SAFE, shortest: 103 },
  ),
];

/** What every token of every family starts with. */
export const PROVIDER_TOKEN_STARTS: readonly string[] = FAMILIES.flatMap((f) => f.starts);

/** What documentation writes in place of a token: a repeated letter, a run, the word. */
const PLACEHOLDER = /x{6}|X{6}|0123456|1234567|abcdefgh|example|redacted/i;

/** Whether a token of the right shape is random enough to be a real one. */
function looksIssued(token: string): boolean {
  // A webhook URL's secret is its last segment (the id before it is a plain number).
  const secret = token.slice(token.lastIndexOf("/") + 1);
  return !PLACEHOLDER.test(secret) && shannonEntropy(secret) >= 3;
}

/**
 * Whether `token` is an issued one: random enough, or so once what was glued
 * after a whole token and taken into it is cut off (padding, `…xxxxxxxx`, or
 * a placeholder word, `…example`), when what is left is a whole token still.
 */
function issued(family: Family, token: string): boolean {
  if (looksIssued(token)) return true;
  let cut = withoutTrailingFiller(token);
  const secret = cut.lastIndexOf("/") + 1;
  const marker = PLACEHOLDER.exec(cut.slice(secret));
  if (marker !== null) cut = cut.slice(0, secret + marker.index);
  return cut.length < token.length && family.whole.test(cut) && looksIssued(cut);
}

/** Whether `text` holds a provider API key or token. */
export function detectProviderToken(text: string, _key: string | undefined): boolean {
  for (const family of FAMILIES) {
    if (!text.includes(family.marker)) continue;
    for (const m of tokensApart(text, family.shape)) if (issued(family, m[0])) return true;
  }
  return false;
}
