/**
 * thoth's own files: a governed server runs as the same user as thoth, so a
 * server with file or shell tools could otherwise reset the progressive
 * counters (`state/`), answer its own approval requests (`approvals/`), read
 * the audit keys (`keys/`) or delete audit segments. A call whose arguments
 * reach the profile folder (`THOTH_HOME`) is blocked under rule
 * {@linkcode OWN_FILES_RULE}, before the policy's own rules and whatever the
 * enforcement mode (observe included); no policy can remove or loosen it.
 * The files that govern thoth outside the profile (a `--policy` file
 * elsewhere, where a linked `policy.jsonc` or intent map leads) are protected
 * the same way under the same rule, and the MCP clients' config files under
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
 *    with a short name for a segment (`%USERPROFILE%\THOTH~1`). The profile
 *    folder is also named by `$THOTH_HOME` and `${THOTH_HOME}` (and
 *    `${THOTH_HOME:-…}`; `%THOTH_HOME%`, `$env:THOTH_HOME` on Windows), which
 *    a server inherits (`cat $THOTH_HOME/keys/x`, `cd $THOTH_HOME; …`);
 * 4. the call names the folder it runs in, anywhere in its arguments (also
 *    inside JSON a string holds), as the value of a key
 *    `WORKING_FOLDER_KEYS` lists (`cwd`, `dir`, `directory`,
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
 *    than `MAX_WORKING_FOLDERS` distinct ones while some string
 *    may name a relative path to a protected folder is blocked, and so is a
 *    call that needs more resolutions than its size allows
 *    (`RELATIVE_BUDGET_BASE`), each with its own reason: see
 *    `own_files_working_folders.ts`.
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
 * for, a shell variable other than `HOME`, `XDG_CONFIG_HOME`, `THOTH_HOME` and
 * (Windows) `APPDATA`, `USERPROFILE`, `HOMEDRIVE`/`HOMEPATH`, a command relative to a
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
import {
  dollarUnquoted,
  foldedValue,
  holdsDollarQuote,
  leadsJson,
  trimmed,
  unquoted,
} from "./own_files_value_forms.ts";
import {
  compileWorkingFolderReading,
  isWorkingFolderKey,
  MAY_NAME_WORKING_FOLDER,
  reachedRelative,
  type RelativeBudget,
} from "./own_files_working_folders.ts";
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
 * What a protection guards: thoth's profile, the files that govern thoth
 * outside it (a `--policy` file elsewhere, where a linked `policy.jsonc` or
 * intent map leads), the clients' config files, or their project configs in
 * any folder (`project_configs.ts`).
 */
export type OwnFilesKind = "profile" | "governing_file" | "client_config" | "project_config";

