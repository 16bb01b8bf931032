/**
 * thoth's own files: a governed server runs as the same user as thoth, so a
 * server with file or shell tools could otherwise reset the progressive
 * counters (`state/`), answer its own approval requests (`approvals/`), read
 * the audit keys (`keys/`) or delete audit segments. A call whose arguments
 * reach the profile folder (`THOTH_HOME`) is blocked under rule
 * {@linkcode OWN_FILES_RULE}, before the policy's own rules and whatever the
 * enforcement mode (observe included); no policy can remove or loosen it.
 * The MCP clients' config files are protected the same way, under
 * {@linkcode CLIENT_CONFIG_RULE}.
 *
 * A string in the arguments (a value or a key, anywhere, also inside JSON a
 * string holds) reaches the folder when:
 * 1. one of its path readings lands in the folder or below it: the readings
 *    the policy's path rules use (`compilePredicate`: `~`, percent escapes,
 *    `file:` URLs, `/proc/self/root`, a relative path resolved against the
 *    server's folders, case and `\` on macOS and Windows, …), and on Windows
 *    with any segment of the folder that is no 8.3 name also written as a
 *    short name of that segment's shape (`THOTH~1`, `TH4F2A~1` for
 *    `.thoth`; `MYDOCU~1` is none of its, see `short_names.ts`);
 * 2. one of its path readings is a folder that holds the protected one and
 *    lies strictly below the home folder (`~/.cursor`, `~/.config`,
 *    `~/.config/Code/User`): moving it away, editing the file under its new
 *    name and moving it back would otherwise pass. Only the folder itself:
 *    what else is in it stays reachable, and the home folder and the folders
 *    above it are never blocked;
 * 3. it holds the folder's absolute path, or its `~/`, `~ana/` (the user
 *    whose home folder it is), `$HOME/` or `${HOME}/` form
 *    (`%USERPROFILE%\`, `$env:USERPROFILE\`, `%HOMEDRIVE%%HOMEPATH%\` on
 *    Windows) when it is under the home folder, or its `$XDG_CONFIG_HOME/`
 *    form (`%APPDATA%\`, `$env:APPDATA\` on Windows) when it is under that
 *    folder ({@linkcode VariableFolders}), anywhere in it (a shell command
 *    such as `rm ~/.thoth/state/progressive.json`), unless a file name
 *    character follows (`~/.thothrc` is another file). The string is also
 *    searched as a shell reads the word: without quotes (`"$HOME"/.thoth`,
 *    `~/'.thoth'`, `$HOME/.th''oth`, bash's `~/.th$'o'th`, `$'\x2ethoth'`
 *    and `$".thoth"`), without `\` escapes outside Windows
 *    (`~/Library/Application\ Support`, `~/.t\hoth`), with runs of `/` as
 *    one and `/./` as `/` (`~//.thoth`, `/home/ana/./.thoth`), and
 *    `${HOME:-…}`, `${XDG_CONFIG_HOME:-…}` as the variable; on Windows also
 *    with a short name for a segment (`%USERPROFILE%\THOTH~1`);
 * 4. the call names the folder it runs in, anywhere in its arguments (also
 *    inside JSON a string holds), as the value of a key
 *    {@linkcode WORKING_FOLDER_KEYS} lists (`cwd`, `dir`, `directory`,
 *    `workdir`, `workingDir`, `working_directory`, `current_dir`…, compared
 *    without case, `_` and `-`): a string or an array of strings, `~`,
 *    `$HOME`, `%USERPROFILE%`, `$env:USERPROFILE`, `%APPDATA%`… read as in
 *    item 3; and a string of the call read as one relative path (its white
 *    space trimmed: `Library/Application Support/…`) lands as in 1 or 2, or
 *    a word of it as a shell splits it (quotes, `\` escapes and `$'…'`
 *    read, so `"my files/.thoth"` is one word; also the part after a `=`),
 *    resolved against that folder, lands as in 1: `{"command": "rm
 *    .thoth/state/x", "cwd": "~"}`. A word is read as the absolute paths of
 *    item 3 are: it may name a protected folder or what it holds, never a
 *    folder of item 2 (`du -sh .config`, `pip install library`). A word
 *    with white space or shell syntax in it is split again, three times at
 *    most, as a shell that runs it would (`sh -c 'cat .thoth/keys/x'`,
 *    `cmd /c "type .thoth\keys\x"`, `"$(cat …)"`). The whole string is
 *    read so only when it is one line (a line with line breaks around it is
 *    read as a word is); in a text of several lines (a file's, or one line
 *    with a line break after it that is one word) a word counts only with a
 *    separator in it (a `.gitignore` line `.claude.json`, prose naming
 *    `.thoth`). Keys are read as values are. `$PWD/` (`%CD%\` on Windows)
 *    is the folder itself, and on Windows `c:x` is `x` in the folder when it
 *    is on drive `c:`, otherwise in that drive's root. Every such
 *    folder applies to every string of the call. A call that names more
 *    than {@linkcode MAX_WORKING_FOLDERS} distinct ones while some string
 *    may name a relative path to a protected folder is blocked, and so is a
 *    call that needs more resolutions than its size allows
 *    ({@linkcode RELATIVE_BUDGET_BASE}), each with its own reason.
 *
 * Paths are compared as the OS compares them: without case on macOS and
 * Windows (`ſ` read as `s` and `ı` as `i` too, see `case_folding.ts`), `\`
 * as `/` on Windows.
 *
 * Mentioning the folder's name in prose (`.thoth`) is neither; a text that
 * names a protected path (`~/.cursor/mcp.json` in a README a server writes)
 * is, and is blocked: the person writes that file. Every folder given is
 * protected: the profile folder as given and its real path.
 *
 * What this costs: listing or moving a folder of item 2 is blocked too
 * (`list_directory ~/.config`, `~/.cursor`, `~/.claude`, `~/Library` and
 * `~/Library/Application Support` on macOS, `AppData` and
 * `AppData\Roaming` on Windows, and `~/.config` when the profile is
 * `~/.config/thoth`), while the files in them stay reachable one by one.
 * In a call whose working folder holds a protected one, a single line that
 * names it bare is blocked, prose (`thoth keeps its files in .thoth`) and an
 * option (`rsync -a --exclude=.thoth ./ /backup/`) alike, and so is a
 * quoted word with white space that a protected path ends
 * (`cat "x .thoth/keys"`): either may be a command a shell runs.
 *
 * Cheap on every call: the arguments are walked once for both protections
 * ({@linkcode firstReached}), the answers for short object keys (argument
 * names, the same from call to call) are kept until the server's folders
 * change, and a string is searched for the last names of the protected
 * folders only (its case folded once for both protections), not for those
 * of item 2. A string is read as a path (item 1) only when it holds such
 * a name, a percent escape (`%2e`) or a leading `~`, or when a folder the
 * server resolves relative paths against lies inside the profile (then every
 * relative path does too, prose included). It is read for item 2 only when
 * the last name of a folder of item 2 is its last segment (past separators
 * and `.` segments; on Windows also past the dots, spaces and stream the OS
 * drops), or a whole segment before a `..` (unless a line break follows that
 * `..`: it would stay in the path), or when a folder the server resolves
 * relative paths against lies at or below a folder of item 2 and the string
 * is empty or holds a `.` or `..` segment; `src/user/f.ts` (`User` on
 * Windows) is not read against every folder. A string is searched as a shell
 * reads it only when it holds such a name, quotes and escapes removed, and
 * each search is one linear pass. On Windows a string is read for a short
 * name only when it holds a short name of one of the folder's segments. The
 * strings of a call are resolved against a working folder (item 4) only in
 * a call that names one, and only a path that holds a name of item 1 as a
 * whole segment (of item 1 or 2 for a whole string), a `..`, a percent
 * escape or such a short name; a path with a `..` but no such name only
 * against a folder that names one.
 *
 * The lexical readings end where the file system and the shell begin: a
 * symbolic link the server made, a Windows short name of a folder of item 2
 * (`CONFIG~1`) or a short name the profile's own segments do not account
 * for, a shell variable other than `HOME`, `XDG_CONFIG_HOME` and (Windows)
 * `APPDATA`, `USERPROFILE`, `HOMEDRIVE`/`HOMEPATH`, a command relative to a
 * folder it changes to itself (`cd ~ && cat .thoth/keys/x`, `~+/.thoth`)
 * or to a working folder given otherwise than by item 4 (a key of another
 * name, `{"cwd": "$PROJECT"}`), a glob
 * (`~/.th*th`), a search (`find ~ -name hmac.key`), a call on the home folder
 * or above (`rm -rf ~`, moving the home folder), a shell command that moves
 * a folder of item 2 (`mv ~/.cursor ~/c2`: only a path reading of the folder
 * itself is blocked, as a file tool's argument), and the names of the
 * profile's files that a search or a tree of a folder holding it lists
 * (`search_files`, `directory_tree` on the home folder) are beyond them.
 *
 * @example
 * ```ts
 * const own = compileOwnFiles(["/home/ana/.thoth"], { home: "/home/ana", os: "linux" });
 * own!.reaches({ path: "~/.thoth/state/progressive.json" }); // true
 * own!.reaches({ command: "cat /home/ana/.thoth/keys/hmac.key" }); // true
 * own!.reaches({ command: `cat "$HOME"/.th''oth/keys/hmac.key` }); // true
 * own!.reaches({ text: "thoth keeps its files in .thoth" }); // false
 * ```
 */
