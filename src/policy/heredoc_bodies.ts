/**
 * The here-documents of a POSIX shell's script, for the backtick reading of
 * `command_segments.ts`: the body of a here-document whose delimiter is
 * quoted (`<<'EOF'`, `<<"EOF"`, `<< \\EOF`, `<<-'EOF'`) is not expanded, so
 * no backtick pair in it runs as a command while it is read, and when a
 * data sink alone takes it (`cat > notes.md <<'EOF'`) none ever does; an
 * unquoted one's (`<<EOF`), or one a shell, `eval` or `ssh` is handed, is
 * read as commands. Only a line's lone here-document is followed (with two on
 * a line, which body is whose is not worked out: both are read as
 * expanded), and a delimiter longer than {@linkcode MAX_DELIMITER} is not.
 * Each body is looked for once, from the line break that ends its command,
 * and bodies never overlap, so the reading stays linear. Pure.
 *
 * @example
 * ```ts
 * const text = "cat <<'EOF' >x\ny\nEOF\n";
 * const bodies = new HeredocBodies();
 * bodies.redirect(text, 4, 6);
 * bodies.lineEnd(text, 14);
 * bodies.unexpanded(15); // true: in the body
 * ```
 */
import { isSpace, quoteEnd } from "./command_text_scans.ts";

/** Where the here-documents of a script read in order start and end, see the module's documentation. */
export class HeredocBodies {
  /** How many here-documents the line read now has, and the first one's delimiter. */
  #count = 0;
  #first: { word: string; quoted: boolean; strip: boolean } | null = null;
  /** Where the body of the last lone here-document with a quoted delimiter ends. */
  #end = -1;

  /** Whether `at` lies in the body of a here-document with a quoted delimiter. */
  unexpanded(at: number): boolean {
    return at < this.#end;
  }

  /**
   * A redirection operator `text[at…to)` was read: a `<<` outside a body
   * starts a here-document, whose delimiter follows.
   */
  redirect(text: string, at: number, to: number): void {
    if (to - at !== 2 || text.charCodeAt(at) !== 60 || text.charCodeAt(at + 1) !== 60) return;
    if (at < this.#end) return;
    if (this.#count++ === 0) this.#first = heredocDelimiter(text, to);
  }

  /**
   * The line break at `at` ends a command: the line's lone here-document's
   * body starts after it. It counts as data only when the line is a data
   * sink's alone (`cat` or `tee`, no pipe, list or substitution): a quoted
   * delimiter stops expansion only while the body is read, so a shell,
   * `source`, `eval` or `ssh` that is handed the body runs its backticks.
   */
  lineEnd(text: string, at: number): void {
    if (this.#count === 0) return;
    const first = this.#first;
    if (this.#count === 1 && first !== null && first.quoted && sinkLine(text, at)) {
      this.#end = heredocBodyEnd(text, at + 1, first.word, first.strip);
    }
    this.#count = 0;
    this.#first = null;
  }
}

/** The programs whose here-document is data: they copy it, never run it. */
const SINKS = new Set(["cat", "tee"]);

/**
 * Whether the line that ends at `at` (a line break) is one command of a
 * data sink ({@linkcode SINKS}) that writes into a file and nothing else:
 * a `>` in it, no `|`, `;`, `&`, `(`, backtick or `$`, no `/dev/` or
 * `/proc/` path. Its output goes nowhere a command reads (not even a `$(…)`
 * around it). Reads the line once.
 */
function sinkLine(text: string, at: number): boolean {
  const start = text.lastIndexOf("\n", at - 1) + 1;
  let i = start;
  while (i < at && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let end = i;
  while (end < at && /[a-z]/.test(text.charAt(end))) end++;
  const next = text.charCodeAt(end);
  if (
    !SINKS.has(text.slice(i, end)) || !(next === 32 || next === 9 || next === 60 || next === 62)
  ) {
    return false;
  }
  let toFile = false;
  for (let j = end; j < at; j++) {
    const c = text.charCodeAt(j);
    if (c === 124 || c === 59 || c === 38 || c === 40 || c === 96 || c === 36) return false;
    if (c === 62) toFile = true;
  }
  // Its output into a file, not one that is a stream (`/dev/stdout`) nor what a `$(…)` around it reads.
  const line = text.slice(end, at);
  return toFile && line.indexOf("/dev/") === -1 && line.indexOf("/proc/") === -1;
}

/** The longest here-document delimiter read: a longer one's body is not looked for. */
const MAX_DELIMITER = 256;

/**
 * The delimiter word of a here-document whose `<<` ends just before `at`
 * in `text` (`<<'EOF'`, `<<-"EOF"`, `<< E\OF`): its text with quotes and
 * `\` read, whether any part of it was quoted (then the body is not
 * expanded: no backtick in it runs), and whether `<<-` strips the body's
 * leading tabs; `null` for none, or one longer than {@linkcode MAX_DELIMITER}.
 */
function heredocDelimiter(
  text: string,
  at: number,
): { word: string; quoted: boolean; strip: boolean } | null {
  let i = at;
  const strip = text.charCodeAt(i) === 45;
  if (strip) i++;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  let word = "";
  let quoted = false;
  while (i < text.length && word.length <= MAX_DELIMITER) {
    const c = text.charCodeAt(i);
    if (
      isSpace(c) || c === 59 || c === 38 || c === 124 || c === 60 || c === 62 || c === 40 ||
      c === 41
    ) break;
    if (c === 39 || c === 34) {
      const close = quoteEnd(text, i, i + MAX_DELIMITER + 2);
      if (close === -1) return null;
      word += c === 39
        ? text.slice(i + 1, close)
        : text.slice(i + 1, close).replace(/\\([$`"\\])/g, "$1");
      quoted = true;
      i = close + 1;
    } else if (c === 92) {
      word += text.charAt(i + 1);
      quoted = true;
      i += 2;
    } else {
      word += text[i];
      i++;
    }
  }
  return word === "" || word.length > MAX_DELIMITER ? null : { word, quoted, strip };
}

/**
 * The index where the body of a here-document that starts at `from` (just
 * after the line break that ends its command) ends: the end of the line
 * that is its delimiter `word` alone (leading tabs aside with `strip`), or
 * the text's end. Reads each line once.
 */
function heredocBodyEnd(text: string, from: number, word: string, strip: boolean): number {
  let start = from;
  while (start < text.length) {
    let line = text.indexOf("\n", start);
    if (line === -1) line = text.length;
    let first = start;
    while (strip && text.charCodeAt(first) === 9) first++;
    let last = line;
    if (text.charCodeAt(last - 1) === 13) last--;
    if (last - first === word.length && text.startsWith(word, first)) return line;
    start = line + 1;
  }
  return text.length;
}
