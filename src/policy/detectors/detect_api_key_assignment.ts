/**
 * Generic secrets: a value assigned to a secret-sounding name in text, or held
 * under such a key in the arguments.
 *
 * Names: API keys (`api_key`, `x-api-key`, `Ocp-Apim-Subscription-Key`, `secretKey`,
 * `AccountKey`, `signing_key`, an upper-case `OPENAI_KEY`), secrets, tokens,
 * credentials, `Authorization`, passwords (`password`, `passwd`, `pwd`, `pass`,
 * `passphrase`, `DB_PASS`, `MYSQL_PWD`, `dbPass`; not a ticket such as
 * `Boarding Pass` or `season_pass`) and `sig` as a URL query
 * parameter (an Azure SAS signature). Tokens that only name a page, a request or
 * a key in a table (`pageToken`, `NextToken`, `ClientRequestToken`,
 * `idempotencyToken`, `PublicKeyToken`, `CACHE_KEY`, `PUBLIC_KEY`) are not secrets.
 *
 * Syntaxes: `name=…`, `name: …` (up to 40 spaces either side), `name := …`,
 * `'name' => …`, `env["NAME"] = …`, `NAME: str = …`, `<name>…</name>`,
 * `<add key="name" value="…"/>`, `{"name": "NAME", "value": …}`, JSON escaped
 * once or twice, `define('NAME', …)`, and a value after a space when the name is
 * a flag or a snake or kebab identifier (`--password …`, `aws_secret_access_key …`),
 * or after `is`, `is:` or a dash in prose (`the password is …`), where a bare
 * value may end a sentence (`… is Xq9vR2mT8kLp.`) or stand in backticks or
 * parentheses.
 *
 * Values: a secret is at least 16 characters of printable non-space text with
 * letters and digits and at least 3.5 bits per character, maybe after an HTTP
 * scheme word (`Token …`); a password (under a password name) may be 8
 * characters: under a key or quoted in text any printable text that is not
 * prose, bare in text at least three of lower case, upper case, digits and
 * symbols. A value quoted in text is read as it would be under its key.
 * Every secret needs a digit, so text without one is skipped (`digits`).
 * Never a secret: keys published by design (`phc_…`, `pk_live_…`), placeholders (`changeme`, `********`, `<password>`,
 * `${DB_PASSWORD}`, `{{ .Values.x }}`, `%s`, `xxxx`, `redacted`, `example`),
 * references (`arn:…`, `projects/…/secrets/…`, file paths, URLs without a
 * password), and a UUID under a token, credential or auth name (an AWS
 * `ClientToken` is one) other than npm's `_authToken`.
 *
 * @example
 * ```ts
 * detectApiKeyAssignment("api_key=9fQ2xL7vR4tZ8mK1pW3s", undefined); // true
 * detectApiKeyAssignment("Token 9fQ2xL7vR4tZ8mK1pW3s", "authorization"); // true
 * detectApiKeyAssignment("Tr0ub4dor&3x", "password"); // true
 * detectApiKeyAssignment("api_key=your_api_key_here", undefined); // false
 * detectApiKeyAssignment("1c65cfb6-efc7-49d3-9d00-28627b31d784", "ClientToken"); // false
 * ```
 */
import { shannonEntropy } from "./shannon_entropy.ts";
import { keyNamed } from "./key_names.ts";

/** What a name says its value is: narrowed by {@linkcode nameKind}, read loosely in the pattern. */
type NameKind = "password" | "token" | "key";

/**
 * A secret-sounding name: up to 40 name characters, then a word it ends in.
 * `pass`, `pwd` and `_key` are narrowed by {@linkcode nameKind}.
 */
const NAME = String.raw`[A-Za-z0-9_.-]{0,40}?(?:api[_ -]?key|apikey|secret|token|passw(?:or)?d|` +
  String.raw`passphrase|pass|pwd|(?:access|private|secret|account|signing|encryption|master|` +
  String.raw`subscription|shared|hmac)[_ -]?key|_key|credentials?|authori[sz]ation|auth|` +
  String.raw`(?<=[?&])sig)s?`;
