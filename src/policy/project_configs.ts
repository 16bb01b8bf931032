/**
 * The MCP clients' project configs: `.mcp.json` (Claude Code),
 * `.cursor/mcp.json` (Cursor), `.vscode/mcp.json` (VS Code) and
 * `.claude/settings.json`, `.claude/settings.local.json` (Claude Code's
 * project settings, whose hooks run commands), in whatever folder they are.
 * A governed server that writes one could add servers that run without
 * thoth, or commands the client runs, the next time a person opens that
 * folder in the client; one that reads one may see credentials. A call whose
 * arguments reach one is blocked under `thoth.client_config`, in every mode,
 * like the clients' own config files (see `own_files.ts`).
 *
 * "Reach" is the policy's own path reading of a whole string (relative to
 * the server's folders, `~`, percent escapes, `file:` URLs, `..`, `\` and the
 * dots and streams Windows drops), without case on every system (a folder
 * may ignore case on Linux too: a Windows drive under WSL, a `casefold`
 * folder, a FAT disk), `ſ` read as `s` and `ı` as `i`, and on Windows a
 * short name (`VSCODE~1`, `MCPJSO~1.JSO`) read as possibly any name: a file
 * tool's argument. A text that merely mentions `.mcp.json`, a shell command
 * that writes one (`echo … > .mcp.json`), a folder of them moved away,
 * changed and moved back, and the other files of those folders
 * (`.vscode/launch.json`, `.vscode/tasks.json`) are not read as such:
 * `thoth doctor` reports servers in the project configs of the folders
 * `~/.claude.json` lists that run without thoth.
 *
 * Cheap on every call: a string is read as a path only when, past trailing
 * separators, `.` segments (and on Windows dots, spaces and a stream), it
 * ends in `mcp.json`, `settings.json` or `settings.local.json` (or on
 * Windows a short name), or in a `..` segment, as written or with its
 * percent escapes decoded, or is a URL a URL parser reads otherwise than
 * written.
 *
 * @example
 * ```ts
 * const configs = compileProjectConfigs({ os: "linux", home: "/home/ana", bases: ["/srv/app"] });
 * configs.reaches({ path: ".mcp.json" }); // true: /srv/app/.mcp.json
 * configs.reaches({ path: "/home/ana/src/app/.VSCode/mcp.json" }); // true
 * configs.reaches({ content: "add the server to .mcp.json" }); // false
 * ```
 */
import { anyCaseGlob } from "./case_folding.ts";
import { compilePredicate, type PathOptions } from "./compile_predicate.ts";
import { percentDecoded } from "./detectors/percent_decoded.ts";
import { firstReached, type OwnFiles, REACHES, READ_JSON, watchBases } from "./own_files.ts";
import { foldedValue } from "./own_files_value_forms.ts";

/** The project configs, relative to the folder that holds them. */
export const PROJECT_CONFIG_FILES: readonly string[] = [
  ".mcp.json",
  ".cursor/mcp.json",
  ".vscode/mcp.json",
  ".claude/settings.json",
  ".claude/settings.local.json",
];

/** A Windows short name (`VSCODE~1`, `MCPJSO~1.JSO`): it may stand for any name. */
const SHORT_NAME = /~\d/;
/** Whether the segment that ends at `end` (in `.`) is `.` or `..`. */
function dotSegmentEndsAt(text: string, end: number): boolean {
  let at = end - 1;
  if (at > 0 && text.charCodeAt(at - 1) === 46) at--;
  const before = at === 0 ? 47 : text.charCodeAt(at - 1);
  return before === 47 || before === 92;
}

/** What a config's last segment ends in. */
const NAME_ENDS = ["mcp.json", "settings.json", "settings.local.json"];

/**
 * Whether `text[start, last)` ends in one of {@linkcode NAME_ENDS} without
 * case (`ſ` as `s`, `ı` as `i`), compared in place.
 */
