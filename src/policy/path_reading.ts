/**
 * How a compiled predicate reads a string as a path (see
 * `compile_predicate.ts`): the options a policy is compiled with
 * ({@linkcode PathOptions}), the reading worked out once per options object
 * and shared by the predicates of one policy ({@linkcode pathReading}), a
 * value read as a path ({@linkcode readPath}: composed, `~/` as the home
 * folder, `\` as `/` and without case where the OS says so) and its normal
 * form ({@linkcode normalForm}), and the shapes of a value's readings
 * ({@linkcode Readings}).
 *
 * @example
 * ```ts
 * const read = pathReading({ home: "/home/ana", os: "linux" });
 * normalForm(readPath("~/x/../.ssh", read), read); // "/home/ana/.ssh"
 * normalForm(readPath("../etc/shadow", read), read); // undefined (it still climbs)
 * ```
 */
import { normalizePath } from "./normalize_path.ts";
import { ANY_DRIVE } from "./windows_device_readings.ts";

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

const DOT_DOT = /(?:^|[/\\])\.\.(?:[/\\]|$)/;

/**
 * `value` read as a path, before it is normalized: composed to Unicode NFC,
 * a leading `~/` as the home folder (and `~\` where `\` separates segments),
 * `\` as `/` and without case where the reading says so.
 */
export function readPath(value: string, read: PathReading): string {
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
export function normalForm(text: string, read: PathReading): string | undefined {
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
export const DRIVE_ROOT = /^[a-zA-Z\u0000]:\//;
/** The first character of a path on a volume's unknown drive. */
export const UNKNOWN_DRIVE = ANY_DRIVE.charCodeAt(0);

export const NON_ASCII = /[^ -~]/;

/**
 * The readings of one string value as `glob`, `notGlob` and `prefix` see
 * it: as written, and the other spellings of the same file or resource.
 */
export interface Readings {
  /**
   * As written ({@linkcode readPath}, then {@linkcode normalForm}); `undefined`
   * when it climbs with `..`.
   */
  written: string | undefined;
  /**
   * The other readings, each once and none equal to `written`: its
   * percent-encoded dot segments decoded, the WHATWG URL parser's reading,
   * the aliases of each (`rawAlias`, `formAlias` in `path_aliases.ts`);
   * `undefined` for one that climbs.
   */
  others: readonly (string | undefined)[];
  /**
   * Relative paths to resolve against the bases in a rule that blocks or
   * steps up, each with its readings as written (see `writtenForms` in `value_readings.ts`):
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
export type Relative = readonly [raw: string, written: readonly string[] | undefined];

/** How one compiled predicate reads paths (see {@linkcode PathOptions}). */
export interface PathReading {
  home: string | undefined;
  /** Compare without case. */
  fold: boolean;
  /** `\` separates segments. */
  backslash: boolean;
  /** The operating system, for the aliases of a path (`formAlias`). */
  os: string | undefined;
  /** The options, whose `bases` are read at each test. */
  options: PathOptions;
  /** The list `baseForms` were read from, and its length then. */
  basesRead: readonly string[] | undefined;
  basesSeen: number;
  /** `options.bases` read as paths (see `baseForm` in `relative_forms.ts`). */
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

export function pathReading(options: PathOptions): PathReading {
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

export const NONE: readonly string[] = [];
