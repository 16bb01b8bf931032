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
 *    `own_files_reached_relative.ts` and `own_files_working_folders.ts`.
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
import { caseless } from "./case_folding.ts";
import { compilePredicate } from "./compile_predicate.ts";
import {
  ancestorsBelow,
  compileAncestorTest,
  isDotOrSpace,
  isSeparator,
  lastName,
} from "./own_files_ancestors.ts";
import { compileShortNameTest, literalGlob, shortNameGlob } from "./own_files_patterns.ts";
import {
  type OwnFiles,
  type OwnFilesKind,
  type OwnFilesOptions,
  REACHES,
  READ_JSON,
} from "./own_files_protection.ts";
import { compileStringSearch } from "./own_files_search.ts";
import { trimmed } from "./own_files_value_forms.ts";
import { firstReached } from "./own_files_walk.ts";
import { compileWorkingFolderReading } from "./own_files_working_folders.ts";
import { watchBases } from "./watch_bases.ts";

export { ownFilesAction, ownFilesEvaluation, reachesOwnFiles } from "./own_files_block.ts";
export {
  CLIENT_CONFIG_RULE,
  OWN_FILES_RULE,
  type OwnFiles,
  type OwnFilesKind,
  type OwnFilesOptions,
  profileFolders,
  REACHES,
  READ_JSON,
  type VariableFolders,
} from "./own_files_protection.ts";
export { firstReached } from "./own_files_walk.ts";
export { watchBases } from "./watch_bases.ts";

/** Text NFC could change: ASCII never changes. */
const NON_ASCII = /[^\0-\x7f]/;
const BACKSLASHES = /\\/g;

/** The longest object key whose answer a protection keeps, and how many it keeps at most. */
const KEPT_KEY_LENGTH = 64;
const KEPT_KEYS = 256;

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
  const names = [...new Set(forms.map(lastName))];
  const ancestorNames = [...new Set([...ancestors].map(lastName))].filter((n) =>
    !names.includes(n)
  );
  const anyString = names.includes("") || names.some((n) => /^[a-z]:$/i.test(n));
  // What a string is searched for, and how a shell reads it: see `own_files_search.ts`.
  const {
    variableFolders,
    shortNeedle,
    withoutDefaults,
    valueForm,
    holdsNeedle,
    holdsAny,
    holdsName,
    shellRead,
    splits,
    shellUnquoted,
  } = compileStringSearch({
    backslash,
    fold,
    kind,
    home,
    forms,
    names,
    ancestorNames,
    shortForms,
    wanted: options.variableFolders,
    nameForm,
    comparable,
    separated,
  });

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

  // A reading that may be a folder that holds a protected one (see `own_files_ancestors.ts`).
  const mayNameAncestor = compileAncestorTest(ancestors, backslash);
  // On Windows, whether a word holds a short name of a protected folder's segment.
  const holdsShortName = compileShortNameTest(forms, backslash);

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
    if (escaped || (landing !== inside && mayNameAncestor(text, baseBelowAncestor))) {
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
