/**
 * The commands that perl's and ruby's `open` runs, for the approval-command
 * reading (`approval_commands.ts`): `open` with a pipe mode runs a program
 * and reads or writes its output, as `qx{…}` or `popen` do, though its name
 * is no runner's:
 *
 * - perl's three-argument (or list) form: `open(my $fh, '-|', 'thoth',
 *   'approvals', …)` or `open($fh, "|-", "thoth approvals list")`, also
 *   `CORE::open`, the call across lines, any handle (`$self->{fh}`,
 *   `${fh}`, `*{"FH"}`, `\*FH`) and
 *   I/O layers after the mode (`'-|:encoding(UTF-8)'`): the list
 *   after the mode, its items quoted strings, `qw(…)` words, `q{…}` and
 *   `qq{…}` strings, barewords before `=>` (`thoth => approvals => …`) and
 *   variables;
 * - perl's two-argument form (`open(FH, "thoth approvals list |")`, `open(FH,
 *   "| thoth …")`) and ruby's `open("| thoth …")` or `Kernel.open("| …")`:
 *   the string's text without the `|` (a trailing one only after a handle:
 *   Python's `open('a|')` opens a file).
 *
 * Any other `open` (`open(my $fh, '<', 'approvals.txt')`, `File.open`,
 * `os.open`) is a file's. Pure; one pass over the text: each search goes on
 * past the list it read, so no character is read by two lists.
 *
 * @example
 * ```ts
 * pipeOpenCommands(`open(my $fh, '-|', 'thoth', 'approvals', 'list');`).lists;
 * // [["thoth", "approvals", "list"]]
 * pipeOpenCommands(`open(FH, "thoth approvals list |");`).texts; // ["thoth approvals list "]
 * pipeOpenCommands(`open(my $fh, "-|", qw(thoth approvals list));`).lists;
 * // [["thoth", "approvals", "list"]]
 * ```
 */

/**
 * A call of `open` (not a method: `File.open`, `$io->open`; but ruby's
 * `Kernel.open` and perl's `CORE::open` and `CORE::GLOBAL::open`), up to
 * its first argument (after `(` and white space, line breaks too). Not
 * right after a backtick: a markdown code span shows it (``In perl,
 * `open(FH, "… |")` runs it``), and a shell, which a backtick pair in code
 * hands its text, has no such call.
 */
