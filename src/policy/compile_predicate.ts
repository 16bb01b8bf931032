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
 *   `normalizePath`): `/tmp/../etc/shadow` and `//etc/passwd`
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
 * - `regex` is anchored (`^(?:…)$`: the pattern must compile on its own)
 *   and, like `equals` and `oneOf`, it sees the value as sent. Its `.`
 *   matches line breaks too (as a glob's `*` does) only where matching more
 *   fails closed: a `regex` in a rule that blocks or steps up, a `notRegex`
 *   in an allow rule. In a rule that blocks or steps up, `equals` and `oneOf` naming a
 *   boolean or a number also match what a lax server coerces to it
 *   (`"true"`, `"yes"`, `1` for `true`; `"0"`, `"0.0"` for `0`), and
 *   `equals`, `oneOf`, `regex`, `prefix` and `glob` naming text also see a
 *   number or boolean by its JSON text (`9990` as `"9990"`), as a server
 *   that turns it into a string does, only as written (no base resolves
 *   it). The negative checks see no such text:
 *   a `notEquals: "9990"` still holds for `9990`, so a rule that blocks
 *   never stops matching for it.
 * - `min` and `max` apply to numbers and to strings that servers commonly
 *   coerce to numbers (`"5000"`, `" +5_000 "`, `"5e3"`, `"0x1388"`, `"inf"`;
 *   see `numeric`); in a rule that blocks or steps up also to what
 *   JavaScript's `Number()` reads as one (`[5000]`, `["5000"]`, `""`, `null`,
 *   `false`, `true`). An allow rule takes only numbers and numeric strings.
 * - In a rule that blocks or steps up, a list where one value was expected
 *   is also read by its strings (`{"path": ["/etc/shadow"]}` for a `path`
 *   glob, lists in it four deep), and by its numbers and booleans for a
 *   check that names text (`{"port": [22]}` for a glob `"22"`), and a `*` step also reaches one value where
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
import { anchoredAdminRegExp } from "./admin_regexp.ts";
import { asciiFolded, caseless, holdsAsciiFolding } from "./case_folding.ts";
import { compileArgPath } from "./compile_arg_path.ts";
import type { CompiledPredicate } from "./compiled_policy.ts";
import { globCheck } from "./glob_check.ts";
import { scalarText, someElementHolds } from "./lax_readings.ts";
import { coercesTo, numeric } from "./numeric_coercion.ts";
import { sameFileSpellings } from "./path_aliases.ts";
import { type PathOptions, pathReading, readPath, UNKNOWN_DRIVE } from "./path_reading.ts";
import type { policySchema } from "./policy_schema.ts";
import { relativeForms } from "./relative_forms.ts";
import { withUrlVariants } from "./url_pattern_variants.ts";
import { readingsOf } from "./value_readings.ts";

export type { PathOptions } from "./path_reading.ts";

type Predicate = NonNullable<
  NonNullable<z.infer<typeof policySchema>["rules"]>[number]["match"]["args"]
>[string];

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

function list<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? v : [v as T];
}

/** A glob's escape and the character it escapes. */
const GLOB_ESCAPE = /\\[^]/g;

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
  // The text a check that names text sees: a string, and in a rule that blocks or steps up
  // a number or boolean by its JSON text too.
  const textOf = lax ? scalarText : (v: unknown) => typeof v === "string" ? v : undefined;
  if (p.equals !== undefined) {
    const want = p.equals;
    checks.push(
      !lax
        ? (v) => v === want
        : typeof want === "string"
        ? (v) => v === want || textOf(v) === want
        : (v) => v === want || coercesTo(v, want),
    );
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
    // A number or boolean is outside every glob, also when a rule that blocks reads its text.
    checks.push((v, s, written) =>
      typeof v !== "string" ||
      (!inside(s) && (written === undefined || !written.every((w) => inside(w))))
    );
  }
  // A `.` that also matches line breaks matches more: only ever on the side that fails
  // closed, a `regex` in a rule that blocks or steps up and a `notRegex` in an allow rule.
  if (p.regex !== undefined) {
    const re = anchoredAdminRegExp(p.regex, lax ? "s" : "");
    checks.push((v) => {
      const text = textOf(v);
      return text !== undefined && re.test(text);
    });
  }
  if (p.notRegex !== undefined) {
    const re = anchoredAdminRegExp(p.notRegex, lax ? "" : "s");
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
      lax
        ? (v) => {
          if (set.has(v)) return true;
          const text = typeof v === "string" ? undefined : textOf(v);
          return (text !== undefined && set.has(text)) ||
            wanted.some((want) => coercesTo(v, want));
        }
        : (v) => set.has(v),
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
      if (typeof v !== "string") {
        // A number or boolean is also read by its text (`{"port": 22}` for "22"), only as
        // written: it names no file, so no base resolves it and it has no other reading.
        const text = textOf(v);
        return holdsAt(v, text === undefined ? undefined : readPath(text, read));
      }
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
  // one-element list is its element); and its numbers and booleans where a check names text
  // (`{"acct": [9990]}` for `equals: "9990"`). `min` and `max` alone are left to read a list
  // as `Number()` does (`[5000]` is 5000, `[5000, 1]` none).
  const scalars = p.equals !== undefined || p.oneOf !== undefined || p.regex !== undefined ||
    p.glob !== undefined || p.prefix !== undefined;
  const holdsSome = every
    ? holds
    : (v: unknown): boolean =>
      holds(v) || (Array.isArray(v) && someElementHolds(v, holds, scalars));
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