/** The protection of thoth's profile folder, compiled once per session. */
export interface OwnFiles {
  /** What it guards. */
  kind: OwnFilesKind;
  /**
   * The profile folder (or config file) as given (the first one), for
   * explanations; on {@linkcode firstReached}'s answer, the one the call
   * reaches where it can be told (see `folderReached`).
   */
  folder: string;
  /** Set on {@linkcode firstReached}'s answer when `folder` is the one the call reaches. */
  folderReached?: boolean | undefined;
  /**
   * Which of the folders (or files) given the arguments reach, each tried
   * alone; absent when one was given. Undefined when none does alone (a
   * call blocked for a reason of its own).
   */
  reachedFolder?(args: unknown): string | undefined;
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
   * `WORKING_FOLDER_KEYS`) reaches a protected folder (the whole
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
  // The profile by the variable that names it, which the server inherits when it is set:
  // `$THOTH_HOME/keys/…` is the profile's as `~/.thoth/keys/…` is (unset, it names nothing
  // else a server would write it for). Added after the loop above: it is the folder itself.
  const profileVariables = kind !== "profile"
    ? []
    : backslash
    ? ["$thoth_home", "${thoth_home}", "%thoth_home%", "$env:thoth_home", "${env:thoth_home}"]
    : ["$THOTH_HOME", "${THOTH_HOME}"].map(nameForm);
  for (const variable of profileVariables) needles.add(comparable(variable));
  if (profileVariables.length > 0) variableFolders.push([forms[0], profileVariables]);
  // A string that holds the variable's name is searched for the needles like one holding a
  // folder's name.
  const variableNames = kind === "profile" ? [nameForm("THOTH_HOME")] : [];
  // Unless a file name character follows, as for the other needles.
  const shortNeedle = shortNeedleSources.length === 0
    ? undefined
    : new RegExp(`(?:${shortNeedleSources.join("|")})(?![a-z0-9_-])`);
  // `${HOME:-…}` and `${XDG_CONFIG_HOME:=…}` are the variable when it is set.
  const defaultedNames = ["HOME", "XDG_CONFIG_HOME", ...variableNames].map(nameForm);
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
  const otherNames = [
    ...(gated ? names.filter((n) => n.indexOf(".json") === -1) : names),
    ...variableNames,
  ];
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

  // A relative path in a string of the call, resolved against the working folders it names:
  // see `own_files_working_folders.ts`.
  const { checkRelative, namesRelative } = compileWorkingFolderReading({
    backslash,
    anyString,
    names,
    ancestorNames,
    forms,
    ancestors,
    variableFolders,
    landing,
    inside,
    valueForm,
    comparable,
    separated,
    withoutDefaults,
    holdsName,
    holdsAny,
    holdsShortName,
    splits,
    shellUnquoted,
    isSeparator,
    isDotOrSpace,
  });

  // Which one a call reaches, for its explanation: each compiled alone, once a call is blocked.
  let alone: OwnFiles[] | undefined;
  const own: OwnFiles = {
    kind,
    folder: given[0]!,
    reaches: (args: unknown): boolean => firstReached([own], args) !== undefined,
    check,
    checkKey,
    checkRelative,
    namesRelative,
    ...(given.length < 2 ? {} : {
      reachedFolder: (args: unknown): string | undefined => {
        alone ??= given.map((one) => compileOwnFiles([one], options, kind)!);
        return alone.find((one) => one.reaches(args))?.folder;
      },
    }),
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
  const own = reachedAmong(protections, args);
  // Named by the folder (or file) the call reaches, not the first one given.
  if (own?.reachedFolder === undefined || own.reason !== undefined) return own;
  const folder = own.reachedFolder(args);
  return folder === undefined ? own : { ...own, folder, folderReached: true };
}

/** {@linkcode firstReached}, its answer named by the first folder given. */
function reachedAmong(
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
function ownFilesReason(
  own: Pick<OwnFiles, "kind" | "folder" | "reason" | "folderReached">,
): string {
  if (own.reason !== undefined) return own.reason;
  const folder = own.folder;
  const exact = own.folderReached === true;
  if (own.kind === "project_config") {
    return "the arguments reach an MCP client's project config (a .mcp.json, .cursor/mcp.json, " +
      ".vscode/mcp.json, .claude/settings.json or .claude/settings.local.json in any folder, " +
      "in any case): a server that writes one could add servers that run without thoth, or " +
      "commands the client runs, when the folder is next opened; thoth never forwards such a " +
      'call, in any mode. Write project configs yourself (then check them with "thoth doctor"); ' +
      "the other files in those folders stay reachable";
  }
  if (own.kind === "governing_file") {
    return `the arguments reach a file that governs thoth ("${folder}"${
      exact ? ":" : " or another:"
    } the policy ` +
      "in use, or where the profile's policy.jsonc or intent_map.json leads): a server that " +
      "changes one could loosen the rules it runs under; thoth never forwards such a call, in " +
      'any mode. Edit it yourself, then run "thoth policy check". A folder that holds one ' +
      "(moved or listed) and a text that names its path count too";
  }
  if (own.kind === "client_config") {
    return `the arguments reach an MCP client's config file ("${folder}"${
      exact ? "" : " or another client's"
    }): ` +
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
  own: Pick<OwnFiles, "kind" | "folder"> & {
    reason?: string | undefined;
    folderReached?: boolean | undefined;
  },
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
  return kind === "profile" || kind === "governing_file" ? OWN_FILES_RULE : CLIENT_CONFIG_RULE;
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
