/**
 * Checks one `deno …` or `dx …` command of a task: reads its flags the way
 * Deno's parser does (short bundles such as `-qP=set` spread out), finds its
 * subcommand, and lists every way it could get more than the permission
 * manifest names: `-A`, a flag beyond the set it names, a grant with no set,
 * a subcommand that runs with every permission (`eval`, `jupyter`, `deno x`
 * or `dx` without flags) or one this check does not know, an argument only
 * known when the task runs, and `--config`/`-c`, `--env-file` or a `cd`
 * before it, which make deno read permission sets or `DENO_*` variables from
 * somewhere this check did not read. Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkDenoCall('task "a"', [{ text: "deno" }, { text: "eval" }, { text: "1" }], false, {}, findings);
 * findings[0]?.code; // "allow_all"
 * ```
 */
import { broaderKinds, grantOfFlags, grantOfSet } from "./permission_grants.ts";
import type { Finding } from "./permission_finding.ts";
import type { TaskWord } from "./task_script.ts";

function baseName(word: string): string {
  return (word.split(/[\\/]/).pop() ?? "").toLowerCase();
}

/**
 * Whether a command name is deno (`deno`, `/usr/bin/deno`, `deno.exe`, …).
 *
 * @example
 * ```ts
 * isDeno("C:\\deno\\Deno.EXE"); // true
 * ```
 */
export function isDeno(word: string): boolean {
  return /^deno(?:\.exe|\.cmd|\.bat)?$/.test(baseName(word));
}

/**
 * `dx`, Deno's alias for `deno x`, which grants every permission unless given flags.
 *
 * @example
 * ```ts
 * isDx("dx"); // true
 * ```
 */
export function isDx(word: string): boolean {
  return /^dx(?:\.exe|\.cmd)?$/.test(baseName(word));
}

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

/**
 * Checks one `deno …` or `dx …` command (its words after any assignments and
 * `!`), pushing a finding for each way it could get more than `sets` names.
 * `afterCd` says a `cd` ran before it in the same task.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * const words = ["deno", "test", "-P=test", "-A"].map((text) => ({ text }));
 * checkDenoCall('task "test"', words, false, { test: { read: true } }, findings);
 * findings.map((f) => f.code); // ["allow_all"]
 * ```
 */
export function checkDenoCall(
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
        "of; run it outside deno.json tasks, or teach src/release/deno_call_check.ts about it",
    });
    return;
  }
  checkGrant(where, args.tokens, sets, findings);
}
