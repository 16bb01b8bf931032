/**
 * The analysis behind `scripts/check_permissions.ts`: given the parsed
 * `deno.json` and the `deno compile` command lines the build would run, list
 * every way a task, a test config or a binary could get more than the
 * permission manifest says. Pure; the script only reads files and prints.
 *
 * Tasks are read the way `deno task` reads them: split at every separator its
 * shell knows (`&&`, `||`, `;`, `|`, `|&`, `&`, a line break, parentheses, and
 * the end of a redirect), with `VAR=value` prefixes and `!` taken off, and
 * every `deno` (or `dx`) call in them checked. What cannot be read with
 * certainty is a finding, not a pass: a command substitution, a command name
 * or a deno argument only known when the task runs (`$VAR`, globs, braces, a
 * backslash), deno named in another program's arguments (`xargs deno …`,
 * `sh -c "deno …"`), a `cd` before deno, and `--config`/`-c`, which makes deno
 * read its permission sets from a file this check did not read.
 *
 * @example
 * ```ts
 * const findings = checkPermissions(
 *   { permissions: { test: { read: true } }, tasks: { test: "deno test -P=test -A" } },
 *   [],
 * );
 * findings[0]?.code; // "allow_all"
 * ```
 */
import {
  broaderKinds,
  describeGrant,
  grantOfFlags,
  grantOfSet,
  sameGrant,
} from "./permission_grants.ts";

/** What kind of problem a finding is. */
export type FindingCode =
  | "allow_all"
  | "broader_than_set"
  | "unknown_set"
  | "ungoverned_grant"
  | "unknown_flag"
  | "inline_permissions"
  | "missing_set"
  | "compile_mismatch"
  | "no_manifest"
  | "unreadable_task"
  | "config_override"
  | "deno_env";

/** One problem, with where it is. */
export interface Finding {
  readonly code: FindingCode;
  /** `task "test"`, `compile thoth-linux-arm64`, `deno.json "test.permissions"`. */
  readonly where: string;
  /** What is wrong and, after a semicolon, what to do about it. */
  readonly message: string;
}

/** A `deno compile` command line the build would run, and the set it must bake in. */
export interface CompileCommand {
  /** A label for messages, e.g. the asset name. */
  readonly label: string;
  /** The manifest set this binary is built from (`"thoth"`, `"thothctl"`). */
  readonly set: string;
  /** The full argv, starting with the deno binary. */
  readonly argv: readonly string[];
}

/** One word of a task command, as the task shell would pass it on. */
export interface TaskWord {
  /** The word with quotes removed. */
  readonly text: string;
  /** Why its value is only known when the task runs (`"$VAR"`, `"a glob"`, …); absent when literal. */
  readonly computed?: string;
}

/** One simple command of a task: its words, assignments and `!` included. */
export interface TaskCommand {
  readonly words: readonly TaskWord[];
}

/** A task string split into commands, and what made it unreadable, if anything. */
export interface TaskScript {
  readonly commands: readonly TaskCommand[];
  /** Why the text cannot be read with certainty; empty when it can. */
  readonly problems: readonly string[];
}

/**
 * Splits a task string into simple commands the way `deno task`'s shell
 * does. Quotes are removed; a word whose value depends on the run
 * (`$VAR`, `$(…)`, a backtick, a glob, braces, a backslash) is marked
 * `computed`. Anything the shell would run that this reader cannot follow
 * (a command substitution, an unclosed quote or parenthesis) is a problem.
 *
 * @example
 * ```ts
 * parseTaskScript("FOO=1 deno run -A x.ts\necho hi").commands.map((c) => c.words.length);
 * // [4, 2]
 * ```
 */