const OPEN_CALL = /(?<![\w$@%&>.:`])(?:Kernel\.|CORE::(?:GLOBAL::)?)?open(?![\w$])\s*(?:\(\s*)?/g;

/** A string as `open`'s first or second argument, read where it starts (sticky). */
const OPEN_STRING = /'([^'\\]*)'|"([^"\\]*)"/y;

/**
 * What a handle, `open`'s first argument when a mode follows, starts with:
 * `my $fh`, `FH`, `*FH`, a glob's reference `\*FH` (`\ *FH`), or a block
 * in braces (`${fh}`, `*{"FH"}`, `${ $self->{fh} }`, `\*{"main::FH"}`),
 * which {@linkcode pastHandle} reads on, brackets balanced and quotes read.
 */
const HANDLE_START = /(?:(?:my|our|local)\s+)?(?:\\\s*)?(?:[$*]?[A-Za-z_]|[$*](?=\{))/y;

/** The longest handle read (`$self->{fh}`, `$fhs{$name}`): past it, no handle is. */
const MAX_HANDLE = 256;

/**
 * A mode that runs the program after it: `-|` reads its output, `|-`
 * writes its input, I/O layers after it (`-|:encoding(UTF-8)`, `-|:raw`).
 */
const PIPE_MODE = /^\s*(?:-\||\|-)\s*(?::.*)?$/s;

/** A command's text in an `open` without a mode: the string after a leading `|`. */
const LEADING_PIPE = /^\s*\|([^]*)$/;

/** A command's text in perl's two-argument `open`: the string before a trailing `|`. */
const TRAILING_PIPE = /^([^]*)\|\s*$/;

/**
 * A separator of perl's list (`,` or `=>`, blanks and line breaks around
 * it), read where the last item ended (sticky).
 */
const SEPARATOR = /[ \t\r\n]*(?:,|=>)[ \t\r\n]*/y;

/**
 * An item of perl's list that is no quoted string, read where the separator
 * ended (sticky): a quote-like operator and its opening delimiter (`qw(`,
 * `qq{`, `q[`), a bareword that `=>` quotes, or a variable (`$id`, `@args`,
 * `$h{x}`, `$a[0]`, `${x}`).
 */
const OTHER_ITEM =
  /(q[qw]?)[ \t]*([^\w\s])|([A-Za-z_]\w*)(?=[ \t\r\n]*=>)|[$@]\{?[\w:]+\}?(?:\[[\w$]*\]|\{[\w$'"]*\})*/y;

/** The closing delimiter of each opening bracket. */
const CLOSING: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}", "<": ">" };

/** What pipe-mode `open` calls in `text` run: lists of words, and command texts. */
export interface PipeOpenCommands {
  lists: string[][];
  texts: string[];
}

/**
 * Where the quoted text that opens at `open` (after its delimiter) closes,
 * `\` escaping one character, a bracket delimiter nested: the index of the
 * closing delimiter, or -1 when none does.
 */
function closingAt(text: string, from: number, open: string): number {
  const close = CLOSING[open] ?? open;
  const openCode = open.charCodeAt(0);
  const closeCode = close.charCodeAt(0);
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === closeCode && --depth === 0) return i;
    else if (c === openCode && openCode !== closeCode) depth++;
  }
  return -1;
}

/**
 * The items of perl's list after `open`'s mode, from `from` in `text` (a
 * separator first), as words (`qw` splits its text; a variable is `$_`),
 * the first item's text when it is a string, and where the list ends. A
 * quote-like that never closes takes the rest of the text, as perl reads it.
 */
function listAfter(
  text: string,
  from: number,
): { words: string[]; first: string | undefined; end: number } {
  const words: string[] = [];
  let first: string | undefined;
  let end = from;
  for (;;) {
    SEPARATOR.lastIndex = end;
    if (!SEPARATOR.test(text)) break;
    let i = SEPARATOR.lastIndex;
    const c = text.charCodeAt(i);
    let string: string | undefined;
    if (c === 39 || c === 34) {
      const close = closingAt(text, i + 1, text[i]!);
      // Unclosed: no later string of the kind can close either, so this is read once.
      if (close === -1) break;
      string = text.slice(i + 1, close);
      i = close + 1;
    } else {
      OTHER_ITEM.lastIndex = i;
      const m = OTHER_ITEM.exec(text);
      if (m === null) break;
      i = OTHER_ITEM.lastIndex;
      if (m[1] !== undefined) {
        const close = closingAt(text, i, m[2]!);
        const quoted = text.slice(i, close === -1 ? text.length : close);
        i = close === -1 ? text.length : close + 1;
        if (m[1] === "qw") {
          for (const word of quoted.split(/\s+/)) if (word !== "") words.push(word);
        } else string = quoted;
      } else words.push(m[3] ?? "$_");
    }
    if (string !== undefined) {
      words.push(string);
      if (words.length === 1) first = string;
    }
    end = i;
  }
  return { words, first, end };
}

/**
 * The commands of the pipe-mode `open` calls in `text` (see the module's documentation).
 *
 * @example
 * ```ts
 * pipeOpenCommands(`open(my $fh, "-|", qq{thoth approvals list})`).texts; // ["thoth approvals list"]
 * pipeOpenCommands(`open my $fh, "-|", thoth => approvals => "list";`).lists;
 * // [["thoth", "approvals", "list"]]
 * pipeOpenCommands(`open(my $fh, "<", "approvals.txt")`); // { lists: [], texts: [] }
 * ```
 */
export function pipeOpenCommands(text: string): PipeOpenCommands {
  const lists: string[][] = [];
  const texts: string[] = [];
  if (text.indexOf("open") === -1) return { lists, texts };
  OPEN_CALL.lastIndex = 0;
  for (;;) {
    const m = OPEN_CALL.exec(text);
    if (m === null) break;
    const start = OPEN_CALL.lastIndex;
    // A handle first (`my $fh`, `$self->{fh}`), then `,`: where the second argument starts.
    const past = pastHandle(text, start);
    OPEN_STRING.lastIndex = past === -1 ? start : past;
    const string = OPEN_STRING.exec(text);
    if (string === null) continue;
    const first = string[1] ?? string[2]!;
    if (past !== -1 && PIPE_MODE.test(first)) {
      const list = listAfter(text, OPEN_STRING.lastIndex);
      // One string is a shell's command text; more items are the program's words.
      if (list.first !== undefined) texts.push(list.first);
      if (list.words.length > 1) lists.push(list.words);
      // The search goes on past the list: no list is read twice.
      OPEN_CALL.lastIndex = Math.max(OPEN_STRING.lastIndex, list.end);
      continue;
    }
    // A trailing `|` is perl's, after a handle; a file's name elsewhere (Python's `open`).
    const piped = LEADING_PIPE.exec(first) ??
      (past !== -1 ? TRAILING_PIPE.exec(first) : null);
    if (piped !== null) texts.push(piped[1]!);
  }
  return { lists, texts };
}

/**
 * Where `open`'s second argument starts when a handle is its first, at
 * `from` in `text` (`my $fh`, `FH`, `*FH`, `$self->{fh}`, `$fh{$k}`): past
 * its text, brackets balanced and quotes read, its `,` and white space; or
 * -1 for none (a string first, no `,` within {@linkcode MAX_HANDLE}
 * characters, a `;` or an unbalanced bracket first).
 */
function pastHandle(text: string, from: number): number {
  HANDLE_START.lastIndex = from;
  if (!HANDLE_START.test(text)) return -1;
  const end = Math.min(text.length, from + MAX_HANDLE);
  let depth = 0;
  for (let i = HANDLE_START.lastIndex; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 34) {
      // A string in a subscript (`$h{'fh'}`), `\` escaping one character.
      let j = i + 1;
      while (j < end && text.charCodeAt(j) !== c) j += text.charCodeAt(j) === 92 ? 2 : 1;
      i = j;
    } else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) return -1;
    } else if (c === 59) return -1;
    else if (c === 44 && depth === 0) {
      let k = i + 1;
      while (k < text.length && /\s/.test(text[k]!)) k++;
      return k;
    }
  }
  return -1;
}
