/**
 * Whether a value assigned to a secret-sounding name is the secret: a
 * generated secret (16 or more printable non-space characters, 3.5 bits each
 * or more, maybe after an HTTP scheme word such as `Token`), or a password
 * under a password name. Never a placeholder (`changeme`, `${DB_PASSWORD}`),
 * a reference (`arn:…`, a path, a URL without a password), a key published by
 * design (`phc_…`, `pk_live_…`) or prose. Used by `detect_api_key_assignment.ts`
 * once it has cut a value from text or found one under a key.
 *
 * @example
 * ```ts
 * delimitedSecret("password", "db_pass", "Tr0ub4dor&3x"); // true
 * delimitedSecret("key", "api_key", "your_api_key_here"); // false
 * bareSecret("key", "api_key", "9fQ2xL7vR4tZ8mK1pW3s", false, false); // true
 * bareSecret("password", "password", "7-tiger-lamp-river", true, true); // true
 * ```
 */
import { shannonEntropy } from "./shannon_entropy.ts";
import { envKeyOnly, type NameKind, nameKind } from "./secret_name_kind.ts";

/**
 * Names under which a UUID may well be the secret itself (a Heroku API key is one, and an
 * npm registry's `_authToken` in `.npmrc`).
 */
const UUID_SECRET_NAME = /(?:key|secret|passw(?:or)?d|passphrase|pass|pwd|(?:^|:)_authToken)s?$/i;

const PLACEHOLDER = new RegExp(
  [
    String.raw`change_?me|example|placeholder|dummy|redacted|sample|your[_-]|_here(?![a-z])`,
    String.raw`passw(?:or|0)d|0123456|1234567|abcdefg|(.)\1{3}|\*\*\*|\u2022{3}`,
    String.raw`\$\{|\{\{|\$\(|%\(|#\{|^\$[A-Za-z_]|^%\w+%$|^%\d*\$?[sd]$|^\{\w*\}$`,
    String.raw`^<.*>$|^\[.*\]$|^enc[[(]|^!\w|^null$|^none$`,
  ].join("|"),
  "i",
);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Where a secret is kept, not the secret: an ARN, a URL without a password, a path. */
const REFERENCE = new RegExp(
  [
    String.raw`^(?:arn|urn):`,
    String.raw`^[a-z][a-z0-9+.-]{0,31}://[^@/?#\s]*(?:[/?#]|$)`,
    String.raw`^(?:~|\.{1,2})?/(?:[^\s+=/]*/|[^\s+=/]*\.[A-Za-z]{1,5}$)[^\s+=]*$`,
    String.raw`^[A-Za-z]:[\\/]|^\\\\`,
    String.raw`^[a-z][A-Za-z]*/[^/\s]+/[a-z][A-Za-z]*/`,
    String.raw`^[\w.@-]{1,128}(?:/[\w.@-]{1,128}){1,32}\.[A-Za-z][A-Za-z0-9]{0,4}$`,
    String.raw`^[\w.-]{0,128}\.(?:json|pem|key|p12|pfx|crt|cer|der|jks|keystore|txt|ya?ml|env|` +
    String.raw`ini|cfg|conf|properties|xml|toml|[jt]sx?|py|rb|go|java|sh)$`,
  ].join("|"),
  "i",
);
/**
 * The name of a constant or a mechanism (`DBUS_COOKIE_SHA1`, `HMAC_SHA256`), not its value;
 * under a password name it may be the password itself (`SUMMER_2024_PW`).
 */
const CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** Member access, indexing or a call (`args.pwd1`, `values[0]`): code, not a password. */
const CODE = /^[A-Za-z_$][\w$]*[.[(]/;
/** A chain of lower-case names (`var.db_pass`, `data.kv.db4.value`): code, not a secret. */
const CODE_CHAIN = /^[a-z_$][a-z0-9_$]*(?:\.[a-z_$][a-z0-9_$]*)+$/;
/** A word of prose, maybe with punctuation after it. */
const WORD = /^[(\[]?\p{L}{2,}[,.;:!?)\]]*$/u;
/** An HTTP scheme word before a credential under an authorization or token key. */
const SCHEME = /^[A-Za-z0-9-]{2,20}[ \t]{1,8}(?=\S+$)/;
/** A validation rule list (`required|string|min:8|confirmed`), not a password. */
const RULES = /^[a-z_]+(?::[\w,.]+)?(?:\|[a-z_]+(?::[\w,.]+)?)+$/;
/** Three words or numbers joined by dashes: a passphrase (`7-tiger-lamp-river`). */
const PASSPHRASE = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+){2,}$/;

/**
 * Keys published by design, in web pages and mobile apps: a PostHog project
 * key (`phc_…`) and a Stripe publishable key (`pk_live_…`, `pk_test_…`).
 */
const PUBLISHABLE = /^(?:phc_|pk_(?:live|test)_)[A-Za-z0-9]/;

/** Whether `value` could be a secret at all: not a placeholder, a reference or a public key. */
function candidate(name: string, value: string): boolean {
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !PLACEHOLDER.test(value) &&
    !REFERENCE.test(value) && !PUBLISHABLE.test(value) &&
    !(CONSTANT.test(value) && nameKind(name) !== "password") &&
    !(UUID.test(value) && !UUID_SECRET_NAME.test(name));
}

/** Whether `value` has no control characters (tabs and line breaks included). */
function printable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** A generated secret: 16 or more printable non-space characters, 3.5 bits each or more. */
function generated(value: string): boolean {
  return value.length >= 16 && !/\s/.test(value) && printable(value) &&
    shannonEntropy(value) >= 3.5;
}

/** How many of lower case, upper case, digits and other characters `value` has. */
function characterClasses(value: string): number {
  return Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) +
    Number(/[0-9]/.test(value)) + Number(/[^A-Za-z0-9]/.test(value));
}

/** A secret as a random value looks: mixed case, or a quarter of it digits (hex, UUIDs). */
function looksRandom(value: string): boolean {
  if (/[a-z]/.test(value) && /[A-Z]/.test(value)) return true;
  return (value.match(/[0-9]/g)?.length ?? 0) * 4 >= value.length;
}

/** Whether `value` reads as prose (`see the vault, item 42`): three words or more, two plain. */
function prose(value: string): boolean {
  const words = value.split(" ");
  return words.length >= 3 && words.filter((w) => WORD.test(w)).length >= 2;
}

/**
 * Whether the whole of a value delimited as such (under a key, or quoted after
 * a name in text) is a secret: a password under a password name; otherwise a
 * generated secret, maybe after an HTTP scheme word (`Token …`, `SSWS …`).
 */
export function delimitedSecret(kind: NameKind, name: string, text: string): boolean {
  const value = text.trim();
  if (kind === "password") {
    return value.length >= 8 && value.length <= 256 && printable(value) &&
      candidate(name, value) && !prose(value) && !RULES.test(value);
  }
  const token = value.replace(SCHEME, "");
  return candidate(name, token) && generated(token) && (!envKeyOnly(name) || looksRandom(token));
}

/**
 * Whether a bare value cut from text after `name` is a secret (`spaced`: after
 * a space; `spoken`: after `is` or a dash, where a passphrase of words and a
 * number, `7-tiger-lamp-river`, counts too).
 */
export function bareSecret(
  kind: NameKind,
  name: string,
  value: string,
  spaced: boolean,
  spoken: boolean,
): boolean {
  if (
    !candidate(name, value) || CODE_CHAIN.test(value) ||
    ((spaced || envKeyOnly(name)) && !looksRandom(value) &&
      !(spoken && kind === "password" && PASSPHRASE.test(value)))
  ) {
    return false;
  }
  if (generated(value)) return true;
  return kind === "password" && characterClasses(value) >= 3 && !CODE.test(value);
}
