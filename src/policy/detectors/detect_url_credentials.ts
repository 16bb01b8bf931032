/**
 * Passwords written into a URL or a command line: `scheme://user:password@host`
 * (database connection strings such as `postgres://…`, `mongodb+srv://…`,
 * `redis://:password@…`; registry, git and webhook URLs); curl's
 * `-u user:password`, `--user user:password` and proxy `-U`/`--proxy-user`;
 * the password options of commands known to take one: `mysql -p<password>`
 * (and `mysqldump`, `mariadb`…; `-p` alone prompts; also bundled,
 * `-Bp<password>`), `sshpass -p` (also bundled: `-vp <password>`), `docker
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
 * A command whose password option is known, up to the end of its line or a
 * shell separator (`;`, `&`, `&&`, `|`, `||`): the MySQL and MariaDB
 * clients (`-p` joined to the password: `-p` alone prompts for it), `sshpass
 * -p`, and a registry login (`docker login -p`, `podman`, `nerdctl`,
 * `buildah`, `helm registry`). Only the command's own options are read (see
 * {@linkcode commandPasswords}): `sshpass -e ssh -p 2222 host` gives ssh
 * its port, and `podman login quay.io & podman run -p 8080:80 img` a port
 * to another command.
 */
const PASSWORD_COMMAND = new RegExp(
  String
    .raw`(?<![\w.-])(?:(mysql(?:dump|admin|import|show|check|slap)?|mariadb(?:-dump|-admin)?)|` +
    String
      .raw`(sshpass)|((?:docker|podman|nerdctl|buildah|skopeo|helm[ \t]+registry)[ \t]+login))` +
    // Up to a shell separator; one inside quotes separates nothing (`-p 'Pa&ss…'`).
    String.raw`(?:\.exe)?[ \t](?:"[^"\n]*"|'[^'\n]*'|[^\n;|&\\"']|\\[^]){0,4096}`,
  "g",
);
/**
 * Each MySQL and MariaDB client's password option, `-p<password>`: they read
 * options anywhere up to the end of the command (`mysql shop -uroot -p…`),
 * and bundle short options as getopt does (`-Bp<password>`,
 * `-tp<password>`), after the client's own short options that take no value
 * (one that takes a value, `-e`, `-u`, `-h`, `-D`, takes the rest of the
 * word, so a `p` there is no option).
 */
function mysqlPassword(flags: string): RegExp {
  return new RegExp(String.raw`\s-[${flags}]{0,12}p["']?([^\s"']{8,256})`, "g");
}
/** `mysql` and `mariadb`: `-A -B -b -C -c -E -f -G -g -H -i -L -N -n -o -q -r -s -T -t -U -V -v -W -w -X`. */
const MYSQL_CLIENT = mysqlPassword("ABbCcEfGgHiLNnoqrsTtUVvWwX");
/** `mysqldump`, `mariadb-dump`: `-A -a -B -C -c -d -E -e -F -f -i -K -l -N -n -Q -q -R -t -V -v -X -x -Y -y`. */
const MYSQL_DUMP = mysqlPassword("AaBCcdEeFfiKlNnQqRtVvXxYy");
/** `mysqladmin`, `mariadb-admin`: `-C -E -f -r -s -V -v`. */
const MYSQL_ADMIN = mysqlPassword("CEfrsVv");
/** `mysqlimport`: `-C -d -f -i -L -l -r -s -V -v`. */
const MYSQL_IMPORT = mysqlPassword("CdfiLlrsVv");
/** `mysqlshow`: `-C -i -k -t -V -v`. */
const MYSQL_SHOW = mysqlPassword("CiktVv");
/** `mysqlcheck`: `-A -a -B -C -c -e -F -f -g -m -o -q -r -s -V -v`. */
const MYSQL_CHECK = mysqlPassword("AaBCceFfgmoqrsVv");
/** `mysqlslap`: `-a -C -s -V -v`. */
const MYSQL_SLAP = mysqlPassword("aCsVv");

/** A MySQL or MariaDB client's name and its password option. */
function mysqlOptions(name: string): RegExp {
  const client = name.replace(/^mariadb-?/, "").replace(/^mysql/, "");
  switch (client) {
    case "dump":
      return MYSQL_DUMP;
    case "admin":
      return MYSQL_ADMIN;
    case "import":
      return MYSQL_IMPORT;
    case "show":
      return MYSQL_SHOW;
    case "check":
      return MYSQL_CHECK;
    case "slap":
      return MYSQL_SLAP;
    default:
      return MYSQL_CLIENT;
  }
}

/**
 * Whether the text before a client's name puts it where a shell runs a
 * command: at the start, after a shell separator (`;`, `&`, `|`, a line
 * break, `(`, `$(`, a backtick), after variable assignments and after a
 * command that runs another (`sudo -u root`, `env A=b`, `exec`, `time`,
 * `nice -n 5`, `nohup`, `command`), maybe as a path (`/usr/bin/mysql`).
 * `-I/usr/include/mysql` and prose ("moved mysql to the new box") are none.
 */
