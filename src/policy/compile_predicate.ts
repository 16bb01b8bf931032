/**
 * Compiles one argument predicate into a test over the values its path
 * selects. Semantics:
 * - Quantifier: with `"some"` (rules that block or step up) the predicate
 *   holds when some selected value satisfies every value check, so with
 *   `items[*]` one offending element is enough. With `"every"` (rules that
 *   allow) every selected value must satisfy them, so one element outside an
 *   allowed glob keeps the rule from allowing the call.
 * - A missing value (or `items[*]` over an empty list) satisfies only
 *   `exists: false`, under either quantifier.
 * - `glob`, `notGlob` and `prefix` see a string composed to Unicode NFC (so
 *   are the globs and prefixes), with a leading `~` read as the home folder
 *   given in the options, and lexically normalized (see
 *   {@linkcode normalizePath}): `/tmp/../etc/shadow` and `//etc/passwd`
 *   are inside `/etc/**`, `/data/x/../y` is inside `/data/**`. A string that
 *   still has a `..` segment afterwards (`../x`, `C:\data\..\x`) never
 *   matches `glob` or `prefix` as written.
 * - A value may have several readings, each a file or resource a server
 *   may open: as written; with its dot segments in percent escapes (`%2e%2e`,
 *   `.%2E`) as `.` and `..` (a URL parser reads them so); with every percent
 *   escape decoded (`/proc/%73elf`, `/etc%2fshadow`, `%7e/.ssh`; text encoded
 *   more than once too), as a server that decodes a path before it opens it
 *   does, except in a URL with a special scheme, whose path alone is decoded;
 *   `~user/x` also as that user's home folder (`/root`, `/home/user`,
 *   `/Users/user`, a sibling of the home folder given), for any name a
 *   shell may look up (`~first.last`, `~1user`, so `~notes.txt` too) and
 *   on Windows any `~name` (see `home_readings.ts`); for a URL with a
 *   special scheme (`http`, `https`, `ws`, `wss`, `ftp`, `file`), as the
 *   WHATWG URL parser reads it, without user info (`HTTP://x@Host:80\a` is
 *   `http://host/a`), and with its path percent-decoded and then
 *   dot-resolved (`/public/..%2fadmin` is `/admin`); a `file:` URL, whatever
 *   its host, as the local path it opens; and each of those without a trailing `/` and with the
 *   other lexical spellings of the same file (`/proc/self/root/etc` is
 *   `/etc`, also `/proc/./self/root/../etc`; `/private/etc` on macOS, and
 *   `/etc` as `/private/etc`; `\\?\C:\x`, `\\localhost\C$\x`,
 *   `x::$DATA`, `x. ` on Windows; see `path_aliases.ts`). On Windows a
 *   `\\host\share` path is also read with its share as its root, a `file:`
 *   URL with a host as that share, an administrative share (`\\127.1\C$\x`,
 *   any host) as its drive too, `\\host\ADMIN$\x` as `C:\Windows\x`, and a device path (`\\?\C:\x`,
 *   `\\.\Global\C:\x`, `\\.\pipe\..\C:\x`, `\\?\GLOBALROOT\…`, a volume)
 *   only as the drive or share it names, or, for a volume whose drive is
 *   unknown, as that path on any drive and as unreadable; any other device
 *   path (`\\.\pipe\x`) is unreadable (see `windows_device_readings.ts`); `file:////srv/share/x` and
 *   `file:///C|/x` also as Python's `nturl2path` opens them; a `\` in a
 *   Windows glob (written `\\`) or prefix separates like `/`. A rule that
 *   blocks or steps up holds when some reading satisfies the checks; an
 *   allow rule only when every one does (`/data/q1%2fq2.csv` is outside
 *   `/data/*.csv`: it may be opened as `/data/q1/q2.csv`). The
 *   spellings macOS gives one file (`/tmp/x` and `/private/tmp/x`) are judged
 *   as one: a `glob` or `prefix` accepts the file when it accepts any of
 *   them, and a `notGlob` counts it inside when any is. A URL glob or prefix is also read
 *   as the parser reads a value (`https://h:443/**` as `https://h/**`, an
 *   IDN host as punycode), and a URL's query and fragment keep their `..`.
 *   A symbolic link on the server's
 *   file system is beyond any lexical reading.
 * - A relative path (`secret/a.txt`, `../etc/shadow`) is resolved by the
 *   server against a folder thoth cannot know for sure: its working folder,
 *   a folder it was started with, a root the client gave it (and
 *   `/proc/self/cwd/x` is `x` in its working folder). So in a rule that
 *   blocks or steps up, the checks hold for a relative path when they hold
 *   for one of its readings or for it as resolved against any of the
 *   `bases` in the options. An allow rule sees it only as written. A
 *   `notGlob` counts a resolved path as inside its globs when the value as
 *   written is inside one: `"feature/x"` is inside `"feature/**"` wherever a
 *   base puts it, and `"hello world"` inside `"hello *"`. The negative checks
 *   (`notGlob`, `notRegex`, `notEquals`, `notOneOf`) hold for any value the
 *   positive check would not match, including non-strings.
 * - `regex` is anchored (`^(?:…)$`) and, like `equals` and `oneOf`, sees the
 *   value as sent; in a rule that blocks or steps up, `equals` and `oneOf`
 *   naming a boolean or a number also match what a lax server coerces to it
 *   (`"true"`, `"yes"`, `1` for `true`; `"0"`, `"0.0"` for `0`).
 * - `min` and `max` apply to numbers and to strings that servers commonly
 *   coerce to numbers (`"5000"`, `" +5_000 "`, `"5e3"`, `"0x1388"`, `"inf"`;
 *   see `numeric`); in a rule that blocks or steps up also to what
 *   JavaScript's `Number()` reads as one (`[5000]`, `["5000"]`, `""`, `null`,
 *   `false`, `true`). An allow rule takes only numbers and numeric strings.
 * - In a rule that blocks or steps up, a list where one value was expected
 *   is also read by its strings (`{"path": ["/etc/shadow"]}` for a `path`
 *   glob, lists in it four deep), and a `*` step also reaches one value where
 *   a list was expected (`{"paths": "/etc/shadow"}` for `paths[*]`, see
 *   `selectArgValues`): lenient servers take either. An allow rule takes
 *   neither.
 *
 * @example
 * ```ts
 * const outside = compilePredicate("path", { notGlob: "/data/**" }, "some");
 * outside.test(["/etc/passwd"]); // true
 * outside.test(["/data/a.txt"]); // false
 * outside.test(["/data/../etc/passwd"]); // true
 * ```
 */