export function parseTaskScript(text: string): TaskScript {
  const commands: TaskCommand[] = [];
  const problems: string[] = [];
  let words: TaskWord[] = [];
  let word = "";
  let inWord = false;
  let quoted = false;
  let computed: string | undefined;
  let wantTarget = false;
  let depth = 0;
  let i = 0;

  const problem = (p: string) => {
    if (!problems.includes(p)) problems.push(p);
  };
  const mark = (why: string) => {
    computed ??= why;
  };
  const endCommand = () => {
    if (words.length > 0) commands.push({ words });
    words = [];
  };
  const endWord = () => {
    if (!inWord) return;
    const done: TaskWord = computed === undefined ? { text: word } : { text: word, computed };
    word = "";
    inWord = false;
    quoted = false;
    computed = undefined;
    if (wantTarget) {
      // deno task starts a new command after a redirect's target: `echo a > f deno …` runs deno.
      wantTarget = false;
      endCommand();
    } else words.push(done);
  };
  const endAll = () => {
    endWord();
    if (wantTarget) problem("a redirect has no target");
    wantTarget = false;
    endCommand();
  };
  // Skips a `$( … )` body from just after `$(`; returns the index after `)`, or -1.
  const skipSubstitution = (from: number): number => {
    let level = 1;
    for (let j = from; j < text.length; j++) {
      const ch = text[j];
      if (ch === "\\") j++;
      else if (ch === "'" || ch === '"') {
        const end = text.indexOf(ch, j + 1);
        if (end < 0) return -1;
        j = end;
      } else if (ch === "(") level++;
      else if (ch === ")" && --level === 0) return j + 1;
    }
    return -1;
  };
  // Reads `$…` at `i`; returns the index after it.
  const readDollar = (at: number): number => {
    const next = text[at + 1];
    if (next === "(") {
      const end = skipSubstitution(at + 2);
      problem("it runs a command substitution $(…), whose command this check does not read");
      mark("a command substitution");
      if (end < 0) {
        problem("a $( is not closed");
        word += text.slice(at);
        return text.length;
      }
      word += text.slice(at, end);
      return end;
    }
    if (next !== undefined && /[A-Za-z0-9_?@*#!$-]/.test(next)) mark("a $ expansion");
    word += "$";
    return at + 1;
  };
  const readBacktick = (at: number): number => {
    problem("it runs a command substitution `…`, whose command this check does not read");
    mark("a command substitution");
    const end = text.indexOf("`", at + 1);
    if (end < 0) {
      problem("a ` is not closed");
      word += text.slice(at);
      return text.length;
    }
    word += text.slice(at, end + 1);
    return end + 1;
  };

  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === "'") {
      inWord = true;
      quoted = true;
      const end = text.indexOf("'", i + 1);
      if (end < 0) {
        problem("a ' quote is not closed");
        word += text.slice(i + 1);
        i = text.length;
      } else {
        word += text.slice(i + 1, end);
        i = end + 1;
      }
      continue;
    }
    if (c === '"') {
      inWord = true;
      quoted = true;
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const d = text[j] as string;
        if (d === '"') {
          closed = true;
          j++;
          break;
        }
        if (d === "\\") {
          mark("a backslash");
          const e = text[j + 1];
          if (e === '"' || e === "$" || e === "`") {
            word += e;
            j += 2;
          } else {
            word += d;
            j++;
          }
        } else if (d === "$") j = readDollar(j);
        else if (d === "`") j = readBacktick(j);
        else {
          word += d;
          j++;
        }
      }
      if (!closed) problem('a " quote is not closed');
      i = j;
      continue;
    }
    if (c === "\\") {
      if (next === "\n") {
        i += 2;
        continue;
      }
      if (next === "\r" && text[i + 2] === "\n") {
        i += 3;
        continue;
      }
      inWord = true;
      mark("a backslash");
      word += next ?? c;
      i += next === undefined ? 1 : 2;
      continue;
    }
    if (c === "$") {
      inWord = true;
      i = readDollar(i);
      continue;
    }
    if (c === "`") {
      inWord = true;
      i = readBacktick(i);
      continue;
    }
    if (c === "#" && !inWord) {
      // A comment runs to the end of the line; the line break still separates.
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
      continue;
    }
    if (c === "\n" || c === ";") {
      endAll();
      i++;
      continue;
    }
    if (c === "&" && next === ">") {
      endWord();
      wantTarget = true;
      i += text[i + 2] === ">" ? 3 : 2;
      continue;
    }
    if (c === "&" || c === "|") {
      endAll();
      i += next === "&" || (c === "|" && next === "|") ? 2 : 1;
      continue;
    }
    if (c === "(" || c === ")") {
      endAll();
      depth += c === "(" ? 1 : -1;
      if (depth < 0) {
        problem("a ) has no matching (");
        depth = 0;
      }
      i++;
      continue;
    }
    if (c === ">" || c === "<") {
      if (inWord && !quoted && computed === undefined && /^\d+$/.test(word)) {
        word = "";
        inWord = false;
      } else endWord();
      i++;
      if (c === ">" && (text[i] === ">" || text[i] === "|")) i++;
      if (text[i] === "&") {
        const fd = /^&(\d+|-)/.exec(text.slice(i));
        if (fd === null) problem("a redirect to a file descriptor names no descriptor");
        i += fd === null ? 1 : fd[0].length;
        // `2>&1` is a whole redirect; what follows is a new command, as after a file target.
        endCommand();
        continue;
      }
      wantTarget = true;
      continue;
    }
    if (c === "*" || c === "?" || c === "[") mark("a glob pattern");
    if (c === "{" || c === "}") mark("braces");
    word += c;
    inWord = true;
    i++;
  }
  endAll();
  if (depth > 0) problem("a ( is not closed");
  return { commands, problems };
}