import type { Action } from "./action.ts";
import { caseless } from "./case_folding.ts";
import { compilePredicate, type PathOptions } from "./compile_predicate.ts";
import type { EnforcementMode } from "./enforcement_mode.ts";
import type { Evaluation } from "./evaluation.ts";
import { holdsPercentEscape } from "./percent_escape.ts";
import { parsePythonJson } from "./python_json.ts";
import { decodedDollarQuote, shellWords } from "./shell_words.ts";
import { mayHaveShortName, shortNameForms } from "./short_names.ts";

/** The rule id of the protection. */
export const OWN_FILES_RULE = "thoth.own_files";

/**
 * The rule id of the same protection for the MCP clients' own config files
 * (`claude_desktop_config.json`, `~/.claude.json`, `mcp.json`…): a server
 * that edits one could take itself out of thoth's governance at the next
 * start, and reading one shows other servers' credentials.
 */
export const CLIENT_CONFIG_RULE = "thoth.client_config";

/**
 * What a protection guards: thoth's profile, the clients' config files, or
 * their project configs in any folder (`project_configs.ts`).
 */
export type OwnFilesKind = "profile" | "client_config" | "project_config";

/** The protection of thoth's profile folder, compiled once per session. */
export interface OwnFiles {
  /** What it guards. */
  kind: OwnFilesKind;
  /** The profile folder (or config file) as given (the first one), for explanations. */
  folder: string;
  /** Whether some string in `args` (a value or a key) reaches a protected folder. */
  reaches(args: unknown): boolean;
  /**
   * One string of the arguments: {@linkcode REACHES} when it reaches a
   * protected folder, {@linkcode READ_JSON} when it does not but the JSON it
   * may hold must be read too (`json`: it may hold some), otherwise 0;
   * `escaped`: it holds a percent escape. See {@linkcode firstReached},
   * which walks the arguments once for several protections and works these
   * facts out once for all of them.
   */
  check(value: string, json: boolean, escaped: boolean): number;
  /** {@linkcode OwnFiles.check} for an object's key: the answers for short keys are kept. */
  checkKey(key: string, json: boolean, escaped: boolean): number;
  /**
   * Whether a relative path in `value` (the whole string, a word of it as a
   * shell splits it, or a word's part after a `=`) resolved against one of
   * `folders` (the working folders the same call names, see
   * {@linkcode WORKING_FOLDER_KEYS}) reaches a protected folder (the whole
   * string: also a folder of item 2 itself). Each resolution spends one of
   * `budget.left`; when none is left, `budget.exhausted` is set and the
   * answer is true. Absent where a relative path reaches one wherever it is
   * resolved (the project configs).
   */
  checkRelative?(value: string, folders: readonly string[], budget: RelativeBudget): boolean;
  /** Whether {@linkcode OwnFiles.checkRelative} would resolve anything of `value` at all. */
  namesRelative?(value: string): boolean;
  /**
   * Why the call is blocked when it is not that it reaches the folder (a
   * call whose relative paths thoth cannot check); set only on the answer of
   * {@linkcode firstReached}.
   */
  reason?: string | undefined;
}

/** How many more relative paths {@linkcode OwnFiles.checkRelative} may resolve in a call. */
export interface RelativeBudget {
  /** Resolutions left. */
  left: number;
  /** Whether a resolution was asked for with none left. */
  exhausted: boolean;
}

/**
 * The argument names whose value is a folder the call runs in, which a
 * relative path in the same call may be resolved against:
 * `{"command": "cat .thoth/keys/x", "cwd": "~"}`. A key is compared without
 * case and without `_` and `-` (`working_dir`, `workingDir`, `work-dir`,
 * `Current_Directory`); its value is a string or an array of strings.
 */
export const WORKING_FOLDER_KEYS: ReadonlySet<string> = new Set([
  "cwd",
  "cwdpath",
  "dir",
  "directory",
  "workdir",
  "workingdir",
  "workingdirectory",
  "workingfolder",
  "currentdir",
  "currentdirectory",
]);

/** `_` and `-`, which a working folder's key is compared without. */
const KEY_JOINERS = /[_-]/g;

/** Whether `key` names a working folder (see {@linkcode WORKING_FOLDER_KEYS}). */
export function isWorkingFolderKey(key: string): boolean {
  // Most keys start otherwise or are longer: no lower-case copy for them.
  if (key.length < 3 || key.length > 40) return false;
  const first = key.charCodeAt(0) | 32;
  if (first !== 99 && first !== 100 && first !== 119 && first !== 127 && first !== 45) {
    return false;
  }
  const plain = key.toLowerCase().replace(KEY_JOINERS, "");
  return WORKING_FOLDER_KEYS.has(plain);
}

/**
 * A JSON text a string may hold that may name a working folder: one of the
 * keys' words in it (`cwd`, `dir`, `work`, `folder`), in any case. Such a
 * string is parsed even when nothing else in it asks for that.
 */
const MAY_NAME_WORKING_FOLDER = /cwd|dir|work|folder/i;

/**
 * An absolute folder written plainly (a compared form): no `%`, `$`, `~`,
 * `.` or `..` segment, `//` or (Windows) stream, trailing dot or space; what
 * a relative word without `..` resolved in it lands below, lexically.
 */
const PLAIN_FOLDER = /^(?:\/(?!\.\.?(?:\/|$))[^/%$~\\]+)+$|^\/$/;
const PLAIN_FOLDER_WINDOWS = /^[a-z]:(?:\/(?!\.\.?(?:\/|$))[^/%$~:]*[^/%$~:. ])*\/?$/;
/** A folder other spellings of which lead elsewhere (`/proc/self/root`, macOS firmlinks). */
const ALIASED_FOLDER = /^\/(?:proc|private|system)(?:\/|$)/;