function endsInName(text: string, start: number, last: number): boolean {
  // Every name ends in `n`: most segments end otherwise.
  const end = text.charCodeAt(last - 1) | 32;
  if (end !== 110) return false;
  for (const name of NAME_ENDS) {
    const from = last - name.length;
    if (from < start) continue;
    let i = 0;
    for (; i < name.length; i++) {
      let c = text.charCodeAt(from + i);
      if (c >= 65 && c <= 90) c += 32;
      else if (c === 0x17f) c = 115;
      else if (c === 0x131) c = 105;
      if (c !== name.charCodeAt(i)) break;
    }
    if (i === name.length) return true;
  }
  return false;
}

/** A URL's scheme, which no name starts with (a drive, `c:`, is one letter). */
const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]+:/;

/** What a URL parser removes from anywhere in a URL. */
const URL_NOISE = /[\t\n\r]/;

/**
 * Whether `text[0, colon)` is a URL's scheme once a URL parser drops what
 * it drops: control characters and spaces first, tabs and line breaks
 * anywhere. Stops at the first character that cannot be one (prose, most).
 */
function noisyScheme(text: string, colon: number): boolean {
  let i = 0;
  while (i < colon && text.charCodeAt(i) <= 32) i++;
  let letters = 0;
  let noisy = i > 0;
  for (; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13) {
      noisy = true;
      continue;
    }
    const letter = (c | 32) >= 97 && (c | 32) <= 122;
    if (
      letters === 0
        ? !letter
        : !(letter || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)
    ) {
      return false;
    }
    letters++;
  }
  return noisy && letters >= 2;
}