/**
 * The words of each simple command of a task string (see
 * {@linkcode parseTaskScript}), quotes removed.
 *
 * @example
 * ```ts
 * splitTaskCommand(`deno fmt && echo 'a;b'`); // [["deno", "fmt"], ["echo", "a;b"]]
 * ```
 */
export function splitTaskCommand(text: string): string[][] {
  return parseTaskScript(text).commands.map((c) => c.words.map((w) => w.text));
}

function baseName(word: string): string {
  return (word.split(/[\\/]/).pop() ?? "").toLowerCase();
}

function isDeno(word: string): boolean {
  return /^deno(?:\.exe|\.cmd|\.bat)?$/.test(baseName(word));
}

/** `dx`, Deno's alias for `deno x`, which grants every permission unless given flags. */
function isDx(word: string): boolean {
  return /^dx(?:\.exe|\.cmd)?$/.test(baseName(word));
}

const MENTIONS_DENO = /(?:^|[^a-z0-9_.-])(?:deno|dx)(?:\.(?:exe|cmd|bat))?(?:$|[^a-z0-9_.-])/i;

/** Subcommands whose code runs with exactly the permission flags given. */
const FLAG_GOVERNED = new Set(
  "run watch serve test bench repl compile desktop install".split(" "),
);

/** Subcommands that run no project code with the flags' permissions. */
const NO_CODE = new Set(
  ("fmt lint check info doc types cache coverage uninstall completions init publish " +
    "add remove outdated update clean list link unlink approve-scripts lsp vendor " +
    "bundle audit why transpile bump-version ci pack upgrade help").split(" "),
);

/** Subcommands that run with every permission whatever flags they get. */
const ALWAYS_ALL: Readonly<Record<string, string>> = {
  eval: "deno eval runs its code with every permission, whatever flags it is given; " +
    "put the code in a file and run it with deno run -P=<set>",
  jupyter:
    "the deno jupyter kernel runs with every permission; run notebooks outside deno.json tasks",
};

/** Short flags whose value is the rest of a bundle (`-Pname`, `-qP=name`, `-cfile`). */
const SHORT_WITH_VALUE = new Set(["P", "c", "L", "o", "n", "p", "f", "d"]);

/** `DENO_*` variables a task may set: none of them touches permissions. */
const HARMLESS_DENO_ENV = new Set(
  "DENO_DIR DENO_NO_UPDATE_CHECK DENO_NO_PROMPT DENO_JOBS DENO_TRACE_PERMISSIONS".split(" "),
);

interface DenoArgs {
  /** The arguments with short bundles spread out: `-qP=x` → `-q`, `-P=x`. */
  readonly tokens: string[];
  /** The file named by `--config`/`-c`, or `""` when it has no value here. */
  readonly config: string | undefined;
  readonly envFile: boolean;
}

