/**
 * Decodes a shell's ANSI-C quoted string, `$'…'`, the way bash does. Pure.
 *
 * The escapes are bash's: `\a \b \e \E \f \n \r \t \v`, `\\ \' \" \?`,
 * `\NNN` (one to three octal digits), `\xHH` (one or two hex digits) and
 * `\x{H…}`, `\uHHHH` and `\UHHHHHHHH` (one to four or eight hex digits),
 * `\cX` (control-X). Any other backslash is kept with the character after it
 * (`\q` is `\q`), as is a `\x`, `\u`, `\U` or `\c` with nothing it can take.
 * Bytes a `\x` or an octal escape makes are read as UTF-8, the way the
 * command line reaches the program.
 *
 * What cannot be known exactly from the text alone makes the result inexact
 * (`exact: false`), with U+FFFD in place of what is not known: a `\u` or
 * `\U` beyond ASCII (bash writes it in the locale of the shell, and as the
 * text `\u00E9` in the C locale), bytes that are not UTF-8, a `\c` before a
 * character beyond ASCII, and a NUL character (bash ends the string there,
 * zsh keeps it in the word). A caller that compares the result with a name
 * must treat an inexact result as unknown, never as "not that name".
 *
 * The time taken is linear in the length of the quoted text.
 *
 * @example
 * ```ts
 * decodeAnsiC("$'thoth' run", 2); // { text: "thoth", end: 7, exact: true }
 * decodeAnsiC("$'\\x74h\\157th'", 2).text; // "thoth"
 * decodeAnsiC("$'\\u00e9'", 2).exact; // false: the shell's locale decides
 * ```
 */

/** What {@linkcode decodeAnsiC} makes of a `$'…'` string. */
export interface AnsiCDecoded {
  /** The string's characters; U+FFFD for each part that cannot be known exactly. */
  text: string;
  /** Index of the closing `'` in the line, or the line's length when it has none. */
  end: number;
  /** Whether `text` is exactly what the shell makes of the string. */
  exact: boolean;
}

/** What takes the place of a part that cannot be known exactly. */
export const UNKNOWN_PART = "\uFFFD";

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  e: 0x1b,
  E: 0x1b,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  "\\": 0x5c,
  "'": 0x27,
  '"': 0x22,
  "?": 0x3f,
};

const UNKNOWN_BYTES = [0xef, 0xbf, 0xbd];
/** The longest ASCII result made without a decoder (an argument list has a bounded length). */
const ASCII_AT_ONCE = 4096;
const encoder = new TextEncoder();

/** How {@linkcode decodeAnsiC} reads what the text alone does not tell. */
export interface AnsiCOptions {
  /**
   * Read a `\u` or `\U` beyond ASCII as bash does in a UTF-8 locale: the
   * character itself (`\u017f` is `ſ`), still with `exact: false` (another
   * locale writes it otherwise). A caller looking for a name reads both
   * outcomes this way: the other locales' U+FFFD is never part of a name.
   * Off by default: then such an escape is U+FFFD.
   */
  utf8Locale?: boolean | undefined;
}

/**
 * Decodes the `$'…'` string whose text starts at `from` in `line` (the index
 * just after `$'`). Its end is the first `'` not escaped by a backslash.
 */
export function decodeAnsiC(line: string, from: number, options?: AnsiCOptions): AnsiCDecoded {
  const utf8Locale = options?.utf8Locale === true;
  let end = from;
  while (end < line.length && line[end] !== "'") end += line[end] === "\\" ? 2 : 1;
  end = Math.min(end, line.length);
  const bytes: number[] = [];
  let exact = true;
  const unknown = () => {
    exact = false;
    bytes.push(...UNKNOWN_BYTES);
  };
  const put = (byte: number) => {
    if (byte === 0) unknown();
    else bytes.push(byte);
  };
  /** The character at `i` of the line, as the UTF-8 bytes a program receives; its length. */
  const putChar = (i: number): number => {
    const code = line.codePointAt(i)!;
    if (code < 0x80) {
      bytes.push(code);
      return 1;
    }
    const size = code > 0xffff ? 2 : 1;
    // A lone surrogate has no UTF-8 form: what the program receives is not known.
    if (code >= 0xd800 && code <= 0xdfff) unknown();
    else bytes.push(...encoder.encode(line.slice(i, i + size)));
    return size;
  };
  /** Reads up to `most` digits of `radix` from `i`: their value and how many there were. */
  const digits = (i: number, most: number, radix: 8 | 16): [number, number] => {
    let value = 0;
    let count = 0;
    while (count < most && i + count < end) {
      const digit = parseInt(line[i + count]!, radix);
      if (Number.isNaN(digit)) break;
      value = value * radix + digit;
      count++;
    }
    return [value, count];
  };
  let i = from;
  while (i < end) {
    if (line[i] !== "\\" || i + 1 >= end) {
      i += putChar(i);
      continue;
    }
    const escape = line[i + 1]!;
    i += 2;
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      bytes.push(simple);
    } else if (escape >= "0" && escape <= "7") {
      const [value, count] = digits(i, 2, 8);
      i += count;
      put(((parseInt(escape, 8) << (3 * count)) + value) & 0xff);
    } else if (escape === "x" && line[i] === "{") {
      // ksh93's \x{H…}: every hex digit up to "}", the last byte kept.
      i++;
      let value = 0;
      while (i < end) {
        const digit = parseInt(line[i]!, 16);
        if (Number.isNaN(digit)) break;
        value = (value * 16 + digit) & 0xff;
        i++;
      }
      if (line[i] === "}" && i < end) i++;
      put(value);
    } else if (escape === "x") {
      const [value, count] = digits(i, 2, 16);
      i += count;
      if (count === 0) bytes.push(0x5c, 0x78);
      else put(value);
    } else if (escape === "u" || escape === "U") {
      const [value, count] = digits(i, escape === "u" ? 4 : 8, 16);
      i += count;
      if (count === 0) bytes.push(0x5c, escape.charCodeAt(0));
      else if (value < 0x80) put(value);
      else if (utf8Locale && value <= 0x10ffff && (value < 0xd800 || value > 0xdfff)) {
        // As a UTF-8 locale writes it; still not known for every locale.
        exact = false;
        bytes.push(...encoder.encode(String.fromCodePoint(value)));
      } // Beyond ASCII bash writes the character in its locale's encoding: not known here.
      else unknown();
    } else if (escape === "c") {
      if (i >= end) {
        bytes.push(0x5c, 0x63);
      } else if (line[i] === "\\") {
        // "\c\" and "\c\\" are both control-backslash.
        i += line[i + 1] === "\\" && i + 1 < end ? 2 : 1;
        bytes.push(0x1c);
      } else if (line.charCodeAt(i) >= 0x80) {
        i += line.codePointAt(i)! > 0xffff ? 2 : 1;
        unknown();
      } else {
        const c = line[i++]!;
        put(c === "?" ? 0x7f : c.toUpperCase().charCodeAt(0) & 0x1f);
      }
    } else {
      bytes.push(0x5c);
      i += putChar(i - 1) - 1;
    }
  }
  // ASCII alone (most strings): the same characters, without a decoder's cost.
  if (bytes.length <= ASCII_AT_ONCE && bytes.every((byte) => byte < 0x80)) {
    return { text: String.fromCharCode(...bytes), end, exact };
  }
  const data = new Uint8Array(bytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    exact = false;
    text = new TextDecoder("utf-8").decode(data);
  }
  return { text, end, exact };
}
