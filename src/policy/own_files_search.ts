/**
 * What a protection of thoth's own files (see `own_files.ts`, its item 3)
 * searches a string for, and how: the protected folders' absolute forms and
 * the forms a shell expands (`~/…`, `~ana/…`, `$HOME/…`, `$XDG_CONFIG_HOME/…`,
 * `%APPDATA%\…`, `$THOTH_HOME`…), unless a file name character follows
 * (`holdsNeedle`); whether a string holds one of the folders' last names at
 * all (`holdsName`); and a string as a shell reads the word, without quotes
 * and escapes, runs of `/` as one, `${HOME:-…}` as `$HOME` (`shellRead`,
 * `shellUnquoted`). Compiled once per protection
 * ({@linkcode compileStringSearch}).
 *
 * @example
 * ```ts
 * const search = compileStringSearch(context); // /home/ana/.thoth on Linux, home /home/ana
 * search.holdsNeedle("cat ~/.thoth/keys/x"); // true
 * search.holdsNeedle("cat ~/.thothrc"); // false
 * search.shellRead(`cat "$HOME"/.th''oth`, `cat "$HOME"/.th''oth`); // "cat $HOME/.thoth"
 * ```
 */
import {
  dollarUnquoted,
  foldedValue,
  holdsDollarQuote,
  trimmed,
  unquoted,
} from "./own_files_value_forms.ts";
import { shortNamePattern } from "./own_files_patterns.ts";
import type { OwnFilesKind, VariableFolders } from "./own_files_protection.ts";

/**
 * What in a name or needle a value's composing (NFC) may produce: see
 * `composeValues`. U+212A KELVIN SIGN composes to `K`, which only a
 * comparison without case also reads as `k`.
 */
const COMPOSE_MATTERS = /[^\0-\x7f]|[kK;`]/;
const COMPOSE_MATTERS_WITH_CASE = /[^\0-\x7f]|[K;`]/;

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

/** What {@linkcode compileStringSearch} takes from the protection it belongs to (`compileOwnFiles`). */
export interface StringSearchContext {
  /** Whether paths are read as on Windows, where `\` separates. */
  backslash: boolean;
  /** Whether paths are compared without case (macOS and Windows). */
  fold: boolean;
  /** What the protection guards: the profile is also named by `$THOTH_HOME`. */
  kind: OwnFilesKind;
  /** The home folder, compared form. */
  home: string | undefined;
  /** The protected folders, compared forms. */
  forms: readonly string[];
  /** The protected folders' last names. */
  names: readonly string[];
  /** The last names of the folders of item 2 that are no protected folder's. */
  ancestorNames: readonly string[];
  /** The protected folders as globs with their Windows short names (see `shortNameGlob`). */
  shortForms: readonly string[];
  /** The folders a shell names by a variable, as the options give them. */
  wanted: VariableFolders | undefined;
  /** A text composed and without case where files are. */
  nameForm: (text: string) => string;
  /** A text composed, without case and `/`-separated, as the folders are. */
  comparable: (text: string) => string;
  /** A text with `\` as `/` on Windows. */
  separated: (text: string) => string;
}

/** A protection's search of a string for its folders (see {@linkcode compileStringSearch}). */
export interface StringSearch {
  /** The folders a shell names by a variable, each with those variables. */
  variableFolders: [string | undefined, string[]][];
  /** The needles with a Windows short name for a segment; `undefined` when none has one. */
  shortNeedle: RegExp | undefined;
  /** A text with `${HOME:-…}` and `${XDG_CONFIG_HOME:-…}` as the variable. */
  withoutDefaults: (text: string) => string;
  /** A value composed and without case, as the names are. */
  valueForm: (text: string) => string;
  /** Whether a text (compared, separated) holds a needle no file name character follows. */
  holdsNeedle: (text: string) => boolean;
  /** Whether a text holds one of `list`. */
  holdsAny: (text: string, list: readonly string[]) => boolean;
  /** Whether a text holds a protected folder's last name (or `THOTH_HOME`). */
  holdsName: (text: string) => boolean;
  /** A text (compared, separated; `value` as written) as a shell reads the word. */
  shellRead: (text: string, value: string) => string;
  /** What may split a name in a shell word. */
  splits: RegExp;
  /** A value (compared: `text`) without quotes and escapes, as a shell reads it. */
  shellUnquoted: (text: string, value: string) => string;
}

/** Compiles the search of a string for the protection `context` describes. */
export function compileStringSearch(context: StringSearchContext): StringSearch {
  const {
    backslash,
    fold,
    kind,
    home,
    forms,
    names,
    ancestorNames,
    shortForms,
    wanted,
    nameForm,
    comparable,
    separated,
  } = context;

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
  // What may split a name in a shell word: quotes, and `\` but on Windows.
  const splits = backslash ? QUOTE : SHELL_QUOTING;
  // `value` (compared: `text`) without quotes and (but on Windows) `\` escapes; `$'…'` decoded
  // before case is folded.
  const shellUnquoted = (text: string, value: string): string =>
    holdsDollarQuote(value) ? valueForm(unquoted(value, backslash)) : unquoted(text, backslash);

  return {
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
  };
}
