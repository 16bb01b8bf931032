/**
 * Passwords written into a URL or a command line: `scheme://user:password@host`
 * (database connection strings such as `postgres://…`, `mongodb+srv://…`,
 * `redis://:password@…`; registry, git and webhook URLs); curl's
 * `-u user:password`, `--user user:password` and proxy `-U`/`--proxy-user`;
 * the password options of commands known to take one: `mysql -p<password>`
 * (and `mysqldump`, `mariadb`…; `-p` alone prompts), `sshpass -p`, `docker
 * login -p` or `--password` (`podman`, `nerdctl`, `buildah`, `skopeo`, `helm
 * registry`); and a session cookie curl sends (`-b name=value`, `-H "Cookie:
 * …"`) whose value is at least 16 random-looking letters and digits.
 * The password must be at least 8 characters and not a placeholder: a bare
 * word such as `password`, `pass` or `secret`, a mask (`****`, `xxx`), a
 * template or variable (`${PASS}`, `{{…}}`, `$DB_PASS`, `%s`, `<password>`),
 * one of the words `changeme`, `example`, `placeholder`, `redacted`,
 * `your_…`, or the user name again (`postgres:postgres`, a known default
 * rather than a leaked secret). `user@host` without a password, `ssh://git@…`,
 * `mailto:` and `https://example.com/@handle` hold none.
 *
 * @example
 * ```ts
 * detectUrlCredentials("postgres://admin:Xk9mP2vL7qR4tZw8@db.internal:5432/app", undefined); // true
 * detectUrlCredentials("curl -u admin:Xk9mP2vL7qR4 https://api.example.com", undefined); // true
 * detectUrlCredentials("mysql -u root -pXk9mP2vL7qR4 -h db shop", undefined); // true
 * detectUrlCredentials("mysql -u root -p -h db shop", undefined); // false (it prompts)
 * detectUrlCredentials("postgres://user:password@localhost/app", undefined); // false
 * detectUrlCredentials("ssh://git@github.com/org/repo.git", undefined); // false
 * ```
 */
import { shannonEntropy } from "./shannon_entropy.ts";

/**
 * What follows `://`: a user (which may be empty, or an unescaped email
 * address), `:`, a password of 8 to 256 characters, `@` and the start of a
 * host name or IPv6 literal. The user stops at the first `:` and neither part
 * crosses `/`, `?`, `#`, white space or quotes, so the work per `://` is bounded.
 */
