/**
 * How an environment variable's value may appear in a message: quoted when
 * it is safe to show, by fingerprint when it is (or looks like) a secret. A
 * key or token pasted into a path or domain variable by mistake is still a
 * key, so values that look like one (a JWT, a provider key prefix, a long
 * bare token, a long base64 run with a `/` or `+` such as an AWS secret key,
 * unless it is an absolute path) are hidden whatever the variable, and a
 * `user:password@`, a query string and a fragment are removed from a URL
 * before the value is shown (a token often rides in `?access_token=`). Pure.
 *
 * A value given on the command line (a flag's value, an id, an intent name)
 * is shown by the same rule through {@linkcode showValue}: a key pasted into
 * `--tenant-id` is hidden just as it is in `THOTH_TENANT_ID`.
 *
 * A credential file variable (`THOTH_API_KEY_FILE`, `THOTH_AUTH_TOKEN_FILE`:
 * see {@linkcode CREDENTIAL_VARIABLES}) holds a path; a value that is not an
 * absolute path there may be the credential itself, pasted in the path's
 * place, in a shape no detector knows (an OAuth access token, a client
 * secret with a `~`, a long run of letters), so it is shown by fingerprint
 * only, whatever it looks like.
 *
 * @example
 * ```ts
 * showEnvValue("THOTH_TENANT_ID", "Acme Corp"); // '"Acme Corp"'
 * showValue("AKIAIOSFODNN7EXAMPLE"); // "(value hidden: it looks like a key or token, fingerprint …)"
 * showValue("your-org"); // '"your-org"'
 * showEnvValue("THOTH_API_KEY", "k-1"); // "(value hidden, fingerprint …)"
 * showEnvValue("THOTH_API_KEY_FILE", "aten_thoth_agent_prod_x1");
 * // "(value hidden: it looks like a key or token, fingerprint …)"
 * showEnvValue("THOTH_API_KEY_FILE", "ya29.a0AfH6SMBx3kLmN0pQrStUvWxYz12", "linux");
 * // "(value hidden: not an absolute path, so it may be the credential itself, fingerprint …)"
 * showEnvValue("THOTH_APEX_DOMAIN", "https://admin:hunter2@example.com");
 * // '"https://example.com" (user and password removed)'
 * showEnvValue("THOTH_APEX_DOMAIN", "https://example.com/?access_token=Zm9v");
 * // '"https://example.com/" (query string removed)'
 * ```
 */
import { AppError } from "../errors.ts";
import { secretFingerprint } from "./secret_fingerprint.ts";
import { CREDENTIAL_VARIABLES } from "./credential_variables.ts";
import { isAbsolutePath } from "./_env_rules.ts";

/** The variables that hold a secret by design: never shown. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  "THOTH_RUNTIME_BEARER_TOKEN",
  "THOTH_AUTH_TOKEN",
  "THOTH_API_KEY",
]);

/** A JWT (or any JWS): a base64url JSON header, a dot, more base64url. */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}/;
/** The prefixes keys and tokens are issued with (thoth's own `aten_` among them). */
const KEY_PREFIX =
  /(?:^|[^A-Za-z0-9])(?:aten_|sk[-_]|rk_|ghp_|gho_|ghs_|ghu_|ghr_|github_pat_|glpat-|npm_|hf_|xox[abprs]-|AKIA|ASIA|AIza|GOCSPX-|SG\.)|-----BEGIN|\bbearer\s/i;
/** One long run of token characters with a digit or `_`: no path, domain or email has that shape. */
const BARE_TOKEN = /^[A-Za-z0-9_+=-]{16,}$/;
/** One long run of base64 characters, `/` and `+` among them (an AWS secret access key). */
const BASE64_TOKEN = /^[A-Za-z0-9+/=_-]{16,}$/;
/** Where a name splits into parts: a date, a version or a UUID is short parts. */
const NAME_SEPARATORS = /[-_.:\s]+/;
/** One long run of token characters, no separator in it. */
const UNSEPARATED_RUN = /^[A-Za-z0-9+=]{16,}$/;

