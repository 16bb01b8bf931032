/**
 * thoth's own files: a governed server runs as the same user as thoth, so a
 * server with file or shell tools could otherwise reset the progressive
 * counters (`state/`), answer its own approval requests (`approvals/`), read
 * the audit keys (`keys/`) or delete audit segments. A call whose arguments
 * reach the profile folder (`THOTH_HOME`) is blocked under rule
 * {@linkcode OWN_FILES_RULE}, before the policy's own rules and whatever the
 * enforcement mode (observe included); no policy can remove or loosen it.
 *
 * A string in the arguments (a value or a key, anywhere, also inside JSON a
 * string holds) reaches the folder when:
 * 1. one of its path readings lands in the folder or below it: the readings
 *    the policy's path rules use (`compilePredicate`: `~`, percent escapes,
 *    `file:` URLs, `/proc/self/root`, a relative path resolved against the
 *    server's folders, case and `\` on macOS and Windows, …);
 * 2. it holds the folder's absolute path, or its `~/`, `$HOME/` or
 *    `${HOME}/` form (`%USERPROFILE%\` on Windows) when it is under the home
 *    folder, anywhere in it (a shell command such as
 *    `rm ~/.thoth/state/progressive.json`), unless a file name character
 *    follows (`~/.thothrc` is another file). Paths are compared as the OS
 *    compares them: without case on macOS and Windows, `\` as `/` on Windows.
 *
 * Mentioning the folder's name in prose (`.thoth`) is neither. Every folder
 * given is protected: the profile folder as given and its real path.
 *
 * Cheap on every call: a string is read as a path only when it holds the
 * last name of a protected folder, a percent escape (`%2e`) or a leading
 * `~`, or when a folder the server resolves relative paths against lies
 * inside the profile (then every relative path does too, prose included).
 *
 * The lexical readings end where the file system begins: a symbolic link
 * the server made, a Windows short name (`THOTH~1`), a shell variable other
 * than `HOME`, a call on a folder that holds the profile (`rm -rf ~`, moving
 * the home folder) are beyond them.
 *
 * @example
 * ```ts
 * const own = compileOwnFiles(["/home/ana/.thoth"], { home: "/home/ana", os: "linux" });
 * own!.reaches({ path: "~/.thoth/state/progressive.json" }); // true
 * own!.reaches({ command: "cat /home/ana/.thoth/keys/hmac.key" }); // true
 * own!.reaches({ text: "thoth keeps its files in .thoth" }); // false
 * ```
 */
import type { Action } from "./action.ts";
import { compilePredicate, type PathOptions } from "./compile_predicate.ts";
import type { EnforcementMode } from "./enforcement_mode.ts";
import type { Evaluation } from "./evaluation.ts";
import { parsePythonJson } from "./python_json.ts";

/** The rule id of the protection. */
export const OWN_FILES_RULE = "thoth.own_files";

/**
 * The rule id of the same protection for the MCP clients' own config files
 * (`claude_desktop_config.json`, `~/.claude.json`, `mcp.json`…): a server
 * that edits one could take itself out of thoth's governance at the next
 * start, and reading one shows other servers' credentials.
 */
export const CLIENT_CONFIG_RULE = "thoth.client_config";

/** What a protection guards: thoth's profile, or the clients' config files. */
export type OwnFilesKind = "profile" | "client_config";

/** The protection of thoth's profile folder, compiled once per session. */
export interface OwnFiles {
  /** What it guards. */
  kind: OwnFilesKind;
  /** The profile folder (or config file) as given (the first one), for explanations. */
  folder: string;
  /** Whether some string in `args` (a value or a key) reaches a protected folder. */
  reaches(args: unknown): boolean;
}