/** Spreads short-flag bundles the way Deno's parser reads them, and finds `--config`. */
function denoArgs(args: readonly string[]): DenoArgs {
  const tokens: string[] = [];
  let config: string | undefined;
  let envFile = false;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k] as string;
    if (arg === "--") {
      tokens.push(...args.slice(k));
      break;
    }
    const long = /^--config(?:=(.*))?$/.exec(arg);
    if (long !== null) {
      config = long[1] ?? args[k + 1] ?? "";
      if (long[1] === undefined) k++;
      continue;
    }
    if (/^--env-file(?:=|$)/.test(arg)) envFile = true;
    if (!/^-[A-Za-z]/.test(arg)) {
      tokens.push(arg);
      continue;
    }
    const letters = arg.slice(1);
    for (let at = 0; at < letters.length; at++) {
      const letter = letters[at] as string;
      const rest = letters.slice(at + 1);
      if (SHORT_WITH_VALUE.has(letter) || rest.startsWith("=")) {
        const value = rest.startsWith("=") ? rest.slice(1) : rest;
        if (letter === "c") {
          config = value !== "" ? value : args[k + 1] ?? "";
          if (value === "") k++;
        } else {tokens.push(
            value === "" && !rest.startsWith("=") ? `-${letter}` : `-${letter}=${value}`,
          );}
        break;
      }
      tokens.push(`-${letter}`);
    }
  }
  return { tokens, config, envFile };
}

/** The subcommand: the first token that is not a flag (skipping `-L`'s value). */
function subcommandOf(tokens: readonly string[]): string | undefined {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as string;
    if (t === "--") return undefined;
    if (t === "-L" || t === "--log-level") {
      k++;
      continue;
    }
    if (!t.startsWith("-")) return t;
  }
  return undefined;
}

function looksLikeScript(word: string): boolean {
  return /[./\\]/.test(word) || /^(?:npm|jsr|https?|file|data):/.test(word);
}

function checkGrant(
  where: string,
  tokens: readonly string[],
  sets: Readonly<Record<string, unknown>>,
  findings: Finding[],
): void {
  const { grant, sets: named, unknown } = grantOfFlags(tokens);
  for (const flag of unknown) {
    findings.push({
      code: "unknown_flag",
      where,
      message: `unrecognised permission flag "${flag}"`,
    });
  }
  if (grant["allow-all"] === true) {
    findings.push({
      code: "allow_all",
      where,
      message: "grants every permission (-A/--allow-all); name a manifest set with -P=<set>",
    });
  }
  for (const name of named) {
    if (!(name in sets)) {
      findings.push({
        code: "unknown_set",
        where,
        message: `names permission set "${name}", which deno.json "permissions" does not define`,
      });
    }
  }
  const flagsOnly = { ...grant };
  delete flagsOnly["allow-all"];
  if (named.length === 0) {
    const granted = broaderKinds(flagsOnly, {});
    if (granted.length > 0) {
      findings.push({
        code: "ungoverned_grant",
        where,
        message: `grants ${granted.join(", ")} without naming a manifest set; use -P=<set>`,
      });
    }
    return;
  }
  for (const name of named) {
    const set = sets[name];
    if (set === undefined) continue;
    const wider = broaderKinds(flagsOnly, grantOfSet(set));
    if (wider.length > 0) {
      findings.push({
        code: "broader_than_set",
        where,
        message: `grants more than set "${name}" in ${wider.join(", ")}`,
      });
    }
  }
}

