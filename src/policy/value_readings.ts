/**
 * The readings of one string value as `glob`, `notGlob` and `prefix` see it
 * (see `compile_predicate.ts`): as written, and each other spelling of the
 * file or resource a server may open: percent-encoded dot segments as `.`
 * and `..`, every percent escape decoded, `~user` as that user's home
 * folder, the WHATWG URL parser's reading, a `file:` URL as its local path,
 * `/proc/self/root` and `/proc/self/cwd`, Windows device paths and shares,
 * and the aliases of each. Worked out once per value for every rule of a
 * call ({@linkcode readingsOf}).
 *
 * @example
 * ```ts
 * const read = pathReading({ home: "/home/ana", os: "linux" });
 * const r = readingsOf("/proc/self/root/etc/%73hadow", read);
 * r.written; // "/proc/self/root/etc/%73hadow"
 * r.others.includes("/etc/shadow"); // true
 * ```
 */
import { percentDecoded } from "./detectors/percent_decoded.ts";
import { tildeUserHomes } from "./home_readings.ts";
import { formAlias, privateAlias, procCwdRest, procWalk, rawAlias } from "./path_aliases.ts";
import { urlReadings } from "./url_readings.ts";
import {
  fileUrlPath,
  fileUrlRawPath,
  fileUrlShare,
  fileUrlWindowsPaths,
} from "./file_url_paths.ts";
import {
  NON_ASCII,
  NONE,
  normalForm,
  type PathReading,
  type Readings,
  readPath,
  type Relative,
} from "./path_reading.ts";
import { uncForm, windowsDevicePaths } from "./windows_device_readings.ts";

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
export function readingsOf(value: string, read: PathReading): Readings {
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