import type { z } from "zod";
import { AppError } from "../errors.ts";
import { compileArgPath } from "./compile_arg_path.ts";
import type { CompiledPredicate } from "./compiled_policy.ts";
import { globToRegExp } from "./glob_to_regexp.ts";
import { adminRegExp } from "./admin_regexp.ts";
import { asciiFolded, caseless, caselessGlob, holdsAsciiFolding } from "./case_folding.ts";
import { normalizePath } from "./normalize_path.ts";
import {
  fileUrlPath,
  fileUrlRawPath,
  fileUrlShare,
  fileUrlWindowsPaths,
  formAlias,
  privateAlias,
  procCwdRest,
  procWalk,
  rawAlias,
  sameFileSpellings,
  urlReadings,
} from "./path_aliases.ts";
import { tildeUserHomes } from "./home_readings.ts";
import { ANY_DRIVE, uncForm, windowsDevicePaths } from "./windows_device_readings.ts";
import { percentDecoded } from "./detectors/encoded_readings.ts";
import type { policySchema } from "./policy_schema.ts";

type Predicate = NonNullable<
  NonNullable<z.infer<typeof policySchema>["rules"]>[number]["match"]["args"]
>[string];

/** How paths are read. */
export interface PathOptions {
  /** The user's home folder: `~/…` in a value is read as inside it (as servers do). */
  home?: string | undefined;
  /**
   * The operating system (`Deno.build.os`). On `darwin` and `windows`, whose
   * file systems ignore case by default, paths and globs are compared
   * without case; on `windows`, `\` in a value separates segments like `/`.
   */
  os?: string | undefined;
  /**
   * Absolute folders a server may resolve a relative path against: its
   * working folder, folders on its command line, roots the client gave it.
   * Read at each test, so a session may replace the list (or add to it) as
   * it learns more.
   */
  bases?: readonly string[] | undefined;
}

/** Whether some or every selected value must satisfy the checks. */
export type Quantifier = "some" | "every";

/**
 * A check over one value; `path` is the value as `glob` and `prefix` see it.
 * `written` is given with a relative path resolved against a base: the
 * readings of the value as written (as is, percent escapes decoded), which a
 * `notGlob` counts as inside when every one is (see `holds`).
 */
type Check = (
  value: unknown,
  path: string | undefined,
  written?: readonly string[],
) => boolean;

const DOT_DOT = /(?:^|[/\\])\.\.(?:[/\\]|$)/;

function list<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? v : [v as T];
}

/**
 * `value` read as a path, before it is normalized: composed to Unicode NFC,
 * a leading `~/` as the home folder (and `~\` where `\` separates segments),
 * `\` as `/` and without case where the reading says so.
 */
function readPath(value: string, read: PathReading): string {
  const { home, fold, backslash } = read;
  // Composed (NFC) first: servers resolve "pru\u0308fung" to the same folder as "prüfung".
  let text = NON_ASCII.test(value) ? value.normalize("NFC") : value;
  // "~/x" is the user's home, as server-filesystem and shells read it; "~\x" only where
  // "\" separates segments (on POSIX a server reads it as a relative name).
  if (
    home !== undefined && text.charCodeAt(0) === 126 &&
    (text.length === 1 || text[1] === "/" || (backslash && text[1] === "\\"))
  ) {
    text = home + text.slice(1);
  }
  if (backslash) text = text.replaceAll("\\", "/");
  return fold ? text.toLowerCase() : text;
}

/**
 * A path read by {@linkcode readPath}, normalized, or `undefined` for a path
 * that still climbs with `..`. A string without `/.`, `//`, `\` or a leading
 * `.` has no segment to resolve and is returned as is. Where `\` separates
 * segments (Windows), a drive's root stops `..` as `/` does (`C:/../x` is
 * `C:/x`).
 */
function normalForm(text: string, read: PathReading): string | undefined {
  if (
    text.charCodeAt(0) !== 46 && text.indexOf("/.") === -1 && text.indexOf("//") === -1 &&
    text.indexOf("\\") === -1
  ) {
    return text;
  }
  // A URL's query and fragment are no path: `..` there stays as written.
  const tail = text.indexOf("?") === -1 && text.indexOf("#") === -1
    ? -1
    : SPECIAL_URL_START.test(text)
    ? text.search(QUERY_OR_FRAGMENT)
    : -1;
  const head = tail === -1 ? text : text.slice(0, tail);
  const normal = read.backslash && DRIVE_ROOT.test(head)
    ? head.slice(0, 2) + normalizePath(head.slice(2))
    : normalizePath(head);
  if (DOT_DOT.test(normal)) return undefined;
  return tail === -1 ? normal : normal + text.slice(tail);
}