const USERINFO = /([^\s:/?#[\]'"<>\\]{0,128}):([^\s/?#[\]'"<>\\]{8,256})@[A-Za-z0-9\[]/y;
/** The scheme just before `://` (`https`, `mongodb+srv`, `git+ssh`). */
const SCHEME = /(?:^|[^A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}$/;
/**
 * A curl command up to the end of its line (a `\`-continued line goes on), a
 * `;`, a pipe or `&&`: the words that can be its options.
 */
const CURL = /(?<![\w.-])curl(?:\.exe)?\s(?:[^\n;|&\\]|&(?!&)|\\[^]){0,4096}/g;
/** curl's user option and its value: `-u a:b`, `-ua:b`, `-su a:b`, `--user=a:b`, `-U a:b`. */
const CURL_USER =
  /\s(?:-[A-Za-z]{0,8}[uU]\s*|--(?:proxy-)?user(?:\s+|=))["']?([^\s:"']{0,128}):([^\s"']{8,256})/g;

/** A bare placeholder word, maybe with `my`/`your`/`db` before it or `_here` after it. */
const PLACEHOLDER_WORD =
  /^(?:my|your|the|some|db|app|user|admin)?[_-]?(?:pass(?:word|wd)?|pwd|secret|token)s?[_-]?(?:here)?$/i;
/** Templates, variables, masks and the words docs use for a value to fill in. */
const PLACEHOLDER =
  /\$\{|\{\{|\$\(|%\(|[<>]|^\$\w+$|^%\w+%$|^%s$|\*\*\*|xxx|•|change_?me|example|placeholder|redacted|dummy|your[_-]/i;

/** A port and the next item of a list (`http://localhost:3000,admin@example.org`). */
const PORT_THEN_LIST = /^\d{1,5}[,;]/;

/** Whether `password` is a placeholder rather than a secret (`user` is the name before it). */
function isPlaceholder(user: string, password: string): boolean {
  if (PORT_THEN_LIST.test(password)) return true;
  // `{password}`, `{0}`: a format-string field; `pserver:anoncvs`: a CVS method, not a password.
  if (/^\{[\w.]*\}$/.test(password) || /^(?:pserver|ext|gserver):/.test(password)) return true;
  const decoded = password.replace(
    /%([0-9A-Fa-f]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
  return decoded === user || PLACEHOLDER_WORD.test(decoded) || PLACEHOLDER.test(decoded);
}

function urlHasCredentials(text: string): boolean {
  for (let at = text.indexOf("://"); at !== -1; at = text.indexOf("://", at + 3)) {
    if (!SCHEME.test(text.slice(Math.max(0, at - 33), at))) continue;
    USERINFO.lastIndex = at + 3;
    const m = USERINFO.exec(text);
    // `docker://python:3.12-slim@sha256:…`: an image tag and digest.
    if (m !== null && /^sha(?:256|384|512):/.test(text.slice(USERINFO.lastIndex - 1))) continue;
    if (m !== null && !isPlaceholder(m[1] as string, m[2] as string)) return true;
  }
  return false;
}

function curlHasCredentials(text: string): boolean {
  for (const command of text.matchAll(CURL)) {
    for (const m of command[0].matchAll(CURL_USER)) {
      if (!isPlaceholder(m[1] as string, m[2] as string)) return true;
    }
  }
  return false;
}

/**
 * A command whose password option is known, up to the end of its line (as
 * {@linkcode CURL}): the MySQL and MariaDB clients (`-p` joined to the
 * password: `-p` alone prompts for it), `sshpass -p`, and a registry login
 * (`docker login -p`, `podman`, `nerdctl`, `buildah`, `helm registry`).
 */
const PASSWORD_COMMAND = new RegExp(
  String
    .raw`(?<![\w.-])(?:(mysql(?:dump|admin|import|show|check|slap)?|mariadb(?:-dump|-admin)?)|` +
    String
      .raw`(sshpass)|((?:docker|podman|nerdctl|buildah|skopeo|helm[ \t]+registry)[ \t]+login))` +
    String.raw`(?:\.exe)?[ \t](?:[^\n;|&\\]|&(?!&)|\\[^]){0,4096}`,
  "g",
);
/** The password option of each command: `-p<password>`; `-p <password>`; `-p`/`--password`. */
const MYSQL_PASSWORD = /\s-p["']?([^\s"']{8,256})/g;
const SSHPASS_PASSWORD = /\s-p\s*["']?([^\s"']{8,256})/g;
const LOGIN_PASSWORD = /\s(?:-p|--password)(?:\s+|=)["']?([^\s"'-][^\s"']{7,255})/g;

/** curl's cookie options: `-b name=value`, `--cookie …`, `-H "Cookie: …"`. */
const CURL_COOKIE =
  /\s(?:-b\s*|--cookie(?:\s+|=))["']?([^\s"']*=[^"'\n]*)|\s(?:-H\s*|--header(?:\s+|=))["']?cookie:[ \t]*([^"'\n]*)/gi;

/** A cookie value that is a session secret: long, letters and digits, random-looking. */
function secretCookie(pairs: string): boolean {
  for (const pair of pairs.split(";")) {
    const value = pair.slice(pair.indexOf("=") + 1).trim();
    if (
      value.length >= 16 && value.length <= 4096 && /[0-9]/.test(value) && /[A-Za-z]/.test(value) &&
      !isPlaceholder("", value) && shannonEntropy(value) >= 3.5
    ) {
      return true;
    }
  }
  return false;
}

function commandHasPassword(text: string): boolean {
  for (const command of text.matchAll(PASSWORD_COMMAND)) {
    const options = command[1] !== undefined
      ? MYSQL_PASSWORD
      : command[2] !== undefined
      ? SSHPASS_PASSWORD
      : LOGIN_PASSWORD;
    for (const m of command[0].matchAll(options)) {
      if (!isPlaceholder("", m[1] as string)) return true;
    }
  }
  return false;
}

function curlHasCookie(text: string): boolean {
  for (const command of text.matchAll(CURL)) {
    for (const m of command[0].matchAll(CURL_COOKIE)) {
      if (secretCookie((m[1] ?? m[2]) as string)) return true;
    }
  }
  return false;
}

/** A cheap test before {@linkcode PASSWORD_COMMAND}: one of its command words. */
const COMMAND_HINT = /mysql|mariadb|sshpass|login/;

/** Whether `text` holds a password in a URL's user info or on a command line. */
export function detectUrlCredentials(text: string, _key: string | undefined): boolean {
  if (text.includes("@") && text.includes("://") && urlHasCredentials(text)) return true;
  if (!text.includes("-")) return false;
  if (text.includes("curl") && (curlHasCredentials(text) || curlHasCookie(text))) return true;
  return COMMAND_HINT.test(text) && commandHasPassword(text);
}
