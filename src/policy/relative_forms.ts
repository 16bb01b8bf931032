/**
 * A relative path as the server may resolve it: against each of the bases
 * in a predicate's options (its working folder, folders on its command line,
 * roots the client gave it), the way a server's path library joins them, on
 * POSIX or on Windows (drive roots, `c:x`, `/x` on a base's drive). The
 * forms are worked out once per value for all the rules of a policy, within
 * bounds ({@linkcode relativeForms}).
 *
 * @example
 * ```ts
 * const options = { os: "linux", bases: ["/srv/app"] };
 * relativeForms("../etc/passwd", pathReading(options)); // ["/srv/etc/passwd"]
 * relativeForms("/etc/passwd", pathReading(options)); // [] (absolute)
 * ```
 */
import { formAlias, privateAlias, procWalk } from "./path_aliases.ts";
import { DRIVE_ROOT, NONE, normalForm, type PathReading, readPath } from "./path_reading.ts";

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
export function relativeForms(value: unknown, read: PathReading): readonly string[] {
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