const QUERY_OR_FRAGMENT = /[?#]/;
/**
 * A URL whose `?` and `#` start a query and a fragment for every reader (the
 * special schemes); elsewhere (`s3://`, `sftp://`) they may be a name's.
 */
const SPECIAL_URL_START = /^(?:https?|wss?|ftp|file):\/\//i;

/**
 * A drive and its root, as {@linkcode readPath} leaves them on Windows: `c:/`
 * (or a volume's unknown drive, {@linkcode ANY_DRIVE}).
 */
// deno-lint-ignore no-control-regex -- U+0000 stands for a volume's unknown drive
const DRIVE_ROOT = /^[a-zA-Z\u0000]:\//;
/** The first character of a path on a volume's unknown drive. */
const UNKNOWN_DRIVE = ANY_DRIVE.charCodeAt(0);
/** A drive without a root (`c:x`): relative to that drive's current folder. */
const DRIVE_RELATIVE = /^[a-zA-Z]:(?!\/)/;

/**
 * A base read as a path, without the trailing `/` that would send every
 * resolution down the slow path (`/` and `c:/` stay as they are).
 */
function baseForm(base: string, read: PathReading): string {
  const text = readPath(base, read);
  const trimmed = text.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return read.backslash && /^[a-zA-Z]:$/.test(trimmed) ? `${trimmed}/` : trimmed;
}

/**
 * A path read by {@linkcode readPath} as resolved against each base, the way
 * a server's path library would: on POSIX anything not starting with `/` is
 * relative (`C:x`, `~\x` and `http:/x` too); on Windows `/x` is the root of
 * a base's drive, `c:x` is relative to a base on drive `c:` (or to its root),
 * and only `c:/x` and `//host/share` are absolute. Returns the forms that do
 * not climb above their root; none for an absolute path.
 */
function resolvedForms(text: string, bases: readonly string[], read: PathReading): string[] {
  const forms: string[] = [];
  const add = (joined: string) => {
    if (!read.backslash && joined.indexOf("proc") !== -1) {
      const reached = procWalk(joined)?.path;
      if (reached !== undefined && reached !== text && !forms.includes(reached)) {
        forms.push(reached);
      }
    }
    const form = normalForm(joined, read);
    if (form === undefined) return;
    if (form !== text && !forms.includes(form)) forms.push(form);
    const alias = formAlias(form, read.os);
    if (alias !== form && alias !== text && !forms.includes(alias)) forms.push(alias);
    const inPrivate = privateAlias(form, read.os);
    if (inPrivate !== undefined && !forms.includes(inPrivate)) forms.push(inPrivate);
  };
  const join = (base: string, rest: string) => base.endsWith("/") ? base + rest : `${base}/${rest}`;
  if (!read.backslash) {
    if (text.charCodeAt(0) === 47) return forms;
    for (const base of bases) add(join(base, text));
    return forms;
  }
  if (DRIVE_ROOT.test(text) || text.startsWith("//")) return forms;
  if (text.charCodeAt(0) === 47) {
    for (const base of bases) if (DRIVE_ROOT.test(base)) add(base.slice(0, 2) + text);
    return forms;
  }
  if (DRIVE_RELATIVE.test(text)) {
    const drive = text.slice(0, 2);
    const rest = text.slice(2);
    add(`${drive}/${rest}`);
    for (const base of bases) if (base.startsWith(drive)) add(join(base, rest));
    return forms;
  }
  for (const base of bases) add(join(base, text));
  return forms;
}

const NON_ASCII = /[^ -~]/;

/**
 * `value` with its percent-encoded dot segments (`%2e`, `.%2E`, `%2e%2e`) as
 * the `.` and `..` a URL parser reads them as (`new URL()`, then a file
 * path), or `undefined` when it has none. Only whole segments are decoded:
 * `%2e%2e` inside a name stays a name, and no other escape is touched.
 */
function dotDecoded(value: unknown, read: PathReading): string | undefined {
  if (typeof value !== "string" || value.indexOf("%") === -1 || !PERCENT_DOT.test(value)) {
    return undefined;
  }
  const decoded = value.replace(
    read.backslash ? ENCODED_DOT_SEGMENT_WINDOWS : ENCODED_DOT_SEGMENT,
    (segment) => segment.replace(PERCENT_DOTS, "."),
  );
  return decoded === value ? undefined : decoded;
}

const PERCENT_DOT = /%2e/i;
const PERCENT_DOTS = /%2e/gi;
/** A segment of one or two dots, at least one of them written `%2e`, between `/` (or the ends). */
const ENCODED_DOT_SEGMENT = /(?<=^|\/)(?:%2e|\.%2e|%2e\.|%2e%2e)(?=\/|$)/gi;
/** The same where `\` separates segments too. */
const ENCODED_DOT_SEGMENT_WINDOWS = /(?<=^|[/\\])(?:%2e|\.%2e|%2e\.|%2e%2e)(?=[/\\]|$)/gi;

/**
 * The readings of one string value as `glob`, `notGlob` and `prefix` see
 * it: as written, and the other spellings of the same file or resource.
 */
interface Readings {
  /**
   * As written ({@linkcode readPath}, then {@linkcode normalForm}); `undefined`
   * when it climbs with `..`.
   */
  written: string | undefined;
  /**
   * The other readings, each once and none equal to `written`: its
   * percent-encoded dot segments decoded, the WHATWG URL parser's reading,
   * the aliases of each ({@linkcode rawAlias}, {@linkcode formAlias});
   * `undefined` for one that climbs.
   */
  others: readonly (string | undefined)[];
  /**
   * Relative paths to resolve against the bases in a rule that blocks or
   * steps up, each with its readings as written (see {@linkcode writtenForms}):
   * the value, its decoded dot segments.
   */
  relatives: readonly Relative[];
  /**
   * What follows `/proc/self/cwd/` (or `/proc/<pid>/cwd/`), read from the
   * text before `..` is resolved (`/proc/self/cwd/../x` is `../x`): resolved
   * against the bases by every rule, an allow rule included.
   */
  cwd: readonly Relative[];
}

/** A relative path and its readings as written, `undefined` when one climbs. */
type Relative = readonly [raw: string, written: readonly string[] | undefined];

/**
 * The readings of a relative path as written that a `notGlob` may count as
 * inside: its normal form and that of its percent-decoded text; `undefined`
 * when one of them climbs with `..` (`public/..%2f..%2fetc` is no longer
 * inside `public/**` once decoded).
 */
function writtenForms(
  raw: string,
  read: PathReading,
  form = normalForm(readPath(raw, read), read),
): readonly string[] | undefined {
  if (form === undefined) return undefined;
  const decoded = percentDecoded(raw);
  if (decoded === undefined) return [form];
  const decodedForm = normalForm(readPath(decoded, read), read);
  if (decodedForm === undefined) return undefined;
  return decodedForm === form ? [form] : [form, decodedForm];
}

// A one-entry memo of readingsOf(): the rules of one call test the same string
// many times (a policy with 40 path rules sees one "path" 40 times). The result
// depends on the string and the reading alone, so the memo never changes an answer.
let memoIn = "";
let memoRead: PathReading | undefined;
let memoOut: Readings = { written: "", others: [], relatives: [], cwd: [] };

/** How one compiled predicate reads paths (see {@linkcode PathOptions}). */
interface PathReading {
  home: string | undefined;
  /** Compare without case. */
  fold: boolean;
  /** `\` separates segments. */
  backslash: boolean;
  /** The operating system, for the aliases of a path ({@linkcode formAlias}). */
  os: string | undefined;
  /** The options, whose `bases` are read at each test. */
  options: PathOptions;
  /** The list `baseForms` were read from, and its length then. */
  basesRead: readonly string[] | undefined;
  basesSeen: number;
  /** `options.bases` read as paths (see {@linkcode baseForm}). */
  baseForms: readonly string[];
  /** Relative values and their forms resolved against `baseForms` (see `relativeForms`). */
  resolved: Map<string, readonly string[]>;
  /** About how many characters `resolved` holds. */
  resolvedChars: number;
  /**
   * The last value too long for `resolved`, and its forms: every rule of a
   * call tests the same value in turn, and resolving a megabyte against each
   * base for each rule made the rules' cost the product of the three.
   */
  longIn: string | undefined;
  longOut: readonly string[];
  /** Values and their readings, for every rule of a call (see `readingsOf`). */
  kept: Map<string, Readings>;
  /** About how many characters `kept` holds. */
  keptChars: number;
}

// One reading per options object, so the predicates of one policy share their
// bases' forms and the memos below serve all of them.
const readings = new WeakMap<PathOptions, PathReading>();

function pathReading(options: PathOptions): PathReading {
  let read = readings.get(options);
  if (read === undefined) {
    read = newReading(options);
    readings.set(options, read);
  }
  return read;
}

function newReading(options: PathOptions): PathReading {
  const os = options.os;
  return {
    home: options.home,
    fold: os === "darwin" || os === "windows",
    backslash: os === "windows",
    os,
    options,
    basesRead: undefined,
    basesSeen: 0,
    baseForms: NONE,
    resolved: new Map(),
    resolvedChars: 0,
    longIn: undefined,
    longOut: NONE,
    kept: new Map(),
    keptChars: 0,
  };
}

function sameReading(a: PathReading, b: PathReading | undefined): boolean {
  return b !== undefined && a.home === b.home && a.fold === b.fold && a.os === b.os;
}

/**
 * The readings of `value`, worked out once: the rules of one call test each
 * of its values many times, in turn (21 `files[*]` rules over 32 paths), so
 * a reading keeps the readings of up to {@linkcode MAX_KEPT} values and about
 * {@linkcode MAX_KEPT_CHARS} characters of them; a longer value is kept in a
 * one-entry memo.
 */
function readingsOf(value: string, read: PathReading): Readings {
  if (value === memoIn && sameReading(read, memoRead)) return memoOut;
  let out = read.kept.get(value);
  if (out === undefined) {
    out = readingsFor(value, read);
    let chars = value.length + 64;
    for (const form of out.others) chars += (form?.length ?? 0) + 16;
    if (chars <= MAX_KEPT_CHARS / 4) {
      if (read.kept.size >= MAX_KEPT || read.keptChars + chars > MAX_KEPT_CHARS) {
        read.kept.clear();
        read.keptChars = 0;
      }
      read.kept.set(value, out);
      read.keptChars += chars;
    }
  }
  memoOut = out;
  memoIn = value;
  memoRead = read;
  return out;
}

/** Values whose readings a reading keeps. */
const MAX_KEPT = 65_536;
/** About how many characters of values and readings a reading keeps in all. */
const MAX_KEPT_CHARS = 8 * 1024 * 1024;
/**
 * The most readings one value has besides its own; past it the value is also
 * unreadable (`undefined`), which no allow rule and no "outside of" rule accepts.
 */
const MAX_READINGS = 64;

/** The readings of `value` (see {@linkcode Readings}). */
function readingsFor(value: string, read: PathReading): Readings {
  const text = readPath(value, read);
  // On Windows `\\srv\share\x` is the share's file, never `\srv\share\x` on the current drive,
  // and a device path (`\\?\C:\x`, `\\.\pipe\x`) is read only as what it opens (in `others`).
  const written = read.backslash && windowsDevicePaths(text) !== undefined
    ? undefined
    : (read.backslash && text.startsWith("//") ? uncForm(text) : undefined) ??
      normalForm(text, read);
  const others: (string | undefined)[] = [];
  const relatives: Relative[] = [[value, writtenForms(value, read, written)]];
  const cwd: Relative[] = [];
  const addCwd = (rest: string) => {
    if (!cwd.some(([raw]) => raw === rest)) cwd.push([rest, writtenForms(rest, read)]);
  };
  const add = (form: string | undefined) => {
    if (form === written || others.includes(form)) return;
    // Past so many readings the value is unreadable: fails closed.
    if (others.length >= MAX_READINGS) {
      if (!others.includes(undefined)) others.push(undefined);
      return;
    }
    others.push(form);
  };
  // A normal form and its other spellings: formAlias's, and /private/etc for /etc on macOS.
  const addForm = (form: string | undefined) => {
    add(form);
    if (form === undefined) return;
    const alias = formAlias(form, read.os);
    add(alias);
    const inPrivate = privateAlias(alias, read.os);
    if (inPrivate !== undefined) add(inPrivate);
  };
  const addWithAliases = (readText: string) => {
    if (read.backslash) {
      // `\\?\C:\x`, `\\.\Global\C:\x`, `\\?\GLOBALROOT\…`, `\\?\Volume{…}\…`: the drive or
      // share they name, or unreadable; never a folder of the current drive.
      const devices = readText.charCodeAt(0) === 47 ? windowsDevicePaths(readText) : undefined;
      if (devices !== undefined) {
        for (const device of devices) {
          if (device === undefined) add(undefined);
          else addWithAliases(device);
        }
        return;
      }
      // `\\host\share\x` with its share as its root (normalForm reads `\\host` as `\host`, a
      // folder on the current drive, which is no reading of it).
      addForm(uncForm(readText) ?? normalForm(readText, read));
      // An administrative share (`\\localhost\C$\x`) as its drive too.
      const raw = rawAlias(readText, read.os);
      if (raw !== readText) addForm(uncForm(raw) ?? normalForm(raw, read));
      return;
    }
    addForm(normalForm(readText, read));
    if (readText.indexOf("proc") !== -1 || readText.indexOf("/dev/fd") !== -1) {
      // Through /proc/…/root back to the root, or /proc/…/cwd into the working folder,
      // read from the text before `..` is resolved (`/proc/self/root/..` is `/`).
      const reach = procWalk(readText);
      if (reach?.path !== undefined) addForm(reach.path);
      if (reach?.cwd !== undefined) addCwd(reach.cwd);
    }
  };
  // `~alice/x`: alice's home folder, as shells and `expanduser` read it (and a relative name).
  const addHomes = (raw: string) => {
    if (raw.charCodeAt(0) !== 126) return;
    const composed = NON_ASCII.test(raw) ? raw.normalize("NFC") : raw;
    for (const home of tildeUserHomes(composed, read.home, read.os)) {
      addWithAliases(readPath(home, read));
    }
  };
  addWithAliases(text);
  addHomes(value);
  const decoded = dotDecoded(value, read);
  if (decoded !== undefined) {
    const decodedText = readPath(decoded, read);
    addWithAliases(decodedText);
    relatives.push([decoded, writtenForms(decoded, read)]);
  }
  // Every percent escape decoded (`/proc/%73elf`, `/etc%2fshadow`, `%7e/.ssh`), as a server
  // that decodes a path before it opens it reads it; a URL's own readings are urlReadings'.
  const percent = SPECIAL_SCHEME.test(value) ? undefined : percentDecoded(value);
  if (percent !== undefined && percent !== decoded) {
    addWithAliases(readPath(percent, read));
    addHomes(percent);
    if (!relatives.some(([raw]) => raw === percent)) {
      relatives.push([percent, writtenForms(percent, read)]);
    }
  }
  if (value.indexOf(":") !== -1) {
    for (const url of urlReadings(value)) addWithAliases(readPath(url, read));
    const file = fileUrlPath(value, read.backslash);
    if (file !== undefined) addWithAliases(readPath(file, read));
    // On Windows a file: URL's host is a share: `file://srv/share/x` is `\\srv\share\x`.
    const share = read.backslash ? fileUrlShare(value) : undefined;
    if (share !== undefined) addWithAliases(readPath(share, read));
    // As written too: a /proc link in it is followed before its `..` is resolved.
    const raw = read.backslash ? undefined : fileUrlRawPath(value);
    if (raw !== undefined && raw !== file) addWithAliases(readPath(raw, read));
    // As Python's nturl2path opens it: `file:////srv/share/a`, `file:///C|/x`.
    if (read.backslash) {
      for (const path of fileUrlWindowsPaths(value)) addWithAliases(readPath(path, read));
    }
  }
  if (!read.backslash) {
    for (const form of [written, ...others]) {
      const rest = form === undefined ? undefined : procCwdRest(form);
      if (rest !== undefined) addCwd(rest);
    }
  }
  return {
    written,
    others: others.length === 0 ? NONE : others,
    relatives,
    cwd: cwd.length === 0 ? NO_RELATIVES : cwd,
  };
}

const NO_RELATIVES: readonly Relative[] = [];

/** A special scheme, whose URL's path {@linkcode urlReadings} decodes (and only its path). */
const SPECIAL_SCHEME = /^(?:https?|wss?|ftp|file):/i;

/**
 * The bases of `read`, read as paths; read again when the options hold a
 * new list or the list has grown.
 */
function baseForms(read: PathReading): readonly string[] {
  const bases = read.options.bases;
  if (bases === undefined) return NONE;
  if (bases !== read.basesRead || bases.length !== read.basesSeen) {
    read.baseForms = bases.map((base) => baseForm(base, read));
    read.basesRead = bases;
    read.basesSeen = bases.length;
    read.resolved.clear();
    read.resolvedChars = 0;
    read.longIn = undefined;
    read.longOut = NONE;
  }
  return read.baseForms;
}

/**
 * `value` resolved against each base of `read`, when it is a relative path;
 * else none. Kept per reading (so for all the rules of a policy) for up to
 * {@linkcode MAX_RESOLVED} values: a call with many relative paths tests each
 * against many rules, and the forms are worked out once per value.
 */
function relativeForms(value: unknown, read: PathReading): readonly string[] {
  if (typeof value !== "string") return NONE;
  // An absolute POSIX path stays one however it is read: no base changes it.
  if (!read.backslash && value.charCodeAt(0) === 47) return NONE;
  const bases = baseForms(read);
  if (bases.length === 0) return NONE;
  if (value === read.longIn) return read.longOut;
  let forms = read.resolved.get(value);
  if (forms === undefined) {
    forms = resolvedForms(readPath(value, read), bases, read);
    if (value.length > MAX_KEPT_VALUE) {
      read.longIn = value;
      read.longOut = forms;
    }
    // Only short values are kept, and only so many characters in all: a call's
    // arguments may be megabytes, and the forms repeat each value once per base.
    if (value.length <= MAX_KEPT_VALUE) {
      const chars = (value.length + 64) * (bases.length + 1);
      if (read.resolved.size >= MAX_RESOLVED || read.resolvedChars + chars > MAX_RESOLVED_CHARS) {
        read.resolved.clear();
        read.resolvedChars = 0;
      }
      read.resolved.set(value, forms);
      read.resolvedChars += chars;
    }
  }
  return forms;
}

/** Relative values whose resolved forms a reading keeps. */
const MAX_RESOLVED = 1024;
/** The longest value whose forms are kept. */
const MAX_KEPT_VALUE = 4096;
/** About how many characters of values and forms a reading keeps in all. */
const MAX_RESOLVED_CHARS = 4 * 1024 * 1024;

const NONE: readonly string[] = [];

/**
 * `value` as `min` and `max` see it: a number, or a string a lenient server
 * would read as one (Python's `int()`/`float()`, JavaScript's `Number()`,
 * pydantic's lax mode): surrounding spaces (Python's, which include U+0085
 * and U+001C–U+001F), a sign, `_` between digits, `0x`/`0o`/`0b`, `inf`,
 * and the decimal digits of any script (`٥٠٠٠`, `５０００`), as `int()`
 * reads them. Reading more strings as numbers only ever makes a bound see
 * what the server will see. NaN is no number.
 *
 * In a rule that blocks or steps up (`lax`), also what `Number()` (and so
 * zod's `z.coerce.number()`) reads as a number that is no string: `null`,
 * `false`, `""` and white space are 0, `true` is 1, and an array is read as
 * the string it joins to (`[5000]`, `["5000"]`, `[[5000]]` are 5000, `[]` and
 * `[null]` are 0, `[true]` and `[1, 2]` are no number). An allow rule needs a
 * number or a numeric string.
 */
function numeric(value: unknown, lax = false): number | undefined {
  if (typeof value === "number") return Number.isNaN(value) ? undefined : value;
  if (lax && typeof value !== "string") return coercedNumber(value);
  if (typeof value !== "string") return undefined;
  if (lax && value.trim() === "") return 0;
  if (value.length > 400) return undefined;
  let text = asciiDigits(value).replace(PYTHON_SPACE, "");
  let sign = 1;
  if (text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45) {
    if (text.charCodeAt(0) === 45) sign = -1;
    text = text.slice(1);
  }
  if (INFINITY.test(text)) return sign * Infinity;
  if (!DECIMAL.test(text) && !RADIX.test(text)) return undefined;
  const n = Number(text.includes("_") ? text.replaceAll("_", "") : text);
  return Number.isNaN(n) ? undefined : sign * n;
}

/**
 * A value that is neither a number nor a string as `Number()` reads it: an
 * array as the string `join()` makes of it (a one-element array as its
 * element, `null` in it as `""`), `null` and `false` as 0, `true` as 1.
 */
function coercedNumber(value: unknown): number | undefined {
  let v = value;
  let inArray = false;
  while (Array.isArray(v)) {
    if (v.length === 0) return 0;
    if (v.length > 1) return undefined;
    v = v[0];
    inArray = true;
  }
  if (v === null || v === undefined) return inArray || v === null ? 0 : undefined;
  // In an array a boolean joins to "true" or "false", which are no number.
  if (typeof v === "boolean") return inArray ? undefined : v ? 1 : 0;
  if (typeof v === "number" || typeof v === "string") return numeric(v, true);
  return undefined;
}

/** Leading and trailing white space as JavaScript's `trim()` or Python's `strip()` sees it. */
// deno-lint-ignore no-control-regex -- Python strips U+001C to U+001F as white space
const PYTHON_SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;
const NON_ASCII_DIGIT = /[^ -~]/;
const UNICODE_DIGIT = /\p{Nd}/gu;
const IS_UNICODE_DIGIT = /^\p{Nd}$/u;

/**
 * `text` with every decimal digit of another script as its ASCII digit. A
 * script's digits are ten code points in a row, zero first, and blocks of
 * them may follow one another (U+1D7CE…U+1D7FF): a digit's value is its
 * distance from the start of its run, modulo 10.
 */
function asciiDigits(text: string): string {
  if (!NON_ASCII_DIGIT.test(text)) return text;
  return text.replace(UNICODE_DIGIT, (digit) => {
    const code = digit.codePointAt(0)!;
    let start = code;
    while (IS_UNICODE_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    return String((code - start) % 10);
  });
}

const DECIMAL = /^(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d+)?$/;
const RADIX = /^0(?:[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|[oO][0-7](?:_?[0-7])*|[bB][01](?:_?[01])*)$/;
const INFINITY = /^(?:inf|infinity)$/i;

/**
 * Whether a lax server would read `value` as `want`, a boolean or a number
 * (pydantic's lax mode: `"true"`, `"yes"`, `"on"`, `"1"`, `1` for `true`;
 * `"0"`, `" 0 "`, `"0.0"`, `false` for `0`). Other wanted values are compared
 * as they are.
 */
function coercesTo(value: unknown, want: unknown): boolean {
  if (typeof want === "boolean") {
    if (typeof value === "number") return value === (want ? 1 : 0);
    if (typeof value !== "string") return false;
    const word = value.replace(PYTHON_SPACE, "").toLowerCase();
    return (want ? TRUE_WORDS : FALSE_WORDS).has(word) || numeric(value) === (want ? 1 : 0);
  }
  if (typeof want === "number") {
    if (typeof value === "boolean") return want === (value ? 1 : 0);
    return numeric(value) === want;
  }
  return false;
}

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "on", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "off", "0"]);

/**
 * A test of whether a path matches one of `globs`. Every spelling macOS
 * gives the same file (see {@linkcode sameFileSpellings}) is judged as one:
 * `/tmp/x` is inside `/tmp/**` and inside `/private/tmp/**`. A path on a
 * volume's unknown drive ({@linkcode ANY_DRIVE}) matches when it does on
 * some drive letter. With `foldBeyondAscii` (a comparison without case), a
 * path's `ſ` and `ı` also match a glob's `s` and `i` (see `case_folding.ts`).
 */
function globCheck(
  globs: string | readonly string[],
  pattern: (text: string) => string,
  os: string | undefined,
  foldBeyondAscii: boolean,
): (path: string | undefined) => boolean {
  const tests = withUrlVariants(list(globs).map(pattern), false).map((glob) => ({
    re: globToRegExp(foldBeyondAscii ? caselessGlob(glob) : glob),
    drives: os === "windows" ? globDrives(glob) : DRIVE_LETTERS,
  }));
  const single = tests.length === 1 ? tests[0]!.re : undefined;
  const one = (path: string): boolean => {
    if (path.charCodeAt(0) !== UNKNOWN_DRIVE) {
      if (single !== undefined) return single.test(path);
      return tests.some(({ re }) => re.test(path));
    }
    const rest = path.slice(1);
    return tests.some(({ re, drives }) => drives.some((drive) => re.test(drive + rest)));
  };
  // Only macOS spells one file in several ways here (see `sameFileSpellings`).
  if (os !== "darwin") return (path) => path !== undefined && one(path);
  return (path) => {
    if (path === undefined) return false;
    if (one(path)) return true;
    const spellings = sameFileSpellings(path, os);
    return spellings !== undefined && spellings.some(one);
  };
}

const DRIVE_LETTERS = "abcdefghijklmnopqrstuvwxyz".split("");
/** What a glob may start with that matches more than itself. */
const GLOB_START = "*?[{\\!";

/**
 * The drive letters worth trying for a path on an unknown drive against a
 * glob (read without case): none when the glob starts with a character that
 * is no letter and no wildcard (`/x/**`), its first letter when it starts
 * with one (`c:/x/**`); else every letter the glob names and one it does not
 * (a wildcard treats all the others alike), every letter when it has a
 * `[…]` class.
 */
function globDrives(glob: string): readonly string[] {
  const first = glob[0];
  if (first === undefined) return [];
  if (!GLOB_START.includes(first)) return DRIVE_LETTERS.includes(first) ? [first] : [];
  if (glob.includes("[")) return DRIVE_LETTERS;
  const named = DRIVE_LETTERS.filter((letter) => glob.includes(letter));
  const other = DRIVE_LETTERS.find((letter) => !glob.includes(letter));
  return other === undefined ? named : [...named, other];
}

/** A scheme and authority at the start of a glob or prefix, which a URL parser reads without case. */
const URL_AUTHORITY = /^((?:https?|wss?|ftp|file):\/\/)([^/]*)/i;
/** The port each special scheme connects to when none is written, which the parser drops. */
const DEFAULT_PORT: Record<string, string> = {
  "http://": "80",
  "https://": "443",
  "ws://": "80",
  "wss://": "443",
  "ftp://": "21",
};
/** A glob's escape and the character it escapes. */
const GLOB_ESCAPE = /\\[^]/g;
/** Characters with a meaning in a glob. */
const GLOB_SYNTAX = /[*?[\]{}\\!]/;

/**
 * `patterns` and, for each that starts with a URL's scheme and authority,
 * the same with that authority as the URL parser serializes it, as its
 * reading of a value has it (see {@linkcode urlAlias}): in lower case,
 * without the scheme's default port (`https://example.com:443/**` is
 * `https://example.com/**`), a host in another script as punycode
 * (`bücher.example` is `xn--bcher-kva.example`).
 */
function withUrlVariants(patterns: readonly string[], prefix: boolean): string[] {
  const out = [...patterns];
  const push = (variant: string) => {
    if (!out.includes(variant)) out.push(variant);
  };
  for (const pattern of patterns) {
    const m = URL_AUTHORITY.exec(pattern);
    if (m === null) continue;
    const scheme = m[1]!.toLowerCase();
    const rest = pattern.slice(m[0].length);
    const authority = m[2]!.toLowerCase();
    push(scheme + authority + rest);
    const parsed = parsedAuthority(scheme, authority);
    // A prefix that ends at its port (`https://h:443`) ends its host there too: without the
    // port it would also be the start of `https://h.attacker.example`.
    if (prefix && rest === "" && parsed.length < authority.length) continue;
    push(scheme + parsed + rest);
  }
  return out;
}

/**
 * A glob's URL authority (lower case) as the parser serializes it: without
 * the default port, each label in another script as punycode; a label with
 * glob syntax stays as written.
 */
function parsedAuthority(scheme: string, authority: string): string {
  let text = authority;
  const port = DEFAULT_PORT[scheme];
  if (port !== undefined && text.endsWith(`:${port}`)) text = text.slice(0, -(port.length + 1));
  if (!NON_ASCII.test(text)) return text;
  if (!GLOB_SYNTAX.test(text)) {
    try {
      return new URL(`${scheme}${text}/`).host;
    } catch {
      return text;
    }
  }
  return text.split(".").map((label) => {
    if (!NON_ASCII.test(label) || GLOB_SYNTAX.test(label)) return label;
    try {
      return new URL(`http://${label}/`).hostname;
    } catch {
      return label;
    }
  }).join(".");
}

function malformed(path: string): AppError {
  const hints = ['write paths like "path", "options.path", "items[*]" or \'headers["x.y"]\''];
  if (path.includes('["')) {
    hints.push('inside ["…"] use JSON escapes only: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
  }
  return new AppError("policy.invalid", `argument path "${path}" is malformed`, { hints });
}

/**
 * Compiles `predicate` for the argument at `path`, quantified over the
 * selected values by `quantifier`; throws `policy.invalid` for a malformed path.
 */
export function compilePredicate(
  path: string,
  predicate: Predicate,
  quantifier: Quantifier,
  options: PathOptions = {},
): CompiledPredicate {
  const read = pathReading(options);
  // Globs and prefixes are read the way values are: composed, and in lower case where files are
  // compared without case. `ſ` and `ı` become `s` and `i` (see `case_folding.ts`) only in a
  // pattern whose values are folded so too (`beyondAscii`): elsewhere a value keeps them, and
  // so must the pattern, or an allow rule naming `C:/Users/Işık/**` would miss that folder.
  const pattern = (text: string, beyondAscii: boolean) => {
    const composed = text.normalize("NFC");
    if (!read.fold) return composed;
    return beyondAscii ? caseless(composed) : composed.toLowerCase();
  };
  const steps = compileArgPath(path);
  if (steps === undefined) throw malformed(path);
  const checks: Check[] = [];
  const p = predicate;
  // A rule that blocks or steps up ("some") also matches what a lax server
  // coerces to the value it names; an allow rule ("every") only the value itself.
  const lax = quantifier === "some";
  if (p.equals !== undefined) {
    const want = p.equals;
    checks.push(lax ? (v) => v === want || coercesTo(v, want) : (v) => v === want);
  }
  if (p.notEquals !== undefined) {
    const want = p.notEquals;
    checks.push((v) => v !== want);
  }
  // Where files are compared without case, a value's `ſ` and `ı` may be read as `s` and `i`:
  // so a rule that blocks reads them (a glob that blocks, a `notGlob` that allows), never one
  // that allows (the value as written must match).
  const widen = read.fold;
  const globPattern = (beyondAscii: boolean) => (text: string) => {
    const glob = pattern(text, beyondAscii);
    // On Windows no name holds a `\`: one in a glob (escaped, `\\`) or a prefix separates.
    return read.backslash ? glob.replace(GLOB_ESCAPE, (e) => e === "\\\\" ? "/" : e) : glob;
  };
  const prefixPattern = (beyondAscii: boolean) => (text: string) => {
    const prefix = pattern(text, beyondAscii);
    return read.backslash ? prefix.replaceAll("\\", "/") : prefix;
  };
  if (p.glob !== undefined) {
    const inside = globCheck(p.glob, globPattern(widen && lax), read.os, widen && lax);
    checks.push((_, s) => inside(s));
  }
  if (p.notGlob !== undefined) {
    const inside = globCheck(p.notGlob, globPattern(widen && !lax), read.os, widen && !lax);
    checks.push((_, s, written) =>
      !inside(s) && (written === undefined || !written.every((w) => inside(w)))
    );
  }
  if (p.regex !== undefined) {
    const re = adminRegExp(`^(?:${p.regex})$`);
    checks.push((v) => typeof v === "string" && re.test(v));
  }
  if (p.notRegex !== undefined) {
    const re = adminRegExp(`^(?:${p.notRegex})$`);
    checks.push((v) => !(typeof v === "string" && re.test(v)));
  }
  if (p.prefix !== undefined) {
    const foldPrefix = widen && lax;
    const prefixes = withUrlVariants(list(p.prefix).map(prefixPattern(foldPrefix)), true);
    const starts = (s: string) =>
      s.charCodeAt(0) === UNKNOWN_DRIVE
        // On a volume's unknown drive: a prefix that starts with a drive letter matches.
        ? prefixes.some((x) => x === "" || (/^[a-z]:/i.test(x) && s.startsWith(x.slice(1), 1)))
        : prefixes.some((x) => s.startsWith(x));
    checks.push((_, s) => {
      if (s === undefined) return false;
      if (starts(s)) return true;
      if (foldPrefix && holdsAsciiFolding(s) && starts(asciiFolded(s))) return true;
      const spellings = sameFileSpellings(s, read.os);
      return spellings !== undefined && spellings.some(starts);
    });
  }
  if (p.oneOf !== undefined) {
    const wanted = p.oneOf;
    const set = new Set<unknown>(wanted);
    checks.push(
      lax ? (v) => set.has(v) || wanted.some((want) => coercesTo(v, want)) : (v) => set.has(v),
    );
  }
  if (p.notOneOf !== undefined) {
    const set = new Set<unknown>(p.notOneOf);
    checks.push((v) => !set.has(v));
  }
  if (p.min !== undefined) {
    const min = p.min;
    checks.push((v) => {
      const n = numeric(v, lax);
      return n !== undefined && n >= min;
    });
  }
  if (p.max !== undefined) {
    const max = p.max;
    checks.push((v) => {
      const n = numeric(v, lax);
      return n !== undefined && n <= max;
    });
  }
  const needsPath = p.glob !== undefined || p.notGlob !== undefined || p.prefix !== undefined;
  // Most predicates have one check: called directly.
  const only = checks.length === 1 ? checks[0]! : undefined;
  const holdsAt = only !== undefined ? only : (
    v: unknown,
    s: string | undefined,
    written?: readonly string[],
  ): boolean => {
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(v, s, written)) return false;
    return true;
  };
  // Each reading of a value (see `Readings`) may be the file or resource the server
  // opens. A rule that blocks or steps up holds when the checks hold for one of them,
  // or for a relative path as one of the bases resolves it; an allow rule only when
  // they hold for every reading (and never relies on a base). A `notGlob` is the one
  // check that sees a resolved path together with its spelling as written: a value
  // inside one of its globs as written ("feature/x" inside "feature/**") is inside,
  // wherever a base puts it.
  const holds = !needsPath ? (v: unknown) => holdsAt(v, undefined) : !lax
    ? (v: unknown) => {
      if (typeof v !== "string") return holdsAt(v, undefined);
      const r = readingsOf(v, read);
      // A path on a volume's unknown drive (or written so) is no path an allow rule accepts.
      if (r.written !== undefined && r.written.charCodeAt(0) === UNKNOWN_DRIVE) return false;
      if (!holdsAt(v, r.written)) return false;
      for (const form of r.others) {
        if (form !== undefined && form.charCodeAt(0) === UNKNOWN_DRIVE) return false;
        if (!holdsAt(v, form)) return false;
      }
      // `/proc/self/cwd/x` is `x` in the working folder: where a base puts it too.
      for (const [raw] of r.cwd) {
        for (const form of relativeForms(raw, read)) if (!holdsAt(v, form)) return false;
      }
      return true;
    }
    : (v: unknown) => {
      if (typeof v !== "string") return holdsAt(v, undefined);
      const r = readingsOf(v, read);
      if (holdsAt(v, r.written)) return true;
      const others = r.others;
      for (let i = 0; i < others.length; i++) if (holdsAt(v, others[i])) return true;
      for (const relatives of [r.relatives, r.cwd]) {
        for (let i = 0; i < relatives.length; i++) {
          const [raw, written] = relatives[i]!;
          const forms = relativeForms(raw, read);
          for (let j = 0; j < forms.length; j++) if (holdsAt(v, forms[j], written)) return true;
        }
      }
      return false;
    };
  const every = quantifier === "every";
  // A rule that blocks or steps up also reads the strings of a list where one value was
  // expected (`{"path": ["/etc/shadow"]}`): a lenient server may take one (`String()` of a
  // one-element list is its element). Numbers and booleans in a list are left to `min` and
  // `max`, which read a list as `Number()` does (`[5000]` is 5000, `[5000, 1]` none).
  const holdsSome = every
    ? holds
    : (v: unknown): boolean => holds(v) || (Array.isArray(v) && someElementHolds(v, holds));
  const exists = p.exists;
  const test = (values: readonly unknown[]): boolean => {
    const present = values.length > 0;
    if (exists !== undefined && exists !== present) return false;
    if (checks.length === 0) return exists !== undefined;
    if (!present) return false;
    for (let i = 0; i < values.length; i++) {
      if (holdsSome(values[i]) !== every) return !every;
    }
    return every;
  };
  const scalarsAtAny = !every && steps.some((step) => "any" in step);
  return { path: steps, source: path, ...(scalarsAtAny ? { scalarsAtAny } : {}), test };
}

/** Lists inside lists read for their strings: `[["/etc/shadow"]]` too, no deeper. */
const MAX_LIST_DEPTH = 4;

/** Whether `holds` holds for a string in `list`, or in a list in it (a few levels down). */
function someElementHolds(list: readonly unknown[], holds: (v: unknown) => boolean): boolean {
  let level: readonly unknown[] = list;
  for (let depth = 0; depth < MAX_LIST_DEPTH && level.length > 0; depth++) {
    const inner: unknown[] = [];
    for (let i = 0; i < level.length; i++) {
      const item = level[i];
      if (Array.isArray(item)) {
        for (let j = 0; j < item.length; j++) inner.push(item[j]);
      } else if (typeof item === "string" && holds(item)) return true;
    }
    level = inner;
  }
  return false;
}