/** A Windows path relative to a drive's working folder: `c:x`, `c:..\x`. */
const DRIVE_RELATIVE = /^[a-z]:(?![\\/])/i;
/** The working folder as a shell names it, then a separator (or nothing). */
const PWD = /^(?:\$PWD|\$\{PWD\})(?:\/+|$)/;
/** The same on Windows (compared forms, in lower case): cmd's `%CD%`, PowerShell's `$PWD`. */
const PWD_WINDOWS = /^(?:%cd%|\$pwd|\$\{pwd\})(?:[\\/]+|$)/;
/** What a path may hold that the predicate reads otherwise than a lexical join would. */
const LEXICAL_UNSAFE = /[~%:$\0]/;
/** A Windows segment ending in a dot or a space (the OS drops them), but `.` and `..`. */
const WINDOWS_TRIMMED_SEGMENT = /(?:^|\/)(?!\.\.?(?:\/|$))[^/]*[. ](?:\/|$)/;
/** White space: a line of more than one word. */
const WHITE_SPACE = /\s/;
/** What makes a shell word worth splitting again: white space or shell syntax (`sh -c '…'`). */
const NESTED_SYNTAX = /[\s;&|<>()`'"$\\]/;
const NESTED_SYNTAX_WINDOWS = /[\s;&|<>()`'"$]/;
/** How many distinct words of a string {@linkcode OwnFiles.checkRelative} remembers as read. */
const SEEN_WORDS = 1024;
/** How deep words of words are read (`sh -c "bash -c '…'"`). */
const NESTED_DEPTH = 3;

/** What separates the words of a shell command that may each be a path (`=` of `--file=x`). */
const WORD_BREAKS = /[\s;&|<>()`=]+/;

/** {@linkcode OwnFiles.check}: the string reaches a protected folder. */
export const REACHES = 1;
/** {@linkcode OwnFiles.check}: the string does not, but the JSON it holds is read too. */
export const READ_JSON = 2;

/**
 * Folders other than the home folder that a shell names by a variable, as
 * the client would find them (`APPDATA` on Windows, `XDG_CONFIG_HOME`
 * elsewhere): a protected path under one is also looked for in the forms
 * `%APPDATA%\…`, `$env:APPDATA\…`, `$XDG_CONFIG_HOME/…`,
 * `${XDG_CONFIG_HOME:-~/.config}/…`. When one is not given, its default under
 * the home folder (`AppData\Roaming`, `.config`) is used.
 */
export interface VariableFolders {
  /** `APPDATA` (Windows). */
  appData?: string | undefined;
  /** `XDG_CONFIG_HOME` (Linux and the other Unix systems). */
  xdgConfigHome?: string | undefined;
}

/** How {@linkcode compileOwnFiles} reads paths, and the folders shells name by a variable. */
export interface OwnFilesOptions extends PathOptions {
  /** See {@linkcode VariableFolders}. */
  variableFolders?: VariableFolders | undefined;
}

/** Characters with a meaning in a glob, escaped so a folder's name is matched as written. */
const GLOB_SYNTAX = /[*?[\]{}\\!,]/g;
/** Text NFC could change: ASCII never changes. */
const NON_ASCII = /[^\0-\x7f]/;
/**
 * What in a name or needle a value's composing (NFC) may produce: see
 * `composeValues`. U+212A KELVIN SIGN composes to `K`, which only a
 * comparison without case also reads as `k`.
 */
const COMPOSE_MATTERS = /[^\0-\x7f]|[kK;`]/;
const COMPOSE_MATTERS_WITH_CASE = /[^\0-\x7f]|[K;`]/;
const BACKSLASHES = /\\/g;
/** A string that may hold a JSON array or object (white space first, as JSON allows). */
const LEADS_JSON = /^[\t\n\r ]*[[{]/;
/** What a shell removes from a word without changing the file it names: quotes, `\` escapes. */
const SHELL_QUOTING = /['"\\]/;
const QUOTE = /['"]/;
const QUOTES = /['"]/g;
/** A `\` escape (outside Windows): the character escaped stands for itself. */
const ESCAPED = /\\([\s\S])/g;
/** What a shell word may hold that makes another spelling of one path. */
const RESPELLED = /['"\\]|\/\/|\/\.\/|\$\{/;
const SLASH_RUNS = /\/{2,}/g;
const DOT_SEGMENTS = /\/(?:\.\/)+/g;
/** Where a URL's query or fragment starts. */
const QUERY_OR_FRAGMENT = /[?#]/;
/** Matches no text. */
const NOTHING = /[^\s\S]/;
const REGEXP_SYNTAX = /[.*+?^${}()|[\]\\\/]/g;
/** A string a URL parser may read (a scheme first): it drops tabs and line breaks. */
const URL_LIKE = /^[\0- ]*[a-zA-Z][a-zA-Z0-9+.-]*:/;
/** A `.` or `..` segment (outside Windows). */
const DOT_SEGMENT = /(?:^|[\\/])\.\.?(?:[\\/]|$)/;
/** A segment Windows reads as `.`, `..` or the folder itself: dots and spaces, a stream after. */
const DOT_SEGMENT_WINDOWS = /(?:^|[\\/:])[. ]+(?::[^\\/]*)?(?:[\\/]|$)/;

/** The longest object key whose answer a protection keeps, and how many it keeps at most. */
const KEPT_KEY_LENGTH = 64;
const KEPT_KEYS = 256;

/** The last value {@linkcode foldedValue} was asked for, and its answer: the protections share it. */
let foldedIn = "";
let foldedMode = -1;
let foldedOut = "";

/**
 * `text` composed (NFC, when `compose`) and without case (when `fold`: also
 * `ſ` as `s` and `ı` as `i`, see `case_folding.ts`), as the names are: each
 * protection asks for the same value in turn; it is worked out once.
 *
 * @example
 * ```ts
 * foldedValue("~/.CURSOR/mcp.json", false, true); // "~/.cursor/mcp.json"
 * ```
 */
export function foldedValue(text: string, compose: boolean, fold: boolean): string {
  const mode = (compose ? 2 : 0) + (fold ? 1 : 0);
  if (mode === 0) return text;
  if (text !== foldedIn || mode !== foldedMode) {
    const composed = compose && NON_ASCII.test(text) ? text.normalize("NFC") : text;
    foldedOut = fold ? caseless(composed) : composed;
    foldedIn = text;
    foldedMode = mode;
  }
  return foldedOut;
}

/**
 * `text` with bash's `$'…'` strings decoded (`\x6f`, `\157`, `\u006f`, `\n`…,
 * see `ansi_c_quoting.ts`) and the `$` of `$"…"` dropped, the quotes left to
 * the caller: `~/.th$'o'th` is `~/.thoth` once its quotes go. `text` itself
 * when it holds neither. Linear: each `$'` decodes up to its closing `'`.
 */
export function dollarUnquoted(text: string): string {
  let at = text.indexOf("$");
  if (at === -1) return text;
  let out = "";
  let from = 0;
  let changed = false;
  while (at !== -1) {
    const next = text.charCodeAt(at + 1);
    if (next === 39) {
      const decoded = decodedDollarQuote(text, at + 2);
      out += text.slice(from, at) + decoded.text;
      from = Math.min(decoded.end + 1, text.length);
      changed = true;
      at = text.indexOf("$", from);
    } else if (next === 34) {
      out += text.slice(from, at);
      from = at + 1;
      changed = true;
      at = text.indexOf("$", from);
    } else {
      at = text.indexOf("$", at + 1);
    }
  }
  return changed ? out + text.slice(from) : text;
}

/** Whether `text` holds bash's `$'…'` or `$"…"` quoting. */
function holdsDollarQuote(text: string): boolean {
  const at = text.indexOf("$");
  if (at === -1) return false;
  return text.indexOf("$'", at) !== -1 || text.indexOf('$"', at) !== -1;
}

/** The last value {@linkcode unquoted} was asked for, and its answer: the protections share it. */
let unquotedIn = "";
let unquotedKept = false;
let unquotedOut = "";

/**
 * `text` without quotes (`$'…'` decoded, see {@linkcode dollarUnquoted}) and
 * (unless `keepBackslash`, as on Windows, where it separates) `\`: where a
 * name split by them (`.th''oth`, `.th$'o'th`) is whole again.
 * Each protection asks for the same value in turn; it is worked out once.
 */
function unquoted(text: string, keepBackslash: boolean): string {
  if (text !== unquotedIn || keepBackslash !== unquotedKept) {
    const plain = dollarUnquoted(text).replaceAll("'", "").replaceAll('"', "");
    unquotedOut = keepBackslash ? plain : plain.replaceAll("\\", "");
    unquotedIn = text;
    unquotedKept = keepBackslash;
  }
  return unquotedOut;
}

/** Whether `value` may hold a JSON array or object; the first character mostly tells. */
function leadsJson(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first === 91 || first === 123) return true;
  return (first === 32 || first === 9 || first === 10 || first === 13) && LEADS_JSON.test(value);
}

/** A folder without its trailing separators (`/` and a drive's root stay). */
function trimmed(folder: string, backslash: boolean): string {
  const t = folder.replace(backslash ? /[/\\]+$/ : /\/+$/, "");
  if (t === "") return "/";
  return backslash && /^[a-zA-Z]:$/.test(t) ? `${t}/` : t;
}

/** `form`'s folders strictly below `home` (both compared forms, `/`-separated), nearest last. */
function ancestorsBelow(form: string, home: string): string[] {
  const found: string[] = [];
  let at = form.lastIndexOf("/");
  while (at > home.length) {
    const parent = form.slice(0, at);
    if (!parent.startsWith(`${home}/`)) break;
    found.push(parent);
    at = form.lastIndexOf("/", at - 1);
  }
  return found;
}

/** `folder` as a glob that matches it as written (its glob characters escaped). */
function literalGlob(folder: string): string {
  return folder.replace(GLOB_SYNTAX, "\\$&");
}

/** A Windows short name in a value (`THOTH~1`, `PROGRE~1.JSO`). */
const SHORT_NAME = /~\d/;

/**
 * A Windows folder (a compared form, `c:/users/ana/.thoth`) as a glob with
 * each segment that may have a short name also as its short names
 * (`c:/users/ana/{.thoth,thoth~[0-9],…}`, see `short_names.ts`);
 * `undefined` when it has none or is no drive's path.
 */
function shortNameGlob(form: string): string | undefined {
  if (!/^[a-z]:\//i.test(form)) return undefined;
  const segments = form.slice(3).split("/");
  if (!segments.some(mayHaveShortName)) return undefined;
  const glob = segments.map((s) => {
    const short = shortNameForms(s);
    return short === undefined ? literalGlob(s) : `{${[literalGlob(s), ...short.globs].join(",")}}`;
  });
  return `${literalGlob(form.slice(0, 3))}${glob.join("/")}`;
}

/**
 * `prefix` then `rest` (`/`-separated segments) as a regular expression's
 * source in which each segment of `rest` that may have a short name may also
 * be written as one; `undefined` when none may.
 */
function shortNamePattern(prefix: string, rest: string): string | undefined {
  const segments = rest.split("/");
  if (!segments.some(mayHaveShortName)) return undefined;
  const escape = (t: string) => t.replace(REGEXP_SYNTAX, "\\$&");
  return escape(prefix) +
    segments.map((s) => {
      const short = shortNameForms(s);
      return short === undefined ? escape(s) : `(?:${escape(s)}|${short.pattern})`;
    }).join("/");
}

/**
 * Compiles the protection of `folders` (the profile folder, then other
 * spellings such as its real path), read as `options` reads paths (the same
 * object the policy's rules use, so the bases it learns apply here too).
 * Returns `undefined` when no folder is given.
 */
export function compileOwnFiles(
  folders: readonly string[],
  options: OwnFilesOptions,
  kind: OwnFilesKind = "profile",
): OwnFiles | undefined {
  const os = options.os;
  const fold = os === "darwin" || os === "windows";
  const backslash = os === "windows";
  const given = folders.filter((f) => f !== "").map((f) => trimmed(f, backslash));
  if (given.length === 0) return undefined;
  // Composed, without case where files are: enough to look for a name, which has no separator.
  const nameForm = (text: string) => {
    const t = NON_ASCII.test(text) ? text.normalize("NFC") : text;
    return fold ? caseless(t) : t;
  };
  // Rewriting every `\` of a long value is slow: done only where the folder's name is.
  const separated = (text: string) => backslash ? text.replace(BACKSLASHES, "/") : text;
  const comparable = (text: string) => separated(nameForm(text));
  const forms = [...new Set(given.map(comparable))];
  const home = options.home === undefined
    ? undefined
    : comparable(trimmed(options.home, backslash));
  // The folders that hold a protected one, strictly below the home folder: moving one away
  // (and back) would carry the protected files out of reach. Only the folder itself.
  const ancestors = new Set<string>();
  if (home !== undefined && home !== "/") {
    for (const form of forms) {
      for (const parent of ancestorsBelow(form, home)) ancestors.add(parent);
    }
  }
  for (const form of forms) ancestors.delete(form);
  // Path readings: the folder itself or anything under it, or one of its ancestors itself;
  // each list one glob of alternatives, one regular expression to run on a reading.
  const oneOf = (list: readonly string[]) =>
    list.length === 1 ? literalGlob(list[0]!) : `{${list.map(literalGlob).join(",")}}`;
  // On Windows a segment with a short name (`THOTH~1` for `.thoth`) may be written so.
  const shortForms = backslash ? forms.map(shortNameGlob).filter((g) => g !== undefined) : [];
  const below = [
    forms.includes("/") ? "/**" : `${oneOf(forms)}/**`,
    ...shortForms.map((g) => `${g}/**`),
  ];
  const inside = compilePredicate("value", { glob: below }, "some", options);
  const landing = ancestors.size === 0
    ? inside
    : compilePredicate("value", { glob: [...below, oneOf([...ancestors])] }, "some", options);
  // The folders' last names: a string that holds none cannot land inside by a lexical reading.
  const lastName = (f: string) => f.slice(f.lastIndexOf("/") + 1);
  const names = [...new Set(forms.map(lastName))];
  const ancestorNames = [...new Set([...ancestors].map(lastName))].filter((n) =>
    !names.includes(n)
  );
  const anyString = names.includes("") || names.some((n) => /^[a-z]:$/i.test(n));
  // Substrings: the absolute forms, and the forms a shell expands: `~/…`, `$HOME/…`, and under
  // the other folders a shell names by a variable.
  const needles = new Set(forms);
  const variableFolders: [string | undefined, string[]][] = [];
  if (home !== undefined && home !== "/") {
    const homeName = home.slice(home.lastIndexOf("/") + 1);
    variableFolders.push([
      home,
      backslash
        ? [
          "~",
          "$home",
          "${home}",
          "%userprofile%",
          "$env:userprofile",
          "${env:userprofile}",
          "%homedrive%%homepath%",
          "$env:homedrive$env:homepath",
        ]
        // `~ana` is the home of the user whose home folder is named so.
        : [
          "~",
          "$HOME",
          "${HOME}",
          ...(/^[A-Za-z_][\w.-]*$/.test(homeName) ? [`~${homeName}`] : []),
        ],
    ]);
  }
  const wanted = options.variableFolders;
  const underHome = (rest: string) =>
    home === undefined || home === "/" ? undefined : `${home}/${rest}`;
  if (backslash) {
    const appData = wanted?.appData;
    variableFolders.push([
      appData === undefined || appData === ""
        ? underHome("appdata/roaming")
        : comparable(trimmed(appData, true)),
      ["%appdata%", "$env:appdata", "${env:appdata}"],
    ]);
  } else {
    const xdg = wanted?.xdgConfigHome;
    variableFolders.push([
      xdg === undefined || xdg === "" ? underHome(".config") : comparable(trimmed(xdg, false)),
      ["$XDG_CONFIG_HOME", "${XDG_CONFIG_HOME}"].map(nameForm),
    ]);
  }
  // The same, each segment that may have a Windows short name also as one (`~/THOTH~1`).
  const shortNeedleSources: string[] = [];
  if (shortForms.length > 0) {
    for (const form of forms) {
      const pattern = shortNamePattern(form.slice(0, 2), form.slice(2));
      if (pattern !== undefined) shortNeedleSources.push(pattern);
    }
  }
  for (const [folder, variables] of variableFolders) {
    if (folder === undefined || folder === "/" || folder.endsWith("/")) continue;
    for (const form of forms) {
      if (!form.startsWith(`${folder}/`)) continue;
      const rest = form.slice(folder.length);
      for (const variable of variables) {
        needles.add(comparable(variable + rest));
        if (shortForms.length === 0) continue;
        const pattern = shortNamePattern(comparable(variable), rest);
        if (pattern !== undefined) shortNeedleSources.push(pattern);
      }
    }
  }
  // Unless a file name character follows, as for the other needles.
  const shortNeedle = shortNeedleSources.length === 0
    ? undefined
    : new RegExp(`(?:${shortNeedleSources.join("|")})(?![a-z0-9_-])`);
  // `${HOME:-…}` and `${XDG_CONFIG_HOME:=…}` are the variable when it is set.
  const defaultedNames = ["HOME", "XDG_CONFIG_HOME"].map(nameForm);
  const withoutDefaults = (text: string): string => {
    let out = "";
    let from = 0;
    let at = text.indexOf("${");
    while (at !== -1) {
      const name = defaultedNames.find((n) => text.startsWith(n, at + 2));
      const after = at + 2 + (name?.length ?? 0);
      const operator = text[text[after] === ":" ? after + 1 : after];
      if (name !== undefined && operator !== undefined && "-=?+".includes(operator)) {
        const close = text.indexOf("}", after);
        // No `}` after this one: none after the later ones either.
        if (close === -1) break;
        out += `${text.slice(from, at)}$${name}`;
        from = close + 1;
        at = text.indexOf("${", from);
      } else {
        at = text.indexOf("${", at + 2);
      }
    }
    return from === 0 ? text : out + text.slice(from);
  };
  // Composing (NFC) makes ASCII only of ASCII, but for three singletons (U+212A KELVIN SIGN is
  // "K", U+037E is ";", U+1FEF is "`"): when every name and needle is ASCII without them, a
  // value's other characters cannot make one appear, and the value need not be composed.
  const composeValues = [...names, ...ancestorNames, ...needles].some((t) =>
    (fold ? COMPOSE_MATTERS : COMPOSE_MATTERS_WITH_CASE).test(t)
  );
  const valueForm = (text: string) => foldedValue(text, composeValues, fold);
  const nameContinues = backslash ? /[A-Za-z0-9_-]/ : /[A-Za-z0-9_.-]/;
  const holdsNeedle = (text: string): boolean => {
    for (const needle of needles) {
      let at = text.indexOf(needle);
      while (at !== -1) {
        const next = text[at + needle.length];
        if (next === undefined || !nameContinues.test(next)) return true;
        at = text.indexOf(needle, at + 1);
      }
    }
    return false;
  };
  // Whether `text` holds one of `list`: a search per name finds a long name by skipping most
  // of the text, faster than one regular expression of every name, which reads every character.
  const holdsAny = (text: string, list: readonly string[]): boolean => {
    for (let i = 0; i < list.length; i++) if (text.indexOf(list[i]!) !== -1) return true;
    return false;
  };
  // The clients' file names mostly end in `.json`: one search for it rules them all out in a
  // string without it (most strings), instead of one search a name.
  const jsonNames = names.filter((n) => n.indexOf(".json") !== -1);
  const gated = jsonNames.length > 1;
  const otherNames = gated ? names.filter((n) => n.indexOf(".json") === -1) : names;
  const holdsName = (text: string): boolean =>
    (gated && text.indexOf(".json") !== -1 && holdsAny(text, jsonNames)) ||
    holdsAny(text, otherNames);
  // The same word as a shell reads it: without quotes and (outside Windows) `\` escapes, with
  // runs of `/` as one and `/./` as `/`, `${HOME:-…}` as `$HOME`. `text` is `value` compared
  // and separated; bash's `$'…'` is decoded from `value` as written, before case is folded and
  // `\` separates (`$'\x4f'` is `O`, which folds to `o`).
  const shellRead = (text: string, value: string): string => {
    const dollar = holdsDollarQuote(value);
    if (!dollar && !RESPELLED.test(text)) return text;
    const decoded = dollar ? separated(valueForm(dollarUnquoted(value))) : text;
    const plain = backslash ? decoded.replace(QUOTES, "") : decoded.replace(ESCAPED, "$1")
      .replace(QUOTES, "");
    return withoutDefaults(plain.replace(SLASH_RUNS, "/").replace(DOT_SEGMENTS, "/"));
  };

  // Whether a folder the server resolves relative paths against lies inside (then every
  // relative path does, prose included), or at or below a folder that holds a protected one
  // (then `.`, `..` and "" may name that folder): read again when the session replaces or
  // grows the list (the client's roots).
  const atOrBelowAncestor = ancestors.size === 0
    ? undefined
    : compilePredicate("value", { glob: `${oneOf([...ancestors])}/**` }, "some", options);
  const basesChanged = watchBases(options);
  const keyAnswers = new Map<string, number>();
  let baseInside = false;
  let baseBelowAncestor = false;
  const readBases = (): void => {
    if (!basesChanged()) return;
    const bases = options.bases;
    keyAnswers.clear();
    baseInside = bases !== undefined && bases.some((base) => inside.test([base]));
    baseBelowAncestor = bases !== undefined && atOrBelowAncestor !== undefined &&
      bases.some((base) => atOrBelowAncestor.test([base]));
  };

  // The ancestors' last names, as whole segments: a reading equal to an ancestor ends in its
  // name, written last (after `.` segments and separators) or before a `..` that climbs back.
  const ancestorLastNames = new Set([...ancestors].map(lastName));
  const ancestorNameList = [...ancestorLastNames];
  const ancestorEnds = ancestorNameList.map((n) => n[n.length - 1]).join("");
  const ancestorAlternatives = [...ancestorLastNames].map((n) => n.replace(REGEXP_SYNTAX, "\\$&"))
    .join("|");
  // Windows drops a name's trailing dots and spaces, and reads `x::$INDEX_ALLOCATION` as `x`.
  const ancestorSegment = ancestorLastNames.size === 0 ? NOTHING : new RegExp(
    backslash
      ? `(?:^|[\\\\/:])(?:${ancestorAlternatives})[. ]*(?::[^\\\\/]*)?(?:[\\\\/]|$)`
      : `(?:^|[\\\\/])(?:${ancestorAlternatives})(?:[\\\\/]|$)`,
  );
  const dotSegment = backslash ? DOT_SEGMENT_WINDOWS : DOT_SEGMENT;
  // Both separators count everywhere: a wider gate only reads more strings.
  const isSeparator = (code: number) => code === 47 || code === 92;
  const isDotOrSpace = (code: number) => code === 46 || code === 32;
  // Where the last `..` segment of `text` starts; -1 without one. On Windows a segment of dots
  // and spaces with two dots at least, a stream after or a drive before (`c:..`). Each
  // candidate is looked at once, from the end.
  const lastParent = (text: string): number => {
    // A search forward skips most strings faster than one back.
    if (text.indexOf(backslash ? "." : "..") === -1) return -1;
    let at = text.lastIndexOf(backslash ? "." : "..");
    while (at !== -1) {
      let start = at;
      let end = at + (backslash ? 1 : 2);
      let dots = 2;
      if (backslash) {
        while (start > 0 && isDotOrSpace(text.charCodeAt(start - 1))) start--;
        while (end < text.length && isDotOrSpace(text.charCodeAt(end))) end++;
        dots = 0;
        for (let i = start; i < end; i++) if (text.charCodeAt(i) === 46) dots++;
      }
      const before = start === 0 ? -1 : text.charCodeAt(start - 1);
      const after = end === text.length ? -1 : text.charCodeAt(end);
      if (
        dots >= 2 &&
        (before === -1 || isSeparator(before) || (backslash && before === 58 && start === 2)) &&
        (after === -1 || isSeparator(after) || (backslash && after === 58))
      ) {
        return start;
      }
      if (start < 2) return -1;
      at = text.lastIndexOf(backslash ? "." : "..", start - 1);
    }
    return -1;
  };
  // Whether the last segment of `text` before `end`, past `.` segments, separators and white
  // space, is an ancestor's name (on Windows as it trims it: dots, spaces, a stream); a `..`
  // last is not. The segment is found by searching back for a separator, not char by char.
  const endsInAncestor = (
    text: string,
    end: number,
    slash: boolean,
    backslashes: boolean,
  ): boolean => {
    for (;;) {
      while (end > 0) {
        const code = text.charCodeAt(end - 1);
        if (!isSeparator(code) && code > 32) break;
        end--;
      }
      if (end === 0) return false;
      // Outside Windows a segment ends as written: one not ending as a name does (most) and
      // not in `.` (a `.` or `..` segment) is none.
      const code = text.charCodeAt(end - 1);
      if (!backslash && code !== 46 && ancestorEnds.indexOf(text[end - 1]!) === -1) return false;
      // Searching back for a separator the string does not hold would read all of it.
      let start = Math.max(
        slash ? text.lastIndexOf("/", end - 1) : -1,
        backslashes ? text.lastIndexOf("\\", end - 1) : -1,
      ) + 1;
      let last = end;
      if (backslash) {
        if (start === 0 && end > 2 && text.charCodeAt(1) === 58) start = 2;
        const colon = text.indexOf(":", start);
        if (colon !== -1 && colon < end) last = colon;
        while (last > start && isDotOrSpace(text.charCodeAt(last - 1))) last--;
      } else if (end - start <= 2 && text.charCodeAt(start) === 46) {
        // `.` is the folder before it; `..` climbs (see `lastParent`).
        if (end - start === 2 && text.charCodeAt(start + 1) === 46) return false;
        if (end - start === 1) {
          end = start;
          continue;
        }
      }
      if (last > start) {
        const length = last - start;
        for (let i = 0; i < ancestorNameList.length; i++) {
          const name = ancestorNameList[i]!;
          if (name.length === length && text.startsWith(name, start)) return true;
        }
        return false;
      }
      // Dots and spaces alone on Windows: `.` is the folder before it, `..` climbs.
      let dots = 0;
      for (let i = start; i < end && text.charCodeAt(i) !== 58; i++) {
        if (text.charCodeAt(i) === 46) dots++;
      }
      if (dots >= 2) return false;
      end = start;
    }
  };
  // Whether a reading of `text` (the compared form) may be a folder that holds a protected one.
  const mayNameAncestor = (text: string): boolean => {
    if (baseBelowAncestor && (text === "" || dotSegment.test(text))) return true;
    const slash = text.indexOf("/") !== -1;
    const backslashes = text.indexOf("\\") !== -1;
    if (endsInAncestor(text, text.length, slash, backslashes)) return true;
    // Without a separator, the string is its last segment: nothing climbs back.
    if (!slash && !backslashes) return false;
    // A URL's query and fragment are no path.
    if (text.indexOf(":") !== -1) {
      const query = text.search(QUERY_OR_FRAGMENT);
      if (query !== -1 && endsInAncestor(text, query, slash, backslashes)) return true;
    }
    const parent = lastParent(text);
    if (parent <= 0) return false;
    // A line break after the last `..` stays in every reading, which then names no ancestor
    // (a URL parser drops line breaks: not in a URL).
    if (
      (text.indexOf("\n", parent) !== -1 || text.indexOf("\r", parent) !== -1) &&
      !URL_LIKE.test(text)
    ) {
      return false;
    }
    return ancestorSegment.test(text.slice(0, parent));
  };

  // The short names of the protected folders' segments (Windows): a word holding none of them
  // names no protected folder by a short name.
  const shortSources = backslash
    ? [
      ...new Set(
        forms.flatMap((f) => f.split("/")).filter((seg) => seg.indexOf(":") === -1).map((seg) =>
          shortNameForms(seg)?.pattern
        ).filter((source) => source !== undefined),
      ),
    ]
    : [];
  const shortWord = shortSources.length === 0 ? NOTHING : new RegExp(shortSources.join("|"));
  const holdsShortName = (text: string): boolean =>
    backslash && SHORT_NAME.test(text) && shortWord.test(text);
  // What may split a name in a shell word: quotes, and `\` but on Windows.
  const splits = backslash ? QUOTE : SHELL_QUOTING;
  // `value` (compared: `text`) without quotes and (but on Windows) `\` escapes; `$'…'` decoded
  // before case is folded.
  const shellUnquoted = (text: string, value: string): string =>
    holdsDollarQuote(value) ? valueForm(unquoted(value, backslash)) : unquoted(text, backslash);
  const check = (value: string, json: boolean, escaped: boolean): number => {
    const text = valueForm(value);
    readBases();
    // A search for the protected names only; most strings hold none. A folder of item 2 is
    // found from the string's end (see `mayNameAncestor`), not by a search for its name.
    const named = anyString || holdsName(text);
    // A name a shell word splits with quotes or escapes (`.th''oth`) is one to a shell, not to
    // a path reading: such a string is searched for the needles only.
    // Every needle holds a separator: a string without one needs no copy.
    const shellNamed = named ||
      ((backslash || text.indexOf("/") !== -1) && splits.test(text) &&
        holdsName(shellUnquoted(text, value)));
    const tilde = value.charCodeAt(0) === 126;
    // A Windows short name (`THOTH~1`) may stand for a segment of the folder.
    // Only a short name of one of its segments: `MYDOCU~1` is none of `.thoth`'s.
    const short = shortNeedle !== undefined && holdsShortName(text);
    if (short) {
      const plain = separated(text);
      if (shortNeedle.test(plain) || shortNeedle.test(shellRead(plain, value))) return REACHES;
    }
    if (shellNamed) {
      const plain = separated(text);
      if (holdsNeedle(plain)) return REACHES;
      const read = shellRead(plain, value);
      if (read !== plain && holdsNeedle(read)) return REACHES;
    }
    // JSON a server may parse out of a string (the Python SDK does): its strings count too.
    const readJson = json &&
        (named || tilde || escaped || baseBelowAncestor || value.indexOf("\\") !== -1 ||
          holdsAny(text, ancestorNames))
      ? READ_JSON
      : 0;
    // A reading equal to a folder that holds a protected one names that folder (or escapes it).
    // Escapes are left to the path readings, which decode them (the rules then reuse them).
    if (escaped || (landing !== inside && mayNameAncestor(text))) {
      return landing.test([value]) ? REACHES : readJson;
    }
    if (!named && !tilde && !baseInside && !short) return readJson;
    return inside.test([value]) ? REACHES : readJson;
  };

  // An object's keys are mostly the tool's argument names, the same from call to call: the
  // answers for short ones are kept (a bounded number, forgotten when the bases change).
  const checkKey = (key: string, json: boolean, escaped: boolean): number => {
    readBases();
    const known = keyAnswers.get(key);
    if (known !== undefined) return known;
    const answer = check(key, json, escaped);
    if (key.length <= KEPT_KEY_LENGTH) {
      if (keyAnswers.size >= KEPT_KEYS) keyAnswers.clear();
      keyAnswers.set(key, answer);
    }
    return answer;
  };

  // A relative path resolved against a working folder the call names: only a string that holds
  // a protected folder's or a folder of item 2's name (or one's short name on Windows), as a
  // shell reads it, a `..` or a percent escape, is read.
  const mayNameRelative = (text: string, value: string): boolean =>
    holdsName(text) || holdsAny(text, ancestorNames) || text.indexOf("..") !== -1 ||
    holdsShortName(text) || holdsPercentEscape(value) ||
    (splits.test(value) && holdsName(shellUnquoted(text, value)));
  // A path resolved against a working folder reaches a protected folder (or one of item 2)
  // only with that folder's name as a whole segment (on Windows maybe with the dots, spaces and
  // stream it drops), a `..`, a percent escape or a short name: other paths are not resolved.
  const endsSegment = (code: number) =>
    Number.isNaN(code) || isSeparator(code) || (backslash && (isDotOrSpace(code) || code === 58));
  const holdsSegmentName = (text: string, list: readonly string[]): boolean => {
    for (let i = 0; i < list.length; i++) {
      const name = list[i]!;
      let at = text.indexOf(name);
      while (at !== -1) {
        if (
          (at === 0 || isSeparator(text.charCodeAt(at - 1))) &&
          endsSegment(text.charCodeAt(at + name.length))
        ) {
          return true;
        }
        at = text.indexOf(name, at + 1);
      }
    }
    return false;
  };
  const segmentNames = [...names, ...ancestorNames];
  // `whole`: the string is read as one path, which may name a folder of item 2 itself; a word
  // of a shell command (like the absolute paths item 3 finds in one) reaches only the
  // protected folders and what they hold.
  const pathMayReach = (path: string, text: string, whole: boolean): boolean =>
    anyString || holdsSegmentName(text, whole ? segmentNames : names) ||
    text.indexOf("..") !== -1 || holdsPercentEscape(path) || holdsShortName(text);
  // A path without `..` or percent escapes lands below the folder it is resolved in: only a
  // folder written plainly at or above a protected one (or one of item 2), or one not written
  // plainly (a variable, an alias, `..`), can make it land there. Worked out once per list of
  // folders (a call's).
  const targets = [...forms, ...ancestors];
  const plainFolder = backslash ? PLAIN_FOLDER_WINDOWS : PLAIN_FOLDER;
  const mayHold = (form: string): boolean => {
    if (!plainFolder.test(form) || (!backslash && ALIASED_FOLDER.test(form))) return true;
    if (form === "/" || (backslash && form.length === 3)) return true;
    return targets.some((t) => t === form || t.startsWith(`${form}/`));
  };
  // A working folder as compared, with `~`, `$HOME`, `${HOME}`, `%USERPROFILE%`,
  // `$env:USERPROFILE`, `$XDG_CONFIG_HOME`, `%APPDATA%`… (see `variableFolders`) as the folder.
  const folderVariables = variableFolders.flatMap(([folder, variables]) =>
    folder === undefined ? [] : variables.map((v) => [comparable(v), folder] as const)
  );
  const expandedFolder = (folder: string): string => {
    if (folder.trim() === "") return "";
    const form = withoutDefaults(comparable(trimmed(folder.trim(), backslash)));
    for (const [variable, expansion] of folderVariables) {
      if (!form.startsWith(variable)) continue;
      const next = form.charCodeAt(variable.length);
      if (Number.isNaN(next) || next === 47) return expansion + form.slice(variable.length);
    }
    return form;
  };
  let foldersRead: readonly string[] | undefined;
  let expanded: string[] = [];
  let holding: string[] = [];
  let named: string[] = [];
  // Which of `expanded` are written plainly (see `lexicallyApart`).
  let plain = new Set<string>();
  const rootless = forms.map((f) => f.endsWith("/") ? f.slice(0, -1) : f);
  // Whether `at` (a compared, `/`-separated absolute path, no trailing `/`; "" or `x:` is a
  // root) is at, above or below a protected folder, or is a folder of item 2: the only places a
  // path read lexically can land on what the predicate would find.
  const related = (at: string): boolean => {
    if (at === "" || (backslash && at.length === 2) || (!backslash && ALIASED_FOLDER.test(at))) {
      return true;
    }
    for (let i = 0; i < rootless.length; i++) {
      const t = rootless[i]!;
      // At or below `t`, or above it.
      const inner = at.length >= t.length ? at : t;
      const outer = at.length >= t.length ? t : at;
      const next = inner.charCodeAt(outer.length);
      if ((Number.isNaN(next) || next === 47) && inner.startsWith(outer)) return true;
    }
    return ancestors.has(at);
  };
  // Whether `rest` (a compared relative path, `/`-separated) joined to the plainly written
  // `folder` and its `.` and `..` segments resolved, as the OS does, lands apart from every
  // protected folder and folder of item 2: then the full reading is not needed. Only for a
  // path the predicate reads no otherwise (no `~`, `%`, `:`, `$` and on Windows no segment
  // ending in a dot or a space, which it drops).
  const lexicallyApart = (folder: string, rest: string): boolean => {
    if (LEXICAL_UNSAFE.test(rest) || (backslash && WINDOWS_TRIMMED_SEGMENT.test(rest))) {
      return false;
    }
    const root = backslash ? folder.slice(0, 2) : "";
    const parts = (backslash ? folder.slice(3) : folder.slice(1)).split("/");
    if (parts.length === 1 && parts[0] === "") parts.pop();
    let from = 0;
    while (from <= rest.length) {
      let to = rest.indexOf("/", from);
      if (to === -1) to = rest.length;
      const length = to - from;
      if (length === 2 && rest.charCodeAt(from) === 46 && rest.charCodeAt(from + 1) === 46) {
        parts.pop();
      } else if (length > 0 && !(length === 1 && rest.charCodeAt(from) === 46)) {
        parts.push(rest.slice(from, to));
      }
      from = to + 1;
    }
    return !related(parts.length === 0 ? root : `${root}/${parts.join("/")}`);
  };
  const checkRelative = (
    value: string,
    folders: readonly string[],
    budget: RelativeBudget,
  ): boolean => {
    const text = valueForm(value);
    if (!mayNameRelative(text, value)) return false;
    if (folders !== foldersRead) {
      expanded = [...new Set(folders.map(expandedFolder).filter((f) => f !== ""))];
      holding = expanded.filter(mayHold);
      // A path that climbs but names no protected folder, no folder of item 2 and no short
      // name lands in one only through a folder that names one.
      named = anyString
        ? expanded
        : expanded.filter((f) =>
          holdsSegmentName(f, segmentNames) || holdsPercentEscape(f) || holdsShortName(f)
        );
      plain = new Set(
        expanded.filter((f) => plainFolder.test(f) && (backslash || !ALIASED_FOLDER.test(f))),
      );
      foldersRead = folders;
    }
    // A word read already (a command that repeats one) is not read again.
    const seen = new Set<string>();
    const resolves = (path: string, whole: boolean): boolean => {
      if (path === "") return false;
      if (!whole) {
        if (seen.has(path)) return false;
        if (seen.size >= SEEN_WORDS) seen.clear();
        seen.add(path);
      }
      let form = valueForm(path);
      // Windows: `c:x` is `x` in drive c's working folder: the working folder's own when it
      // is on that drive, otherwise (not known) that drive's root.
      let drive: string | undefined;
      if (backslash && DRIVE_RELATIVE.test(form)) {
        drive = form.slice(0, 2);
        path = path.slice(2);
        form = form.slice(2);
      }
      // `$PWD/x` (`%CD%\x`, PowerShell's `$PWD\x` on Windows) is `x` in the working folder.
      const pwd = (backslash ? PWD_WINDOWS : PWD).exec(form);
      if (pwd !== null) {
        const length = pwd[0].length;
        path = path.length === length ? "." : path.slice(length);
        form = form.length === length ? "." : form.slice(length);
      }
      if (!pathMayReach(path, form, whole)) return false;
      // A short name lands below the folder, as any name does: only `..` and escapes climb.
      const escapes = holdsPercentEscape(path);
      const list = form.indexOf("..") === -1 && !escapes
        ? holding
        : escapes || holdsSegmentName(form, segmentNames) || holdsShortName(form)
        ? expanded
        : named;
      const test = whole ? landing : inside;
      const rest = separated(form);
      // Reading a path costs in proportion to its length, against each folder; a path that
      // lands apart from every protected folder lexically (most) is not read and costs nothing.
      const cost = 1 + path.length / RELATIVE_COST_CHARS;
      const spend = (): boolean => {
        budget.left -= cost;
        if (budget.left >= 0) return false;
        budget.exhausted = true;
        return true;
      };
      const read = (base: string, plainly: boolean): boolean => {
        if (plainly && !escapes && lexicallyApart(base, rest)) return false;
        if (spend()) return true;
        return test.test([base.endsWith("/") ? base + path : `${base}/${path}`]);
      };
      // On another drive than a working folder's: that drive's root, once.
      if (drive !== undefined && expanded.some((f) => !f.startsWith(drive))) {
        if (read(`${drive}/`, true)) return true;
      }
      for (let j = 0; j < list.length; j++) {
        const folder = list[j]!;
        if (drive !== undefined && !folder.startsWith(drive)) continue;
        if (read(folder, plain.has(folder))) return true;
      }
      return false;
    };
    // A line of text (no line break): read whole too (a folder of item 2 included), and a bare
    // protected name in it counts (`rm -rf .thoth`). A line with line breaks around it is read
    // whole as a word is. In a file's text a word counts only with a separator (a `.gitignore`
    // line `.claude.json` is relative to its own folder; prose names `.thoth`), and so does a
    // line with a line break after it that is one word.
    const whole = value.trim();
    const oneLine = value.indexOf("\n") === -1 && value.indexOf("\r") === -1;
    const line = oneLine || (whole.indexOf("\n") === -1 && whole.indexOf("\r") === -1);
    const bare = oneLine || (line && WHITE_SPACE.test(whole));
    const counts = (word: string): boolean =>
      bare || word.indexOf("/") !== -1 || (backslash && word.indexOf("\\") !== -1);
    const wholeRead = line && counts(whole);
    if (wholeRead && resolves(whole, oneLine)) return true;
    const syntax = backslash ? NESTED_SYNTAX_WINDOWS : NESTED_SYNTAX;
    // Each word as a shell splits it (quotes, `\` escapes and `$'…'` read), the part after a
    // `=` (`--file=x`), and the words of a word a shell runs again (`sh -c '…'`, `cmd /c "…"`,
    // `"$(…)"`, `` "`…`" ``), to a depth of three.
    const readWords = (source: string, depth: number): boolean => {
      const read = shellWords(source, !backslash);
      for (let i = 0; i < read.words.length; i++) {
        const word = read.words[i]!;
        if (!(wholeRead && word === whole) && counts(word) && resolves(word, false)) return true;
        if (word.indexOf("=") !== -1) {
          const parts = word.split("=");
          for (let k = 0; k < parts.length; k++) {
            if (counts(parts[k]!) && resolves(parts[k]!, false)) return true;
          }
        }
        if (depth < NESTED_DEPTH && syntax.test(word) && readWords(word, depth + 1)) return true;
      }
      // A quote left open: no command a shell runs; read as text split at white space too.
      if (!read.balanced) {
        const words = source.split(WORD_BREAKS);
        for (let i = 0; i < words.length; i++) {
          const word = unquoted(words[i]!, backslash);
          if (counts(word) && resolves(word, false)) return true;
        }
      }
      return false;
    };
    return readWords(value, 0);
  };
  const namesRelative = (value: string): boolean => mayNameRelative(valueForm(value), value);

  const own: OwnFiles = {
    kind,
    folder: given[0]!,
    reaches: (args: unknown): boolean => firstReached([own], args) !== undefined,
    check,
    checkKey,
    checkRelative,
    namesRelative,
  };
  return own;
}

/**
 * The first of `protections` (in their order) that some string in `args`
 * (a value or a key, anywhere, also inside JSON a string holds) reaches, or
 * `undefined`. The arguments are walked once for all of them: each string is
 * read by each protection in turn, which share what they work out of it.
 */
export function firstReached(
  protections: readonly (OwnFiles | undefined)[],
  args: unknown,
): OwnFiles | undefined {
  const list = protections.filter((p): p is OwnFiles => p !== undefined);
  // Whether some protection resolves relative paths against working folders: then a string
  // holding JSON that may name one is parsed to find it.
  const relative = list.some((p) => p.checkRelative !== undefined);
  // After a later protection is reached, only the earlier ones are still read.
  let found: OwnFiles | undefined;
  let limit = list.length;
  const read = (value: string, pending: unknown[], key: boolean): boolean => {
    const json = leadsJson(value);
    const escaped = holdsPercentEscape(value);
    let parse = false;
    for (let i = 0; i < limit; i++) {
      const answer = key
        ? list[i]!.checkKey(value, json, escaped)
        : list[i]!.check(value, json, escaped);
      if (answer === REACHES) {
        found = list[i];
        limit = i;
        if (i === 0) return true;
        // The earlier protections still read the JSON they asked for.
        break;
      }
      if (answer === READ_JSON) parse = true;
    }
    if (!parse && json && relative && MAY_NAME_WORKING_FOLDER.test(value)) parse = true;
    if (parse) {
      try {
        pending.push(parsePythonJson(value));
      } catch {
        // Not JSON: the string as it is.
      }
    }
    return false;
  };
  // The working folders the call names (see `WORKING_FOLDER_KEYS`): most calls name none.
  let folders: string[] | undefined;
  const addFolders = (child: unknown): void => {
    if (typeof child === "string") {
      if (!leadsJson(child)) {
        (folders ??= []).push(child);
        return;
      }
      // `"cwd": "[\"/home/ana\"]"`, as a server that parses it reads it.
      try {
        addFolders(parsePythonJson(child));
      } catch {
        (folders ??= []).push(child);
      }
    } else if (Array.isArray(child)) {
      for (let i = 0; i < child.length; i++) {
        if (typeof child[i] === "string") (folders ??= []).push(child[i]);
      }
    }
  };
  // Iterative: arguments may nest deeper than the call stack goes.
  const pending: unknown[] = [args];
  while (pending.length > 0 && limit > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (read(value, pending, false)) return found;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (read(key, pending, true)) return found;
        const child = (value as Record<string, unknown>)[key];
        if (relative && isWorkingFolderKey(key)) addFolders(child);
        pending.push(child);
      }
    }
  }
  if (folders === undefined || limit === 0) return found;
  return reachedRelative(list, limit, args, [...new Set(folders)]) ?? found;
}