/** Checks one `deno …` or `dx …` command (its words after any assignments and `!`). */
function checkDenoCall(
  where: string,
  words: readonly TaskWord[],
  afterCd: boolean,
  sets: Readonly<Record<string, unknown>>,
  findings: Finding[],
): void {
  const viaDx = isDx((words[0] as TaskWord).text);
  const shown = words.map((w) => w.text).join(" ").slice(0, 80);
  const computed = words.slice(1).find((w) => w.computed !== undefined);
  if (computed !== undefined) {
    findings.push({
      code: "unreadable_task",
      where,
      message:
        `passes deno "${computed.text}", whose value holds ${computed.computed} and is only ` +
        `known when the task runs ("${shown}"); write deno's flags and arguments out literally`,
    });
    return;
  }
  if (afterCd) {
    findings.push({
      code: "config_override",
      where,
      message: `runs "${shown}" after a cd, so deno may read another directory's deno.json and ` +
        "its permission sets; run deno from the project root (drop the cd)",
    });
  }
  const args = denoArgs(words.slice(1).map((w) => w.text));
  if (args.config !== undefined) {
    findings.push({
      code: "config_override",
      where,
      message: `reads its configuration from "${args.config}" (--config/-c), so -P=<set> and ` +
        "tasks come from a file this check did not read; drop --config, or check that file " +
        "with check_permissions.ts --config FILE and move the task there",
    });
  }
  if (args.envFile) {
    findings.push({
      code: "deno_env",
      where,
      message: "loads environment variables from a file (--env-file), which can set DENO_* " +
        "variables that change how deno grants permissions; set what the program needs in " +
        "its own configuration instead",
    });
  }
  const sub = viaDx ? "x" : subcommandOf(args.tokens);
  if (sub !== undefined && ALWAYS_ALL[sub] !== undefined) {
    findings.push({ code: "allow_all", where, message: ALWAYS_ALL[sub] as string });
    return;
  }
  if (sub === "x") {
    const flags = grantOfFlags(args.tokens);
    if (Object.keys(flags.grant).length === 0 && flags.sets.length === 0) {
      findings.push({
        code: "allow_all",
        where,
        message: `${viaDx ? "dx" : "deno x"} runs packages with every permission unless it ` +
          "is given permission flags; name a manifest set with -P=<set>",
      });
      return;
    }
  } else if (sub === "task") {
    const at = args.tokens.indexOf("task");
    for (const t of args.tokens.slice(at + 1)) {
      if (!t.startsWith("-")) break;
      if (/^(?:--eval|--recursive|-r|--filter|-f|--cwd)(?:=|$)/.test(t)) {
        findings.push({
          code: "config_override",
          where,
          message: `runs deno task ${t.split("=")[0]}, which runs commands or tasks this ` +
            "check does not read; name a task of this deno.json without that flag",
        });
      }
    }
  } else if (
    sub !== undefined && !FLAG_GOVERNED.has(sub) && !NO_CODE.has(sub) && !looksLikeScript(sub)
  ) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `runs "deno ${sub}", a subcommand this check does not know the permissions ` +
        "of; run it outside deno.json tasks, or teach permission_check.ts about it",
    });
    return;
  }
  checkGrant(where, args.tokens, sets, findings);
}

function taskText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const command = (value as Record<string, unknown>)["command"];
    if (typeof command === "string") return command;
  }
  return undefined;
}

function checkAssignment(where: string, text: string, findings: Finding[]): void {
  const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(text)?.[1];
  if (name === undefined || !/^DENO_/i.test(name) || HARMLESS_DENO_ENV.has(name)) return;
  findings.push({
    code: "deno_env",
    where,
    message: `sets ${name}, which changes how deno runs (DENO_PERMISSION_BROKER_PATH, for ` +
      "one, hands every permission decision to another program); this check cannot judge " +
      "it: drop it from the task",
  });
}

/** Every finding for one task's command text. */
function checkTask(
  where: string,
  text: string,
  sets: Readonly<Record<string, unknown>>,
  findings: Finding[],
): void {
  const script = parseTaskScript(text);
  for (const p of script.problems) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `cannot be read with certainty: ${p}; write each command, deno calls above all, ` +
        "plainly (or move the logic into a script the task runs with deno run -P=<set>)",
    });
  }
  let afterCd = false;
  for (const command of script.commands) {
    let at = 0;
    const words = command.words;
    while (at < words.length) {
      const w = words[at] as TaskWord;
      if (w.text === "!" && w.computed === undefined) at++;
      else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text)) {
        checkAssignment(where, w.text, findings);
        at++;
      } else break;
    }
    const name = words[at];
    if (name === undefined) {
      checkMentions(where, words, "", findings);
      continue;
    }
    if (name.computed !== undefined) {
      findings.push({
        code: "unreadable_task",
        where,
        message: `runs a command whose name ("${name.text}") holds ${name.computed} and is only ` +
          "known when the task runs, so it may be deno; name the command literally",
      });
      continue;
    }
    if (isDeno(name.text) || isDx(name.text)) {
      checkDenoCall(where, words.slice(at), afterCd, sets, findings);
      continue;
    }
    if (name.text === "cd") afterCd = true;
    if (name.text === "export") {
      for (const w of words.slice(at + 1)) checkAssignment(where, w.text, findings);
    }
    checkMentions(where, words, name.text, findings);
  }
}