/** What may stand between a name (and its closing quote) and its value. */
const SEPARATOR = "(" + [
  String.raw`\s{0,3}:\s{0,3}[&A-Za-z][\w.[\]&]{0,30}\s{0,3}=(?![=>])\s{0,40}`, // NAME: str = …
  String.raw`\s{0,40}(?::=|=>|[:=>])\s{0,40}`, // = : := => and > after <name>
  String.raw`(?:\s{0,3},)?\s{0,40}\\{0,3}["']?value\\{0,3}["']?\s{0,3}[:=]\s{0,3}`, // name/value
  String.raw`\s{0,3},\s{0,3}`, // define('NAME', …)
  String.raw`[ \t]{1,3}(?:is:?|[-\u2013\u2014])[ \t]{1,3}`, // the password is (:) …, password - …
  String.raw`[ \t]{1,3}`, // --password …
].join("|") + ")";
/**
 * A value: quoted (spaces allowed, as under a key), quoted with an escaped quote,
 * bare up to white space or a delimiter, or bare in backticks or parentheses
 * (`` the password is `Xq9vR2mT8kLp` ``, `(Xq9vR2mT8kLp)`).
 */
const VALUE =
  String.raw`(?:"([^"\\\r\n]{8,256})|'([^'\\\r\n]{8,256})|\\{1,3}"([^"\\\r\n]{8,256})|` +
  String.raw`([^\s"'\x60\\<>,;&()[\]{}]{8,256})|\x60([^\s"'\x60\\()[\]{}]{8,256})\x60|` +
  String.raw`\(([^\s"'\x60\\<>,;&()[\]{}]{8,256})\))`;
