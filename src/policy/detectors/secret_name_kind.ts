/**
 * What a secret-sounding name says its value is: a password (`password`,
 * `db_pass`, `adminPwd`, but not a ticket such as `Boarding Pass`), a token
 * (`sessionToken`) or a key (`api_key`, `OPENAI_KEY`), or nothing when it only
 * names a page, a request or a key in a table (`pageToken`, `PUBLIC_KEY`).
 * Used by `detect_api_key_assignment.ts` to read a name before its value.
 *
 * @example
 * ```ts
 * nameKind("DB_PASSWORD"); // "password"
 * nameKind("sessionToken"); // "token"
 * nameKind("OPENAI_KEY"); // "key"
 * nameKind("Boarding_Pass"); // undefined
 * nameKind("NextToken"); // undefined
 * envKeyOnly("FEATURE_FLAG_KEY"); // true
 * ```
 */

/** What a name says its value is: narrowed by {@linkcode nameKind}, read loosely in the pattern. */
export type NameKind = "password" | "token" | "key";

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

/** What `name` names, or undefined when it names no secret. */
export function nameKind(name: string): NameKind | undefined {
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

/** A name that is secret only by ending in `_KEY` (`LOCK_KEY`, `FEATURE_FLAG_KEY`). */
export function envKeyOnly(name: string): boolean {
  return !SECRET_NAME.test(name) && ENV_KEY.test(name);
}
