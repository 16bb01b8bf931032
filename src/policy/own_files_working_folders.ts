/**
 * The working folders a call names, for the protections of thoth's own
 * files (`own_files.ts`, its item 4): the keys that name one
 * (`WORKING_FOLDER_KEYS` in `own_files_working_folder_keys.ts`, compared
 * without case, `_` and `-`), and the reading of a relative path in a string of the call resolved
 * against each of them ({@linkcode compileWorkingFolderReading}): the whole
 * string as one path when it is one line, each word as a shell splits it,
 * the part after a `=`, and the words of a word a shell runs again, three
 * times at most (`sh -c 'cat .thoth/keys/x'`). Only a path that may land in
 * a protected folder is resolved. A path joined to a folder written plainly
 * whose `..` segments, resolved as the OS does, land apart from every
 * protected folder is not read further and costs nothing; every other
 * resolution spends the call's budget (`RELATIVE_BUDGET_BASE`). A call that
 * names more than `MAX_WORKING_FOLDERS` folders, or needs more resolutions
 * than its budget, is blocked with its own reason (`reachedRelative`, in
 * `own_files_reached_relative.ts`, which walks the call).
 *
 * @example
 * ```ts
 * const own = compileOwnFiles(["/home/ana/.thoth"], { home: "/home/ana", os: "linux" });
 * own!.reaches({ command: "rm .thoth/state/x", cwd: "~" }); // true
 * ```
 */
import type { CompiledPredicate } from "./compiled_policy.ts";
import { trimmed, unquoted } from "./own_files_value_forms.ts";
import { holdsPercentEscape } from "./percent_escape.ts";
import { shellWords } from "./shell_words.ts";

/** How many more relative paths `OwnFiles.checkRelative` may resolve in a call. */
export interface RelativeBudget {
  /** Resolutions left. */
  left: number;
  /** Whether a resolution was asked for with none left. */
  exhausted: boolean;
}

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
/** How many distinct words of a string `OwnFiles.checkRelative` remembers as read. */
const SEEN_WORDS = 1024;
/** How deep words of words are read (`sh -c "bash -c '…'"`). */
const NESTED_DEPTH = 3;
/**
 * A resolution of a path costs one, and one more for every so many of its characters (see
 * `RELATIVE_BUDGET_BASE`).
 */
const RELATIVE_COST_CHARS = 64;

/** What separates the words of a shell command that may each be a path (`=` of `--file=x`). */
const WORD_BREAKS = /[\s;&|<>()`=]+/;

/**
 * What {@linkcode compileWorkingFolderReading} takes from the protection it
 * belongs to (`compileOwnFiles`): its folders and names as compared, and how
 * it reads a value.
 */
export interface WorkingFolderReadingContext {
  /** Whether paths are read as on Windows, where `\` separates. */
  backslash: boolean;
  /** Whether any string may name a protected folder (one is a root or a drive). */
  anyString: boolean;
  /** The protected folders' last names. */
  names: readonly string[];
  /** The last names of the folders of item 2 that are no protected folder's. */
  ancestorNames: readonly string[];
  /** The protected folders, compared forms. */
  forms: readonly string[];
  /** The folders of item 2: they hold a protected one, strictly below the home folder. */
  ancestors: ReadonlySet<string>;
  /** The folders a shell names by a variable, each with those variables. */
  variableFolders: readonly (readonly [string | undefined, readonly string[]])[];
  /** Whether a reading lands in a protected folder or on a folder of item 2 itself. */
  landing: CompiledPredicate;
  /** Whether a reading lands in a protected folder. */
  inside: CompiledPredicate;
  /** A value composed and without case, as the names are. */
  valueForm: (text: string) => string;
  /** A text composed, without case and `/`-separated, as the folders are. */
  comparable: (text: string) => string;
  /** A text with `\` as `/` on Windows. */
  separated: (text: string) => string;
  /** A text with `${HOME:-…}` and `${XDG_CONFIG_HOME:-…}` as the variable. */
  withoutDefaults: (text: string) => string;
  /** Whether a text holds a protected folder's last name. */
  holdsName: (text: string) => boolean;
  /** Whether a text holds one of `list`. */
  holdsAny: (text: string, list: readonly string[]) => boolean;
  /** Whether a text holds a Windows short name of a protected folder's segment. */
  holdsShortName: (text: string) => boolean;
  /** What may split a name in a shell word. */
  splits: RegExp;
  /** A value (compared: `text`) without quotes and escapes, as a shell reads it. */
  shellUnquoted: (text: string, value: string) => string;
  /** Whether a character code is `/` or `\`. */
  isSeparator: (code: number) => boolean;
  /** Whether a character code is a dot or a space. */
  isDotOrSpace: (code: number) => boolean;
}

/** A protection's reading of relative paths against a call's working folders. */
export interface WorkingFolderReading {
  /** See `OwnFiles.checkRelative`. */
  checkRelative(value: string, folders: readonly string[], budget: RelativeBudget): boolean;
  /** See `OwnFiles.namesRelative`. */
  namesRelative(value: string): boolean;
}

/**
 * The reading of relative paths against the working folders a call names,
 * for the protection `context` describes: `checkRelative` and
 * `namesRelative` of `OwnFiles`.
 */
export function compileWorkingFolderReading(
  context: WorkingFolderReadingContext,
): WorkingFolderReading {
  const {
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
  } = context;

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
  return { checkRelative, namesRelative };
}