const ASSIGNMENT = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${NAME})(\\{0,3}["'])?\]?${SEPARATOR}${VALUE}`,
  "gi",
);
/** A cheap test before the pattern: text without one of these holds no secret name. */
const HINT = /key|secret|token|pass|pwd|auth|credential|sig=/i;
/**
 * A word every name the pattern reads holds, at most 13 characters into it
 * (`subscription_key`). A match starts at most 41 characters before its name's
 * word, so the pattern is tried only near these words: a long run of name
 * characters far from any (a megabyte of `_`) would otherwise cost it 40 tries
 * a character.
 */
const NAME_WORD = /key|secret|token|pass|pwd|auth|credential|sig/gi;
/** How far before a word (see {@linkcode NAME_WORD}) a match may start, with room to spare. */
const BEFORE_WORD = 64;
/** How far after a word a match may start: a word found inside another (`passwd`, `tokey`). */
const AFTER_WORD = 16;
/** Longer than any match: a name, its quote, the longest separator and a 256-character value. */
const LONGEST_MATCH = 1024;
const KEY_SHAPE = /^[A-Za-z0-9_.-]{2,64}$/;
const isSecretKey = keyNamed((key) => KEY_SHAPE.test(key) && HINT.test(key));

const NOT_SECRET = new RegExp(
  "(?:(?:page|pagination|cursor|next|continuation|resume|resumption|starting|csrf|xsrf|sync|" +
    "max|num|total|request|idempotency|cancellation|public[_-]?key|csrf\\w*|xsrf\\w*|authenticity|requestverification)[_-]?tokens?|^_tokens?|" +
    "(?:public|pub|publishable|verify|verifier|verification|site|primary|partition|sort|cache|" +
    "idempotency|routing|foreign|hash|range|lookup|gpg|pgp|host|object|kms)[_-]?keys?)$",
  "i",
);
const PASSWORD_NAME = /(?:passw(?:or)?d|passphrase)s?$/i;
/** A name ending in the short word `pass` or `pwd`, first or after a separator. */
const SHORT_PASSWORD_NAME = /(?:^|[^A-Za-z])(?:pass|pwd)s?$/i;
/** A name ending in `Pass` or `Pwd` in camel case (`dbPass`). */
const CAMEL_PASSWORD = /[a-z0-9](?:Pass|Pwd)s?$/;
/** The word a short password name's `pass` or `pwd` follows: a camel-case hump or a run. */
const WORD_BEFORE_PASS = /(?:[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+)$/;
/**
 * Words that own a password or say what it opens (`db_pass`, `smtp_pass`,
 * `admin_pwd`, `rootPass`, `Wifi Pass`): before `pass` or `pwd` they make it
 * one, however the name is written.
 */
const PASSWORD_OWNER = new Set(
  ("db dbs database sql mysql mariadb maria postgres postgresql pg psql mongo mongodb redis " +
    "oracle mssql sqlserver couchdb cassandra influx influxdb elastic es kibana grafana jdbc " +
    "odbc dsn smtp imap pop mail email ftp sftp ftps ssh scp ldap ldaps ad admin administrator " +
    "root su sudo superuser user usr username login logon signin account acct member owner " +
    "proxy http https basic auth api app application service svc bind master vault key " +
    "keystore truststore store cert certificate jks pfx pkcs ssl tls vnc rdp wifi wlan wpa " +
    "docker registry nexus jenkins artifactory git github gitlab npm backup zip archive pdf " +
    "become default initial init temp tmp new old current cur confirm kafka sasl amqp rabbit " +
    "rabbitmq mq mqtt smb cifs samba nas conn connection client server host remote local site " +
    "web portal panel router device wp sip secret private my your our").split(" "),
);
/**
 * Words before `pass` that make it a ticket or a permit, not a password
 * (`Boarding Pass`, `season_pass`, `ALL_ACCESS_PASS`).
 */
const TICKET = new Set(
  ("boarding season day guest bus hall visitor event ski backstage press free access week " +
    "weekly month monthly annual year yearly transit train rail metro subway tram parking park " +
    "gym museum festival vip hotel lift travel cruise flight ferry fast express golf pool zoo " +
    "concert conference expo student senior family hop mountain summer winter game battle " +
    "gate media crew camping theme tour ticket rover stadium boat ride entry hike trail").split(
      " ",
    ),
);
const SECRET_NAME = new RegExp(
  "(?:api[_ -]?key|apikey|secret|token|(?:access|private|secret|account|signing|encryption|" +
    "master|subscription|shared|hmac)[_ -]?key|credentials?|authori[sz]ation|auth)s?$",
  "i",
);
/**
 * An environment variable ending in `_KEY` (`OPENAI_KEY`, `config.OPENAI_KEY`,
 * which a key reads as `config_OPENAI_KEY`): upper case only, unlike `sort_key`.
 */
const ENV_KEY = /(?:^|[._])[A-Z][A-Z0-9_]{0,60}_KEYS?$/;
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
/** A bare `pass` or `pwd` (Go's `--- PASS: TestLogin2FA`, a shell's `PWD`): quoted values only. */
const BARE_PASSWORD = /^-{0,2}(?:pass|pwd)$/i;
/** A word of prose, maybe with punctuation after it. */
const WORD = /^[(\[]?\p{L}{2,}[,.;:!?)\]]*$/u;
/** An HTTP scheme word before a credential under an authorization or token key. */
const SCHEME = /^[A-Za-z0-9-]{2,20}[ \t]{1,8}(?=\S+$)/;
const MAX_KEYED_VALUE = 4096;
/** A separator of prose: `the password is …`, `the password is: …`, `password - …`. */
const SPOKEN = /^(?:is:?|[-\u2013\u2014])$/i;
/**
 * A word that says how a thing is made, not what it is, after an algorithm or
 * a size: `SHA256-hashed`, `AES256-encrypted`, `bcrypt-hashed`, `256-bit-encrypted`,
 * or a size alone (`2048-bit`). After any other word a dash may be part of the
 * password (`Blue42-horse`).
 */
const QUALIFIER = new RegExp(
  String.raw`^(?:(?:(?:sha|aes|rsa|md|hmac|pbkdf|blake|des|crc)-?\d*|bcrypt|scrypt|argon2\w*|` +
    String.raw`base\d+|\d+-(?:bit|byte|char(?:acter)?)s?)-[a-z]{3,}|` +
    String.raw`\d+-(?:bits?|bytes?|char(?:acter)?s?|digits?|letters?|words?))[.,;:!?]?$`,
  "i",
);
/** Three words or numbers joined by dashes: a passphrase (`7-tiger-lamp-river`). */
const PASSPHRASE = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+){2,}$/;
/** A number and its unit: after `is` or a dash, a rule about a password (`8-16-chars`), not one. */
const MEASURE = new RegExp(
  String.raw`\d-?(?:bits?|bytes?|chars?|characters?|digits?|letters?|words?|symbols?|` +
    String.raw`days?|weeks?|months?|years?|hours?|minutes?|mins?|seconds?|secs?|times?)(?![a-z])`,
  "i",
);
/** A mark of prose after a bare value (`the password is Xq9vR2mT8kLp.`). */
const SENTENCE_END = /[.!?]$/;
/** A validation rule list (`required|string|min:8|confirmed`), not a password. */
const RULES = /^[a-z_]+(?::[\w,.]+)?(?:\|[a-z_]+(?::[\w,.]+)?)+$/;

/** What `name` names, or undefined when it names no secret. */
function nameKind(name: string): NameKind | undefined {
  if (NOT_SECRET.test(name)) return undefined;
  if (PASSWORD_NAME.test(name) || shortPasswordName(name)) return "password";
  if (SECRET_NAME.test(name)) return /tokens?$/i.test(name) ? "token" : "key";
  return ENV_KEY.test(name) ? "key" : undefined;
}

/**
 * Whether `name` ends in `pass` or `pwd` naming a password: alone (`pass`,
 * `--pwd`, `PASS`), after a word that owns a password (`db_pass`,
 * `adminPwd`), or written as code (`sonar_pass`, `REDIS_PASS`, `sonarPass`)
 * after any word but a ticket's. A word written for people before it
 * (`Boarding Pass`, which a key reads as `Boarding_Pass`) names a ticket or
 * a permit unless it owns a password (`Wifi Pass`).
 */
function shortPasswordName(name: string): boolean {
  if (!SHORT_PASSWORD_NAME.test(name) && !CAMEL_PASSWORD.test(name)) return false;
  // What stands before `pass` or `pwd`, without the separators between.
  const before = name.slice(0, name.search(/(?:pass|pwd)s?$/i)).replace(/[^A-Za-z0-9]+$/, "");
  const word = WORD_BEFORE_PASS.exec(before)?.[0];
  if (word === undefined) return before === "";
  const lower = word.toLowerCase();
  const bare = lower.replace(/[0-9]+$/, "");
  if (PASSWORD_OWNER.has(lower) || PASSWORD_OWNER.has(bare)) return true;
  if (TICKET.has(bare)) return false;
  // `Boarding`: a capital then lower case, as a label written for people begins its words.
  return !/^[A-Z][a-z]/.test(word);
}

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
function delimitedSecret(kind: NameKind, name: string, text: string): boolean {
  const value = text.trim();
  if (kind === "password") {
    return value.length >= 8 && value.length <= 256 && printable(value) &&
      candidate(name, value) && !prose(value) && !RULES.test(value);
  }
  const token = value.replace(SCHEME, "");
  return candidate(name, token) && generated(token) && (!envKeyOnly(name) || looksRandom(token));
}

/** A name that is secret only by ending in `_KEY` (`LOCK_KEY`, `FEATURE_FLAG_KEY`). */
function envKeyOnly(name: string): boolean {
  return !SECRET_NAME.test(name) && ENV_KEY.test(name);
}

/**
 * Whether a bare value cut from text after `name` is a secret (`spaced`: after
 * a space; `spoken`: after `is` or a dash, where a passphrase of words and a
 * number, `7-tiger-lamp-river`, counts too).
 */
function bareSecret(
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

/** Whether the separator `sep` fits how the name at `index` was written. */
function separatorFits(text: string, index: number, name: string, closed: boolean, sep: string) {
  const s = sep.trim();
  if (s === ">") {
    // <apiKey>…</apiKey>, <string name="api_key">…</string>
    return closed ? text[index - 2] === "=" : text[index - 1] === "<";
  }
  if (s === ",") return closed;
  if (s === "") return !closed && /^-|[A-Za-z0-9][_-]/.test(name);
  // `…:secret:prod/…` is a segment of an ARN or URN, not an assignment.
  return !(s === ":" && sep === ":" && text[index - 1] === ":");
}

/** Whether the pattern's match `m`, at `index` in `text`, assigns a secret. */
function assignedSecret(text: string, index: number, m: RegExpExecArray): boolean {
  const name = m[1] as string;
  const sep = m[3] as string;
  const quoted = m[4] ?? m[5] ?? m[6];
  // A bare value, maybe in backticks or parentheses.
  const bare = (m[7] ?? m[8] ?? m[9]) as string;
  // Every secret has a digit (see `candidate`): prose after a name (`password is
  // required`) is passed over before the name is read.
  if (!/[0-9]/.test(quoted ?? bare)) return false;
  const kind = /^sigs?$/i.test(name) ? "key" : nameKind(name);
  const end = index + m[0].length;
  if (
    kind === undefined || !separatorFits(text, index, name, m[2] !== undefined, sep) ||
    (quoted === undefined && (BARE_PASSWORD.test(name) || /::|->/.test(bare))) ||
    (m[7] !== undefined && text[end] === "(") ||
    (name === "PASS" && sep.trim() === ":")
  ) return false;
  const s = sep.trim();
  if (quoted !== undefined) return delimitedSecret(kind, name, quoted);
  // After "is" or a dash a word of prose may follow (`the password is SHA256-hashed`).
  const spoken = SPOKEN.test(s);
  if (spoken && (QUALIFIER.test(bare) || MEASURE.test(bare))) return false;
  const spaced = s === "" || spoken;
  if (bareSecret(kind, name, bare, spaced, spoken)) return true;
  // A sentence may end just after the value: read it without its last mark too.
  const unmarked = bare.slice(0, -1);
  return m[7] !== undefined && SENTENCE_END.test(bare) && unmarked.length >= 8 &&
    bareSecret(kind, name, unmarked, spaced, spoken);
}

/** Whether `text` holds a secret assigned to a secret-sounding name. */
export function detectApiKeyAssignment(text: string, key: string | undefined): boolean {
  if (key !== undefined && isSecretKey(key)) {
    const kind = nameKind(key);
    if (kind !== undefined && text.length <= MAX_KEYED_VALUE && delimitedSecret(kind, key, text)) {
      return true;
    }
  }
  if (text.length < 11 || !HINT.test(text)) return false;
  // The pattern runs over windows around the name words, as one scan of the whole
  // text would: `resume` is where that scan would go on.
  let resume = 0;
  NAME_WORD.lastIndex = 0;
  let word = NAME_WORD.exec(text);
  while (word !== null) {
    const first = word.index;
    let last = first;
    word = NAME_WORD.exec(text);
    while (word !== null && word.index - BEFORE_WORD <= last + AFTER_WORD + LONGEST_MATCH) {
      last = word.index;
      word = NAME_WORD.exec(text);
    }
    const start = Math.max(resume, first - BEFORE_WORD);
    const lastStart = last + AFTER_WORD;
    if (start > lastStart) continue;
    // One character before the window, for the pattern's look-behind.
    const base = Math.max(0, start - 1);
    const window = text.slice(base, Math.min(text.length, lastStart + LONGEST_MATCH));
    ASSIGNMENT.lastIndex = start - base;
    for (let m = ASSIGNMENT.exec(window); m !== null; m = ASSIGNMENT.exec(window)) {
      if (base + m.index > lastStart) break;
      if (assignedSecret(text, base + m.index, m)) return true;
      // A URL may carry a secret of its own (`?token=…`): read on inside it.
      const value = (m[4] ?? m[5] ?? m[6] ?? m[7] ?? m[8] ?? m[9]) as string;
      const query = value.includes("://") ? value.indexOf("?") : -1;
      if (query > 0) ASSIGNMENT.lastIndex = m.index + m[0].length - value.length + query;
      resume = base + ASSIGNMENT.lastIndex;
    }
  }
  return false;
}
