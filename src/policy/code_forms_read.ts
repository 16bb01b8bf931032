/**
 * Forms of code written as the plain ones the approval-command reading
 * reads (`approval_command_runs.ts`): Python's `(e := os.execvp)(…)` as
 * `os.execvp(…)`, a program given by a lookup or path call
 * (`shutil.which('thoth')`, `os.path.join(d, 'thoth')`, see
 * {@linkcode LOOKUP_CALL}) as the string it names, C's `_T("…")` and
 * `TEXT("…")` as the string they wrap, and a C array's compound literal
 * (`(const wchar_t*[]){L"x", …}`) without its cast. The result is a
 * second reading of the text, never one in its place: what a form's
 * expression passes over may be a shell's command. Each form is one pass
 * of one expression in which no two quantifiers next to each other match
 * the same characters, and each match stops at the next parenthesis
 * outside a string: linear in the text. Pure.
 *
 * @example
 * ```ts
 * codeFormsRead("(e := os.execvp)('thoth', ['x'])"); // "os.execvp('thoth', ['x'])"
 * codeFormsRead("os.execv(shutil.which('thoth'), ['x'])"); // "os.execv('thoth', ['x'])"
 * codeFormsRead('_texeclp(_T("thoth"), _T("x"), NULL)'); // '_texeclp("thoth", "x", NULL)'
 * codeFormsRead('execvp("thoth", (char *const[]){"x", NULL})'); // 'execvp("thoth", {"x", NULL})'
 * ```
 */
import { lastPart } from "./approval_command_simple.ts";
import { THOTH_NAME } from "./approval_command_words.ts";

/** A walrus in parentheses, called: `(e := os.execvp)(`, its value a dotted name. */
const WALRUS_CALLEE = /\(\s*[A-Za-z_]\w*\s*:=\s*([A-Za-z_][\w.]*)\s*\)(?=\s*\()/g;

/**
 * A call whose last argument is a string (`shutil.which('thoth')`,
 * `os.path.join('/opt/bin', "thoth")`): its dotted name, the arguments
 * before the string (names, numbers, `.`, blanks, commas and strings: no
 * parenthesis, quote, `$` or `;` outside a string), its quote and its text.
 */
const STRING_CALL =
  /(?<![\w$.])([A-Za-z_][\w.]*)\(((?:[\w. \t,]|'[^'\\\n]*'|"[^"\\\n]*")*?)(['"])([^'"\\\n]*)\3[ \t]*\)/g;

/**
 * The name of a call that looks a program up or builds its path: `which`
 * (`shutil.which`, npm's `which.sync`), the path joins and resolvers
 * (`os.path.join`, `path.join`, `path.resolve`, `os.path.abspath`,
 * `os.path.realpath`, ruby's `File.join` and `File.expand_path`, Go's
 * `filepath.Join`, .NET's `Path.Combine`), and a path's constructor
 * (`Path`, `pathlib.Path`, `Pathname`, Java's `Path.of` and `Paths.get`).
 */
const LOOKUP_CALL =
  /(?:^|\.)(?:which(?:\.sync)?|join|Join|resolve|abspath|realpath|normpath|expanduser|expand_path|absolute_path|Combine|GetFullPath|Path|PurePath|PosixPath|WindowsPath|Pathname|Path\.of|Paths\.get)$/;

/** C's macros that wrap a string for the build's character type: `_T("…")`, `TEXT("…")`. */
const WRAPPED_STRING = /(?<![\w$])(?:_T|__T|_TEXT|TEXT)\(\s*(L?"(?:[^"\\\n]|\\.)*")\s*\)/g;

/**
 * The cast of a C compound literal of an array of strings, before its `{`:
 * `(char *const[])`, `(const wchar_t*[4])`, `(LPCWSTR[])`, `(TCHAR*[])`.
 */
const ARRAY_CAST =
  /\(\s*(?:const\s+)?(?:char|wchar_t|char16_t|_?TCHAR|WCHAR|LP\w*STR)\b[\w \t*]*\[\s*(?:\w+\s*)?\]\s*\)(?=\s*\{)/g;

/**
 * `text` with the forms above written as the plain ones; the text itself
 * when it holds none (the cheap tests first). A second reading only: the
 * text is read as written too.
 */
export function codeFormsRead(text: string): string {
  let read = text;
  if (read.indexOf(":=") !== -1) read = read.replace(WALRUS_CALLEE, "$1");
  // `_T(`, `__T(`, `TEXT(` and `_TEXT(` all hold `T(`.
  if (read.indexOf("T(") !== -1) read = read.replace(WRAPPED_STRING, "$1");
  if (read.indexOf("[") !== -1 && read.indexOf("{") !== -1) read = read.replace(ARRAY_CAST, "");
  if (/thoth/i.test(read)) read = read.replace(STRING_CALL, programString);
  return read;
}

/**
 * The replacement of a call whose last argument is a string: the string
 * when the call looks a program up or builds its path
 * ({@linkcode LOOKUP_CALL}) and the string names thoth (by its last part,
 * as a program's path does); the call otherwise.
 */
function programString(
  call: string,
  name: string,
  before: string,
  quote: string,
  value: string,
): string {
  if (before.trim() !== "" && !/,\s*$/.test(before)) return call;
  if (!LOOKUP_CALL.test(name) || !THOTH_NAME.test(lastPart(value))) return call;
  return quote + value + quote;
}