/**
 * The most working folders (distinct, see {@linkcode WORKING_FOLDER_KEYS})
 * a call may name when some string of it may name a relative path to a
 * protected folder: such a call is blocked (each such path would be
 * resolved against each folder).
 */
export const MAX_WORKING_FOLDERS = 8;

/**
 * How many more resolutions of relative paths a call's working folders may
 * ask for, in all: a path joined to a folder written plainly (an absolute
 * path without a variable, `~`, `.` or `..` segment) whose `..` segments,
 * resolved as the OS does, land apart from every protected folder and folder
 * of item 2 (most) is not read further and costs nothing; any other reading,
 * against any folder (the first one too), costs one, and one more for every
 * 64 of its characters; a word repeated in a string is read once.
 * {@linkcode RELATIVE_BUDGET_BASE}, and one more for every
 * {@linkcode RELATIVE_BUDGET_CHARS} characters of the call's strings, so the
 * work stays in proportion to the call's size. A call that needs more is
 * blocked.
 */
export const RELATIVE_BUDGET_BASE = 4096;
/** See {@linkcode RELATIVE_BUDGET_BASE}. */
export const RELATIVE_BUDGET_CHARS = 256;
/** A resolution of a path costs one, and one more for every so many of its characters. */
const RELATIVE_COST_CHARS = 64;