function atCommandPosition(text: string, index: number): boolean {
  const start = Math.max(0, index - 512);
  let cut = start - 1;
  for (let i = index - 1; i >= start; i--) {
    if (COMMAND_SEPARATOR.has(text[i]!)) {
      cut = i;
      break;
    }
  }
  if (cut < 0 && start > 0) return false;
  const before = text.slice(cut + 1, index);
  // A quoted path: `& "C:\Program Files\MySQL\bin\mysql.exe"`.
  if (QUOTED_FOLDER.test(before)) return true;
  const words = before.split(/[ \t]+/);
  // What is joined to the name: nothing, or the folders of its path.
  const path = words.pop()!;
  if (path !== "" && !COMMAND_FOLDER.test(path)) return false;
  let wrapped = false;
  let optionValue = false;
  for (const word of words) {
    if (word === "") continue;
    if (ASSIGNMENT.test(word)) {
      optionValue = false;
      continue;
    }
    if (WRAPPER.test(word)) {
      wrapped = true;
      optionValue = false;
      continue;
    }
    if (wrapped && word.startsWith("-")) {
      optionValue = true;
      continue;
    }
    // The value of a wrapper's option (`sudo -u root`, `nice -n 5`).
    if (optionValue) {
      optionValue = false;
      continue;
    }
    return false;
  }
  return true;
}

const COMMAND_SEPARATOR = new Set([";", "&", "|", "\n", "\r", "(", "`"]);
/** The folders before a command's name: `/usr/bin/`, `./`, `~/bin/`, `C:\\tools\\`. */
const COMMAND_FOLDER = /^(?!-)(?:[A-Za-z]:)?[\w.~\/\\-]*[/\\]$/;
const QUOTED_FOLDER = /^[ \t]*["'][^"'\n]*[/\\]$/;
const ASSIGNMENT = /^[A-Za-z_]\w*=/;
const WRAPPER = /^(?:sudo|doas|env|exec|time|nice|nohup|command|\S*\/(?:sudo|env|time))$/;

/**
 * How each command's options are read: those that take the next word as
 * their value, where the password is (`-p <password>`, `-p<password>`,
 * `--password=<password>`), and how many words that are no option it takes
 * before the options end (`sshpass` none: the next word is the command it
 * runs; a registry login the registry).
 */
interface CommandOptions {
  withValue: ReadonlySet<string>;
  password: RegExp;
  positionals: number;
  /**
   * For a command that bundles short options as getopt does (`-vp <password>`):
   * its flags, the options that take a value (joined or the next word) and
   * the one whose value is the password. Any other letter (`-e`, whose
   * optional value is the rest of the word) ends the bundle.
   */
  bundles?: { flags: string; withValue: string; password: string };
}

/** sshpass's `getopt` options: `-f file`, `-d fd`, `-p password`, `-P prompt`, `-e[name]`, `-h -v -V`. */
const SSHPASS: CommandOptions = {
  withValue: new Set(["-f", "-d", "-P", "-p"]),
  password: /^-p(.*)$/,
  positionals: 0,
  bundles: { flags: "hvV", withValue: "fdPp", password: "p" },
};
const LOGIN: CommandOptions = {
  withValue: new Set(["-u", "--username", "-p", "--password", "--authfile", "--cert-dir"]),
  password: /^(?:-p|--password)(?:=?(.*))$/,
  positionals: 1,
};

/**
 * The passwords `command` (the text {@linkcode PASSWORD_COMMAND} matched,
 * its name first) gives itself, read word by word: its options up to the
 * first word that is neither an option, an option's value nor one of its
 * positional words.
 */
function commandPasswords(command: string, options: CommandOptions): string[] {
  const words = command.split(/\s+/);
  const found: string[] = [];
  let positionals = 0;
  // The command's name is one word ("sshpass") or two ("docker login"), three for helm.
  let i = words[0] === "helm" ? 3 : words[0] === "sshpass" ? 1 : 2;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (word === "" || word === "\\") continue;
    if (word.charCodeAt(0) !== 45 || word === "-" || word === "--") {
      if (++positionals > options.positionals || word === "--") break;
      continue;
    }
    if (options.withValue.has(word)) {
      const value = words[++i];
      if (value !== undefined && options.password.test(word)) found.push(value);
      continue;
    }
    if (options.bundles !== undefined && word.charCodeAt(1) !== 45) {
      // `-vp secret`, `-vpsecret`: flags, then an option that takes the rest or the next word.
      // An option with a value (optional or not) takes the rest of the word, and so ends
      // the bundle; so does a letter it does not know.
      const { flags, withValue, password } = options.bundles;
      let j = 1;
      while (j < word.length && flags.includes(word[j]!)) j++;
      const letter = word[j];
      if (letter !== undefined && withValue.includes(letter)) {
        const value = j + 1 < word.length ? word.slice(j + 1) : words[++i];
        if (letter === password && value !== undefined && value !== "") found.push(value);
      }
      continue;
    }
    const m = options.password.exec(word);
    if (m !== null && m[1] !== undefined && m[1] !== "") found.push(m[1]);
  }
  return found;
}

/** A password word without the quotes around it, when it is long enough to be one. */
function unquoted(word: string): string | undefined {
  const bare = word.replace(/^["']|["']$/g, "");
  return bare.length >= 8 && bare.length <= 256 && !/["'\s]/.test(bare) ? bare : undefined;
}

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
    if (command[1] !== undefined) {
      if (!atCommandPosition(text, command.index)) continue;
      for (const m of command[0].matchAll(mysqlOptions(command[1]))) {
        if (!isPlaceholder("", m[1] as string)) return true;
      }
      continue;
    }
    const options = command[2] !== undefined ? SSHPASS : LOGIN;
    for (const word of commandPasswords(command[0], options)) {
      const password = unquoted(word);
      // A login's value that starts with "-" is the next option (`-p --password-stdin`).
      if (password === undefined || (options === LOGIN && password.startsWith("-"))) continue;
      if (!isPlaceholder("", password)) return true;
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