/** A command that is not deno but names deno (`xargs deno …`, `sh -c "deno …"`) is unreadable. */
function checkMentions(
  where: string,
  words: readonly TaskWord[],
  name: string,
  findings: Finding[],
): void {
  const hit = words.find((w) => MENTIONS_DENO.test(w.text));
  if (hit === undefined) return;
  findings.push({
    code: "unreadable_task",
    where,
    message:
      `${
        name === "" ? "stores" : `runs "${name}" with`
      } deno in its words ("${hit.text}"), so deno may run with permissions this check cannot ` +
      "see; call deno directly as its own command in the task",
  });
}

/**
 * Every finding for a `deno.json` object and the build's compile commands.
 * An empty list means the tasks, the test config and the binaries get no more
 * than the manifest names.
 *
 * @example
 * ```ts
 * checkPermissions({ permissions: { t: { read: true } }, tasks: { a: "X=1 deno run -A a.ts" } }, [])
 *   .map((f) => f.code); // ["allow_all"]
 * ```
 */
export function checkPermissions(
  config: unknown,
  compiles: readonly CompileCommand[],
): Finding[] {
  const findings: Finding[] = [];
  const root = typeof config === "object" && config !== null
    ? config as Record<string, unknown>
    : {};
  const permissions = root["permissions"];
  const sets: Record<string, unknown> =
    typeof permissions === "object" && permissions !== null && !Array.isArray(permissions)
      ? permissions as Record<string, unknown>
      : {};
  if (Object.keys(sets).length === 0) {
    findings.push({
      code: "no_manifest",
      where: 'deno.json "permissions"',
      message: "there is no permission manifest (no named permission sets)",
    });
  }
  for (const [name, set] of Object.entries(sets)) {
    if (grantOfSet(set)["allow-all"] === true) {
      findings.push({
        code: "allow_all",
        where: `permission set "${name}"`,
        message: 'grants every permission ("all": true)',
      });
    }
  }

  const tasks = root["tasks"];
  if (typeof tasks === "object" && tasks !== null) {
    for (const [name, value] of Object.entries(tasks as Record<string, unknown>)) {
      const text = taskText(value);
      if (text !== undefined) checkTask(`task "${name}"`, text, sets, findings);
    }
  }

  for (const section of ["test", "bench", "compile", "run", "serve"]) {
    const block = root[section];
    if (typeof block !== "object" || block === null) continue;
    const value = (block as Record<string, unknown>)["permissions"];
    if (value === undefined) continue;
    const where = `deno.json "${section}.permissions"`;
    if (typeof value === "string") {
      if (!(value in sets)) {
        findings.push({
          code: "unknown_set",
          where,
          message: `names permission set "${value}", which deno.json "permissions" does not define`,
        });
      }
    } else {
      findings.push({
        code: "inline_permissions",
        where,
        message: "grants permissions inline instead of naming a manifest set",
      });
    }
  }

  for (const compile of compiles) {
    const where = `compile ${compile.label}`;
    const { grant, sets: named, unknown } = grantOfFlags(compile.argv.slice(2));
    if (grant["allow-all"] === true) {
      findings.push({ code: "allow_all", where, message: "compiles with -A/--allow-all" });
    }
    for (const flag of unknown) {
      findings.push({
        code: "unknown_flag",
        where,
        message: `unrecognised permission flag "${flag}"`,
      });
    }
    if (named.length > 0) {
      findings.push({
        code: "compile_mismatch",
        where,
        message: `loads permission set(s) ${named.join(", ")} instead of baking explicit flags`,
      });
    }
    const set = sets[compile.set];
    if (set === undefined) {
      findings.push({
        code: "missing_set",
        where,
        message: `deno.json "permissions" has no set "${compile.set}" for this binary`,
      });
      continue;
    }
    const expected = grantOfSet(set);
    if (!sameGrant(grant, expected)) {
      findings.push({
        code: "compile_mismatch",
        where,
        message: `compile flags grant ${describeGrant(grant)} but set "${compile.set}" is ${
          describeGrant(expected)
        }`,
      });
    }
  }
  return findings;
}