/** Why a call naming too many working folders is blocked. */
function tooManyFoldersReason(count: number): string {
  return `too many working folders in one call to check: ${count}; thoth checks at most ` +
    `${MAX_WORKING_FOLDERS} (distinct cwd, dir, directory, workdir… arguments) when a string ` +
    "of the call may name a relative path to its own or a client's config files, and never " +
    "forwards such a call, in any mode. Split the call into calls that name fewer folders, or " +
    "give absolute paths";
}

/** Why a call with more relative paths than thoth checks is blocked. */
const BUDGET_REASON = "too many relative paths in one call to check against its working " +
  "folders (cwd, dir, directory, workdir… arguments): thoth resolves at most " +
  `${RELATIVE_BUDGET_BASE} and one more per ${RELATIVE_BUDGET_CHARS} characters of the call, ` +
  "and never forwards a call it cannot check, in any mode. Split the call, name fewer " +
  "working folders, or give absolute paths";

/**
 * The first of `protections` (before `limit`) that a relative path in some
 * string of `args` (a value anywhere in the call, also inside JSON a string
 * holds) reaches once resolved against one of `folders`, the working folders
 * the call names anywhere in it; `undefined` when none does. A second walk,
 * only for a call that names a working folder. A call naming more than
 * {@linkcode MAX_WORKING_FOLDERS} folders in which some string may name a
 * relative path, or needing more resolutions than its budget (see
 * {@linkcode RELATIVE_BUDGET_BASE}), is answered with the first such
 * protection and its own reason.
 */