/** Characters with a meaning in a glob, escaped so a folder's name is matched as written. */
const GLOB_SYNTAX = /[*?[\]{}\\!,]/g;
/** Text NFC could change: ASCII never changes. */
const NON_ASCII = /[^\0-\x7f]/;
/** What in a name or needle a value's composing (NFC) may produce: see `composeValues`. */
const COMPOSE_MATTERS = /[^\0-\x7f]|[kK;`]/;
const BACKSLASHES = /\\/g;
const PERCENT_ESCAPE = /%[0-9a-fA-F]{2}/;
/** A string that may hold a JSON array or object (white space first, as JSON allows). */
const LEADS_JSON = /^[\t\n\r ]*[[{]/;

/** Whether `value` may hold a JSON array or object; the first character mostly tells. */
function leadsJson(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first === 91 || first === 123) return true;
  return (first === 32 || first === 9 || first === 10 || first === 13) && LEADS_JSON.test(value);
}

/** A folder without its trailing separators (`/` and a drive's root stay). */
function trimmed(folder: string, backslash: boolean): string {
  const t = folder.replace(backslash ? /[/\\]+$/ : /\/+$/, "");
  if (t === "") return "/";
  return backslash && /^[a-zA-Z]:$/.test(t) ? `${t}/` : t;
}

/**
 * Compiles the protection of `folders` (the profile folder, then other
 * spellings such as its real path), read as `options` reads paths (the same
 * object the policy's rules use, so the bases it learns apply here too).
 * Returns `undefined` when no folder is given.
 */
export function compileOwnFiles(
  folders: readonly string[],
  options: PathOptions,
  kind: OwnFilesKind = "profile",
): OwnFiles | undefined {
  const os = options.os;
  const fold = os === "darwin" || os === "windows";
  const backslash = os === "windows";
  const given = folders.filter((f) => f !== "").map((f) => trimmed(f, backslash));
  if (given.length === 0) return undefined;
  // Composed, without case where files are: enough to look for a name, which has no separator.
  const nameForm = (text: string) => {
    const t = NON_ASCII.test(text) ? text.normalize("NFC") : text;
    return fold ? t.toLowerCase() : t;
  };
  // Rewriting every `\` of a long value is slow: done only where the folder's name is.
  const separated = (text: string) => backslash ? text.replace(BACKSLASHES, "/") : text;
  const comparable = (text: string) => separated(nameForm(text));
  const forms = [...new Set(given.map(comparable))];
  // Path readings: the folder itself or anything under it.
  const globs = forms.map((f) => `${(f === "/" ? "" : f).replace(GLOB_SYNTAX, "\\$&")}/**`);
  const inside = compilePredicate("value", { glob: globs }, "some", options);
  // The folders' last names: a string that holds none cannot land inside by a lexical reading.
  const names = [...new Set(forms.map((f) => f.slice(f.lastIndexOf("/") + 1)))];
  const anyString = names.includes("") || names.some((n) => /^[a-z]:$/i.test(n));
  // Substrings: the absolute forms, and the home-relative ones a shell expands.
  const needles = new Set(forms);
  const home = options.home === undefined
    ? undefined
    : comparable(trimmed(options.home, backslash));
  if (home !== undefined && home !== "/") {
    const homeVariables = backslash
      ? ["~", "$home", "${home}", "%userprofile%", "$env:userprofile", "${env:userprofile}"]
      : ["~", "$HOME", "${HOME}"];
    for (const form of forms) {
      if (!form.startsWith(`${home}/`)) continue;
      const rest = form.slice(home.length);
      for (const variable of homeVariables) needles.add(comparable(variable + rest));
    }
  }
  // Composing (NFC) makes ASCII only of ASCII, but for three singletons (U+212A KELVIN SIGN is
  // "K", U+037E is ";", U+1FEF is "`"): when every name and needle is ASCII without them, a
  // value's other characters cannot make one appear, and the value need not be composed.
  const composeValues = [...names, ...needles].some((t) => COMPOSE_MATTERS.test(t));
  const valueForm = composeValues
    ? nameForm
    : fold
    ? (text: string) => text.toLowerCase()
    : (text: string) => text;
  const nameContinues = backslash ? /[A-Za-z0-9_-]/ : /[A-Za-z0-9_.-]/;
  const holdsNeedle = (text: string): boolean => {
    for (const needle of needles) {
      let at = text.indexOf(needle);
      while (at !== -1) {
        const next = text[at + needle.length];
        if (next === undefined || !nameContinues.test(next)) return true;
        at = text.indexOf(needle, at + 1);
      }
    }
    return false;
  };
  const holdsName = (text: string): boolean => {
    for (const name of names) if (text.indexOf(name) !== -1) return true;
    return false;
  };

  // Whether a folder the server resolves relative paths against lies inside: read again
  // when the session replaces or grows the list (the client's roots).
  let basesRead: readonly string[] | undefined;
  let basesSeen = -1;
  let baseInside = false;
  const relativeLandsInside = (): boolean => {
    const bases = options.bases;
    if (bases !== basesRead || (bases?.length ?? 0) !== basesSeen) {
      basesRead = bases;
      basesSeen = bases?.length ?? 0;
      baseInside = bases !== undefined && bases.some((base) => inside.test([base]));
    }
    return baseInside;
  };

  const reachesString = (value: string, pending: unknown[]): boolean => {
    const text = valueForm(value);
    const named = anyString || holdsName(text);
    const tilde = value.charCodeAt(0) === 126;
    // Escapes are left to the path readings, which decode them (the rules then reuse them).
    const escaped = value.indexOf("%") !== -1 && PERCENT_ESCAPE.test(value);
    // JSON a server may parse out of a string (the Python SDK does): its strings count too.
    if (leadsJson(value) && (named || tilde || escaped || value.indexOf("\\") !== -1)) {
      try {
        pending.push(parsePythonJson(value));
      } catch {
        // Not JSON: the string as it is.
      }
    }
    if (named && holdsNeedle(separated(text))) return true;
    if (!named && !tilde && !escaped && !relativeLandsInside()) return false;
    return inside.test([value]);
  };

  return {
    kind,
    folder: given[0]!,
    reaches(args: unknown): boolean {
      // Iterative: arguments may nest deeper than the call stack goes.
      const pending: unknown[] = [args];
      while (pending.length > 0) {
        const value = pending.pop();
        if (typeof value === "string") {
          if (reachesString(value, pending)) return true;
        } else if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) pending.push(value[i]);
        } else if (value !== null && typeof value === "object") {
          const keys = Object.keys(value);
          for (let i = 0; i < keys.length; i++) {
            const key = keys[i]!;
            if (reachesString(key, pending)) return true;
            pending.push((value as Record<string, unknown>)[key]);
          }
        }
      }
      return false;
    },
  };
}

/** What a call that reaches thoth's own files is told, and why. */
function ownFilesReason(own: Pick<OwnFiles, "kind" | "folder">): string {
  const folder = own.folder;
  if (own.kind === "client_config") {
    return `the arguments reach an MCP client's config file ("${folder}" or another client's): ` +
      "a server that changes one could take itself out of thoth's governance, and one that " +
      "reads one sees other servers' credentials; thoth never forwards such a call, in any " +
      'mode. Change client configs yourself, with "thoth wrap-config" or the client';
  }
  return `the arguments reach thoth's own profile folder "${folder}" (its audit log and keys, ` +
    "approval answers and progressive counters); thoth's own files are never forwarded, in " +
    "any mode. To let this server work on files, give it folders that do not hold this one " +
    "(or move the profile out of its reach with THOTH_HOME); manage thoth's files with thoth's " +
    "own commands";
}

/**
 * The evaluation of a call that reaches thoth's own files: BLOCK under
 * {@linkcode OWN_FILES_RULE} alone; the policy's intent, rules and
 * detectors are not consulted.
 */
export function ownFilesEvaluation(own: Pick<OwnFiles, "kind" | "folder">): Evaluation {
  const reason = ownFilesReason(own);
  const rule = ruleOf(own.kind);
  return {
    decision: "block",
    ruleIds: [rule],
    violatedIds: [rule],
    reasons: [reason],
    findings: [],
    riskScore: 0,
    intentViolation: false,
    matches: [{ id: rule, source: "thoth", decision: "block", reason }],
    notes: [],
    scanCapped: false,
  };
}

function ruleOf(kind: OwnFilesKind): string {
  return kind === "profile" ? OWN_FILES_RULE : CLIENT_CONFIG_RULE;
}

/**
 * The rule of thoth's own files' block when `evaluation` is one (see
 * {@linkcode ownFilesEvaluation}); undefined otherwise.
 */
export function reachesOwnFiles(evaluation: Pick<Evaluation, "matches">): string | undefined {
  const first = evaluation.matches[0];
  if (first === undefined || first.source !== "thoth") return undefined;
  return first.id === OWN_FILES_RULE || first.id === CLIENT_CONFIG_RULE ? first.id : undefined;
}

/**
 * The action for such a call in any mode: blocked. Observe mode forwards
 * every other violation and progressive mode warns first; neither applies
 * here, and nothing is counted.
 */
export function ownFilesAction(mode: EnforcementMode, rule: string = OWN_FILES_RULE): Action {
  return {
    action: "block",
    wouldHave: "block",
    mode,
    violation: true,
    ladder: undefined,
    violationNumber: undefined,
    explanation: mode === "block"
      ? `blocked by ${rule}`
      : `blocked by ${rule}: ${mode} mode does not apply to thoth's own files`,
  };
}