/** `scheme://userinfo@` */
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#@]*@/g;
/** `user:password@host` without a scheme. */
const BARE_USERINFO = /^[^\s/@:]+:[^\s/@]*@/;
/** A URL's query string and fragment: `?` or `#` after `scheme://host/path`, to the next space. */
const URL_QUERY = /([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s?#]*)([?#])\S*/g;
/** The same after a domain without a scheme (`example.com/?access_token=…`). */
const BARE_QUERY = /^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:\/[^\s?#]*)?)([?#])\S*/;

/** Whether `value` looks like a key or token rather than a name or a path. */
export function looksLikeSecret(value: string): boolean {
  if (JWT_LIKE.test(value) || KEY_PREFIX.test(value)) return true;
  if (BARE_TOKEN.test(value) && /[0-9_]/.test(value)) return true;
  return slashedToken(value);
}

/**
 * A long base64 run with a `/` or `+`, not an absolute path: with a `+` (no
 * name has one), or with letters of both cases and a digit, which a relative
 * path of plain names (`home/ana/thoth`) does not mix.
 */
function slashedToken(value: string): boolean {
  if (value.startsWith("/") || !BASE64_TOKEN.test(value) || !/[/+]/.test(value)) return false;
  if (value.includes("+")) return true;
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}

/**
 * The value of `variable` as a message may show it. `os` (default: the
 * running OS) decides what an absolute path is, for a credential file
 * variable: any other value of one is shown by fingerprint only.
 */
export function showEnvValue(
  variable: string,
  value: string,
  os: string = Deno.build.os,
): string {
  if (SECRET_VARIABLES.has(variable)) {
    return `(value hidden, fingerprint ${secretFingerprint(value)})`;
  }
  const shown = showValue(value);
  if (
    isCredentialFileVariable(variable) && !isAbsolutePath(value, os) &&
    !shown.startsWith("(value hidden")
  ) {
    return "(value hidden: not an absolute path, so it may be the credential itself, " +
      `fingerprint ${secretFingerprint(value)})`;
  }
  return shown;
}

/** Whether `variable` names the file a credential is read from (`THOTH_API_KEY_FILE`). */
function isCredentialFileVariable(variable: string): boolean {
  return !SECRET_VARIABLES.has(variable) &&
    (CREDENTIAL_VARIABLES as readonly string[]).includes(variable);
}

/**
 * Any value a person gave (a flag's value, an id, an intent name) as a
 * message may show it: quoted, unless it looks like a key or token (then by
 * fingerprint), with a URL's user, password, query string and fragment
 * removed, and clipped at 80 characters.
 */
export function showValue(value: string): string {
  const withoutUser = value.replace(URL_USERINFO, "$1").replace(BARE_USERINFO, "");
  const removed = new Set<string>();
  if (withoutUser !== value) removed.add("user and password");
  const keep = (whole: string, url: string, mark: string) => {
    if (mark === "?") removed.add("query string");
    if (whole.includes("#")) removed.add("fragment");
    return url;
  };
  const stripped = withoutUser.replace(URL_QUERY, keep).replace(BARE_QUERY, keep);
  if (looksLikeSecret(stripped)) return hidden(value);
  return quotedClipped(stripped) +
    (removed.size === 0 ? "" : ` (${[...removed].join(", ")} removed)`);
}

/**
 * Whether a name a person gave (an intent, an agent or tenant id, a choice, a
 * command) looks like a key pasted in its place. Stricter than
 * {@linkcode looksLikeSecret}, which hides any long run with a digit or `_`
 * (`calendar_management` too): a name counts only with a key's prefix or
 * shape (a JWT, a slashed base64 token), or when one of its parts (split at
 * `-`, `_`, `.`, `:` and spaces) is a long run that looks random (mixed case
 * and a digit, or a quarter of it digits, as hex is). So a date
 * (`audit_2026_12_05`), a version (`1.24.3-rc.2`) or a UUID shows, and a
 * 32-character hex run hides.
 */
export function looksLikeKey(value: string): boolean {
  if (JWT_LIKE.test(value) || KEY_PREFIX.test(value) || slashedToken(value)) return true;
  return value.split(NAME_SEPARATORS).some(randomRun);
}

/**
 * The prefixes keys and tokens are issued with that no name starts with, each
 * in its issuer's own case (`AKIA`, `AIza`, `GOCSPX-`; `sk_live_`,
 * `github_pat_`, `lin_api_`), with the fixed words some issuers put before
 * the random part (`sk-proj-`, `sk-ant-api03-`, `dop_v1_`): after one, a
 * long run with a digit is a key's body (see {@linkcode keyBody}).
 */
const DISTINCT_PREFIXES = [
  // OpenAI, Anthropic; `sk-live-` is a Stripe key written as a DNS label (a tenant id)
  "sk-(?:proj|svcacct|admin|None|live|test)-",
  "sk-ant-(?:[a-z]+[0-9]*-)?",
  "sk_(?:live|test)_", // Stripe
  "rk_(?:live|test)_", // Stripe restricted keys
  "github_pat_",
  "glpat-",
  "glsa_", // Grafana service accounts
  "xox[abprs]-(?:[0-9]+-)*", // Slack: team and user numbers, then the random part
  "AKIA",
  "ASIA",
  "AIza",
  "GOCSPX-",
  "ya29\\.", // Google OAuth access tokens
  "lin_api_", // Linear
  "ATATT", // Atlassian
  "shp(?:at|ca|pa|ss)_", // Shopify
  "do[opr]_v1_", // DigitalOcean
  "sntry[su]_", // Sentry
];

/**
 * The short prefixes keys are issued with, in the issuer's case, that a name
 * may start with too (`sk-telecom`, `hf_InferenceEndpoint1`, `fc-barcelona`):
 * after one, only a run that looks random is a key's body.
 */
const SHORT_PREFIXES = [
  "aten_", // thoth's own
  "sk-",
  "sk_",
  "rk_",
  "gh[oprsu]_",
  "npm_",
  "hf_",
  "SG\\.", // SendGrid
  "figd_", // Figma
  "ntn_", // Notion
  "pplx-", // Perplexity
  "tvly-", // Tavily
  "fc-", // Firecrawl
  "gsk_", // Groq
  "xai-", // xAI
];

/**
 * thoth's own key format, `aten_thoth_agent_<env>_<random>`: `aten_thoth_` at
 * the start of the value or of a part of it, in any case, is a key whatever
 * follows (the words after it are not random, so {@linkcode keyBody} would
 * not see one). No name starts that way.
 */
const THOTH_KEY = /(?<![A-Za-z0-9])aten_thoth_/i;

/**
 * An issuer's prefix at the start of the value or of a part of it, and the
 * letters and digits right after it: the key's body. A distinct prefix is
 * tried first (`sk_live_` before `sk_`) and captured as `distinct`.
 */
const ISSUED_KEY = new RegExp(
  `(?<![A-Za-z0-9])(?:(?<distinct>${DISTINCT_PREFIXES.join("|")})|` +
    `(?:${SHORT_PREFIXES.join("|")}))(?<body>[A-Za-z0-9]*)`,
  "g",
);

/**
 * Whether `value` is a key by its shape: a key's issuer prefix, in the
 * issuer's own case, followed right away by a body that looks random (a long
 * run with a digit that is a quarter digits, as hex is, or that mixes cases
 * and changes between capitals, small letters and digits at least every
 * third character): `sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2`,
 * `sk_live_SECRETSECRET0123456789`, a key too short or too odd for a
 * provider's own detector. thoth's own keys (`aten_thoth_agent_prod_…`) are
 * keys whatever follows `aten_thoth_`. A name with such a prefix and words after it
 * (`sk-telecom`, `hf_InferenceEndpoint1`, `sk_TelecomBillingV2`) is not one,
 * nor a prefix in another case (`AsiaPacificFleet2024`, `asia-kb-…`), nor a
 * random part anywhere else (`asia-fleet-7f3a9c2e1b4d5f6a`, a hex device id).
 * Loads no detector: `thoth run` checks its flags by it (see
 * `id_flagged_as_key.ts` for the whole refusal test).
 *
 * @example
 * ```ts
 * prefixedRandomKey("sk-proj-a1b2c3d4e5f6a7b8c9d0e1f2"); // true
 * prefixedRandomKey("aten_thoth_agent_prod_3f9a1c7e"); // true: thoth's own key
 * prefixedRandomKey("hf_InferenceEndpoint1"); // false: words after the prefix
 * prefixedRandomKey("asia-3f2a1b9c8d7e6f5a"); // false: AWS issues `ASIA`, in capitals
 * ```
 */
export function prefixedRandomKey(value: string): boolean {
  if (THOTH_KEY.test(value)) return true;
  for (const match of value.matchAll(ISSUED_KEY)) {
    if (keyBody(match.groups!.body!, match.groups!.distinct !== undefined)) return true;
  }
  return false;
}

/**
 * Whether the part right after an issuer's prefix is a key's body rather
 * than words: at least 16 letters and digits, a digit among them, and a
 * quarter of them digits or both cases. After a short prefix (`sk_`, `hf_`:
 * not `distinct`), a run of both cases must also change between capitals,
 * small letters and digits at least every third character
 * (`TelecomBillingV2` changes four times in 16, a random run about ten).
 */
function keyBody(body: string, distinct: boolean): boolean {
  if (body.length < 16 || !/[0-9]/.test(body)) return false;
  if ((body.match(/[0-9]/g)?.length ?? 0) * 4 >= body.length) return true;
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body)) return false;
  if (distinct) return true;
  let changes = 0;
  for (let i = 1; i < body.length; i++) {
    if (charClass(body[i]!) !== charClass(body[i - 1]!)) changes++;
  }
  return changes * 3 >= body.length;
}

/** A letter's or digit's class: capital, small letter or digit. */
function charClass(char: string): number {
  return char >= "0" && char <= "9" ? 0 : char >= "a" && char <= "z" ? 1 : 2;
}

/** A long unseparated run with a digit that mixes cases or is a quarter digits. */
function randomRun(part: string): boolean {
  if (!UNSEPARATED_RUN.test(part) || !/[0-9]/.test(part)) return false;
  if (/[a-z]/.test(part) && /[A-Z]/.test(part)) return true;
  return (part.match(/[0-9]/g)?.length ?? 0) * 4 >= part.length;
}

/**
 * A name a person gave, as a message may show it: quoted and clipped at 80
 * characters, or by fingerprint when it looks like a key (see
 * {@linkcode looksLikeKey}).
 */
export function showName(value: string): string {
  return looksLikeKey(value) ? hidden(value) : quotedClipped(value);
}

/** Why a key-shaped value is refused where an id belongs (see `id_flagged_as_key.ts`). */
export const KEY_IN_IDENTIFIER_RULE =
  "an id, not a key or token: thoth's key detectors flag this value as a credential, so it " +
  "is refused rather than shown or sent; set the real id (and if it is a key, revoke it: it " +
  "may have been exposed)";

/**
 * The refusal of `value`, a key given where an id belongs, by `source` (a
 * flag such as `--agent-id`, or a variable): a usage error (exit 2) naming
 * the source, showing the value by fingerprint only, and saying what to fix.
 *
 * @example
 * ```ts
 * keyAsIdError("--agent-id", "sk_live_SECRETSECRET0123456789", "give a plain name").message;
 * // "--agent-id (value hidden: it looks like a key or token, fingerprint …) is not valid: …"
 * ```
 */
export function keyAsIdError(source: string, value: string, fix: string): AppError {
  return new AppError(
    "usage.key_as_id",
    `${source} ${hidden(value)} is not valid: it must be ${KEY_IN_IDENTIFIER_RULE}`,
    { hints: [fix] },
  );
}

/** `value` shown by its fingerprint only, whatever it looks like. */
export function hidden(value: string): string {
  return `(value hidden: it looks like a key or token, fingerprint ${secretFingerprint(value)})`;
}

/** `text` quoted, clipped at 80 characters. */
function quotedClipped(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