function reachedRelative(
  protections: readonly OwnFiles[],
  limit: number,
  args: unknown,
  folders: readonly string[],
): OwnFiles | undefined {
  const list = protections.slice(0, limit).filter((p) => p.checkRelative !== undefined);
  if (list.length === 0) return undefined;
  const tooMany = folders.length > MAX_WORKING_FOLDERS;
  const budget: RelativeBudget = { left: RELATIVE_BUDGET_BASE, exhausted: false };
  let found: OwnFiles | undefined;
  let end = list.length;
  const pending: unknown[] = [args];
  while (pending.length > 0 && end > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      budget.left += value.length / RELATIVE_BUDGET_CHARS;
      for (let i = 0; i < end; i++) {
        const own = list[i]!;
        if (tooMany) {
          if (own.namesRelative!(value)) {
            return { ...own, reason: tooManyFoldersReason(folders.length) };
          }
          continue;
        }
        if (own.checkRelative!(value, folders, budget)) {
          if (budget.exhausted) return { ...list[0]!, reason: BUDGET_REASON };
          found = own;
          end = i;
          break;
        }
      }
      if (leadsJson(value)) {
        try {
          pending.push(parsePythonJson(value));
        } catch {
          // Not JSON: the string as it is.
        }
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (value !== null && typeof value === "object") {
      // A key is read as a value is: `{"files": {".thoth/state/x": "…"}}`.
      for (const [key, child] of Object.entries(value)) pending.push(key, child);
    }
  }
  return found;
}

/**
 * A test of whether `options.bases` (the folders the server resolves
 * relative paths against) changed since it last answered: the session
 * replaces the list, or grows it, when the client's roots arrive. True at
 * its first call.
 *
 * @example
 * ```ts
 * const changed = watchBases(options);
 * if (changed()) recompute(options.bases);
 * ```
 */
export function watchBases(options: PathOptions): () => boolean {
  let read: readonly string[] | undefined;
  let seen = -1;
  return () => {
    const bases = options.bases;
    const length = bases?.length ?? 0;
    if (bases === read && length === seen) return false;
    read = bases;
    seen = length;
    return true;
  };
}

/**
 * The spellings of the profile folder to protect: `thothHome` as given, and
 * its real path (links followed) when that differs.
 */
export function profileFolders(thothHome: string, real: string | undefined): string[] {
  return real === undefined || real === thothHome ? [thothHome] : [thothHome, real];
}

/** What a call that reaches thoth's own files is told, and why. */
function ownFilesReason(own: Pick<OwnFiles, "kind" | "folder" | "reason">): string {
  if (own.reason !== undefined) return own.reason;
  const folder = own.folder;
  if (own.kind === "project_config") {
    return "the arguments reach an MCP client's project config (a .mcp.json, .cursor/mcp.json, " +
      ".vscode/mcp.json, .claude/settings.json or .claude/settings.local.json in any folder, " +
      "in any case): a server that writes one could add servers that run without thoth, or " +
      "commands the client runs, when the folder is next opened; thoth never forwards such a " +
      'call, in any mode. Write project configs yourself (then check them with "thoth doctor"); ' +
      "the other files in those folders stay reachable";
  }
  if (own.kind === "client_config") {
    return `the arguments reach an MCP client's config file ("${folder}" or another client's): ` +
      "a server that changes one could take itself out of thoth's governance, and one that " +
      "reads one sees other servers' credentials; thoth never forwards such a call, in any " +
      'mode. Change client configs yourself, with "thoth wrap-config" or the client. A ' +
      "folder that holds one (moved or listed) and a text that names one of these paths (a " +
      "README a server writes) count too: write such a file yourself";
  }
  return `the arguments reach thoth's own profile folder "${folder}" (its audit log and keys, ` +
    "approval answers and progressive counters); thoth's own files are never forwarded, in " +
    "any mode. To let this server work on files, give it folders that do not hold this one " +
    "(or move the profile out of its reach with THOTH_HOME); manage thoth's files with thoth's " +
    "own commands. A text that names the profile's path (a file a server writes) counts too: " +
    "write such a file yourself";
}

/**
 * The evaluation of a call that reaches thoth's own files: BLOCK under
 * {@linkcode OWN_FILES_RULE} alone; the policy's intent, rules and
 * detectors are not consulted.
 */
export function ownFilesEvaluation(
  own: Pick<OwnFiles, "kind" | "folder"> & { reason?: string | undefined },
): Evaluation {
  const reason = ownFilesReason(own);
  const rule = ruleOf(own.kind);
  return {
    decision: "block",
    ruleIds: [rule],
    violatedIds: [rule],
    reasons: [reason],
    findings: [],
    riskScore: 0,
    intentViolation: false,
    matches: [{ id: rule, source: "thoth", decision: "block", reason }],
    notes: [],
    scanCapped: false,
  };
}

function ruleOf(kind: OwnFilesKind): string {
  return kind === "profile" ? OWN_FILES_RULE : CLIENT_CONFIG_RULE;
}

/**
 * The rule of thoth's own files' block when `evaluation` is one (see
 * {@linkcode ownFilesEvaluation}); undefined otherwise.
 */
export function reachesOwnFiles(evaluation: Pick<Evaluation, "matches">): string | undefined {
  const first = evaluation.matches[0];
  if (first === undefined || first.source !== "thoth") return undefined;
  return first.id === OWN_FILES_RULE || first.id === CLIENT_CONFIG_RULE ? first.id : undefined;
}

/**
 * The action for such a call in any mode: blocked. Observe mode forwards
 * every other violation and progressive mode warns first; neither applies
 * here, and nothing is counted.
 */
export function ownFilesAction(mode: EnforcementMode, rule: string = OWN_FILES_RULE): Action {
  return {
    action: "block",
    wouldHave: "block",
    mode,
    violation: true,
    ladder: undefined,
    violationNumber: undefined,
    explanation: mode === "block"
      ? `blocked by ${rule}`
      : `blocked by ${rule}: ${mode} mode does not apply to thoth's own files`,
  };
}