/** A path relative to a drive's current folder (`c:x`), on Windows. */
const DRIVE_RELATIVE = /^[a-z]:(?![\\/])/i;
/** Where a URL's query or fragment starts: what is before it may be the path. */
const QUERY_OR_FRAGMENT = /[?#]/;

/**
 * Compiles the protection, reading paths as `options` reads them (the
 * policy's own options object, so that the folders a session learns apply
 * here too).
 */
export function compileProjectConfigs(options: PathOptions): OwnFiles {
  const windows = options.os === "windows";
  const globs = PROJECT_CONFIG_FILES.map((f) => `**/${f}`);
  // A short name may stand for a config's folder or for the config itself.
  if (windows) globs.push("**/*~[0-9]*/mcp.json", "**/*~[0-9]*/settings*.json", "**/*~[0-9]*.jso");
  // Without case on every system, also in what a percent escape decodes to.
  const landing = compilePredicate("value", { glob: globs.map(anyCaseGlob) }, "some", options);
  // Every glob starts with `**/`: where a relative path lands does not matter unless it
  // climbs out of the folder it is resolved in (a `..`, maybe escaped) or names a drive's
  // own folder (`c:x`). Resolving a long path against each server folder costs.
  const anywhere = compilePredicate("value", { glob: globs.map(anyCaseGlob) }, "some", {
    ...options,
    bases: undefined,
  });
  // Nor unless a server folder lies in a config's folder (`mcp.json` in `.vscode`).
  const inFolder = compilePredicate(
    "value",
    {
      glob: [
        ...[".cursor", ".vscode", ".claude"].map((f) => anyCaseGlob(`**/${f}/**`)),
        // A folder given by its short name may be one of them.
        ...(windows ? ["**/*~[0-9]*/**"] : []),
      ],
    },
    "some",
    { ...options, bases: undefined },
  );
  const basesChanged = watchBases(options);
  let baseInFolder = false;
  const readBases = (): void => {
    if (!basesChanged()) return;
    const bases = options.bases;
    baseInFolder = bases !== undefined && bases.some((base) => inFolder.test([base]));
  };

  /**
   * Whether `text`'s last segment before `end` may make a config's name, as
   * the OS (and a URL parser, which drops trailing white space) reads it: past
   * separators and `.` segments; a `..` segment climbs back, so it may.
   */
  const mayEndInName = (text: string, end: number, scheme: number): boolean => {
    // Worked out once: a stream or a short name may end a name otherwise on Windows.
    const windowsForms = windows && (text.indexOf(":") !== -1 || SHORT_NAME.test(text));
    for (;;) {
      while (end > 0) {
        const c = text.charCodeAt(end - 1);
        if (c === 47 || c === 92 || c <= 32) end--;
        else break;
      }
      if (end === 0) return false;
      // Most strings end otherwise than a config's name (`n`), a `.` segment or, on Windows,
      // a stream or a short name: no need to find where their last segment starts.
      const c = text.charCodeAt(end - 1) | 32;
      if (c !== 110 && c !== 46 && !windowsForms) return false;
      // Outside Windows a segment that ends in `.` is `.`, `..` or no config's name.
      if (!windows && c === 46 && !dotSegmentEndsAt(text, end)) return false;
      // Back to the segment's start one character at a time: a search for a separator the
      // string lacks would read all of it again for each `.` segment.
      let start = end;
      while (start > 0) {
        const b = text.charCodeAt(start - 1);
        if (b === 47 || b === 92) break;
        start--;
      }
      // A URL's scheme (`file:.mcp.json`); on Windows a drive (`c:.mcp.json`), and a
      // stream after the name (`x::$DATA`).
      let from = start;
      if (from === 0) from = scheme > 0 ? scheme : windows && text.charCodeAt(1) === 58 ? 2 : 0;
      if (from >= end) return false;
      let last = end;
      if (windows) {
        // A segment may start with a drive (`file:///c:.mcp.json`): its `:` is no stream's.
        const drive = end - from > 2 && text.charCodeAt(from + 1) === 58 &&
          ((text.charCodeAt(from) | 32) >= 97 && (text.charCodeAt(from) | 32) <= 122);
        if (drive) from += 2;
        for (let i = from; i < end; i++) {
          if (text.charCodeAt(i) === 58) {
            last = i;
            break;
          }
        }
        // Windows drops a name's trailing dots and spaces.
        while (
          last > from && (text.charCodeAt(last - 1) === 46 || text.charCodeAt(last - 1) === 32)
        ) {
          last--;
        }
      }
      if (last === from || (!windows && text.charCodeAt(from) === 46 && end - from <= 2)) {
        // Dots (and on Windows spaces) alone: `.` is the folder before it, `..` climbs.
        let dotCount = 0;
        for (let i = from; i < end && text.charCodeAt(i) !== 58; i++) {
          if (text.charCodeAt(i) === 46) dotCount++;
        }
        if (dotCount >= 2 && (windows || end - from === 2)) return true;
        if (windows || end - from === 1) {
          end = start;
          continue;
        }
      }
      return endsInName(text, from, last) ||
        (windows && SHORT_NAME.test(text.slice(from, last)));
    }
  };
  const mayName = (text: string): boolean => {
    const colon = text.indexOf(":");
    const scheme = colon > 1 ? URL_SCHEME.exec(text)?.[0].length ?? 0 : 0;
    // A URL parser drops tabs and line breaks anywhere, and control characters and spaces
    // at the ends: such a URL goes to the full reading, which reads it so.
    if (colon > 1 && (scheme > 0 ? URL_NOISE.test(text) : noisyScheme(text, colon))) return true;
    if (mayEndInName(text, text.length, scheme)) return true;
    // A URL's path ends where its query or fragment starts.
    const query = scheme > 0 ? text.search(QUERY_OR_FRAGMENT) : -1;
    return query > 0 && mayEndInName(text, query, scheme);
  };

  const check = (value: string, json: boolean, escaped: boolean): number => {
    // JSON a server may parse out of a string: its strings count too.
    const readJson = json &&
        (foldedValue(value, false, true).indexOf("json") !== -1 || escaped ||
          value.indexOf("\\") !== -1 ||
          (windows && SHORT_NAME.test(value)))
      ? READ_JSON
      : 0;
    // Escapes decoded as the full reading decodes them: most escaped text (a URL's query, an
    // encoded path) still ends in no config's name.
    if (!mayName(value) && !(escaped && mayName(percentDecoded(value) ?? value))) return readJson;
    readBases();
    const climbs = baseInFolder || escaped || value.indexOf("..") !== -1 ||
      (windows && DRIVE_RELATIVE.test(value));
    return (climbs ? landing : anywhere).test([value]) ? REACHES : readJson;
  };
  const configs: OwnFiles = {
    kind: "project_config",
    folder: PROJECT_CONFIG_FILES[0]!,
    reaches: (args: unknown): boolean => firstReached([configs], args) !== undefined,
    check,
    checkKey: check,
  };
  return configs;
}
