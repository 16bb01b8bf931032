/**
 * Checks one `deno …` command of a task: reads its flags, finds its
 * subcommand, and lists every way it could get more than the permission
 * manifest names: `-A`, a flag beyond the set it names, a grant with no set,
 * a subcommand that runs with every permission (`eval`, `jupyter`, none at
 * all: a bare `deno` is a REPL with every permission), one that
 * installs, compiles or changes dependencies, configuration or deno itself,
 * one this check does not know, an argument only known when the task runs,
 * a bundle of short flags (`-PA` is `-P -A` to Deno), `deno task` or
 * `deno run` naming anything but a task of this deno.json, a module named
 * with no subcommand, `deno repl` (it runs what is typed or piped in), and
 * `--config`/`-c` or `--env-file`, which make deno read permission sets or
 * `DENO_*` variables from somewhere this check did not read, `deno lint --fix`
 * and `deno fmt` naming deno.json, the lock or another file later calls read
 * (they rewrite it), a release program's entry (or `mod.ts`) run with a set
 * other than the one it ships with, and a release program's entry, `mod.ts` or
 * any module run with the `thoth` or `thothctl` set without `--no-remote`,
 * `--cached-only` and `--frozen-lockfile` in effect. A debugger
 * port, code from outside the project, a file deno writes over what later
 * calls read, and a call that runs code without `--no-prompt` are
 * `deno_flag_check.ts`'s. Reading deno's arguments is `deno_args.ts`'s, and
 * the checks of a release program run from source `release_program_check.ts`'s.
 * Pure; it allows what it can read exactly and refuses the rest.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * const context = { sets: {}, tasks: new Set<string>() };
 * checkDenoCall('task "a"', [{ text: "deno" }, { text: "eval" }, { text: "1" }], context, findings);
 * findings[0]?.code; // "allow_all"
 * ```
 */
import { broaderKinds, grantOfFlags, grantOfSet } from "./permission_grants.ts";
import type { Finding } from "./permission_finding.ts";
import { checkDenoFlags, outsideProject } from "./deno_flag_check.ts";
import type { TaskWord } from "./task_script.ts";
import { writeProblem } from "./protected_path.ts";
import { denoArgs, FLAG_GOVERNED, looksLikeModule, subcommandAt } from "./deno_args.ts";
import { checkEntrySets } from "./release_program_check.ts";

/** What a task's deno calls are checked against. */
export interface TaskContext {
  /** The manifest: `deno.json` "permissions". */
  readonly sets: Readonly<Record<string, unknown>>;
  /** The names of this `deno.json`'s tasks. */
  readonly tasks: ReadonlySet<string>;
}

/** Subcommands that run no project code and change no dependency, configuration or program. */
const NO_CODE = new Set(
  "fmt lint check info doc types cache coverage completions help list why audit".split(" "),
);

/** Subcommands that run with every permission whatever flags they get. */
const ALWAYS_ALL: Readonly<Record<string, string>> = {
  eval: "deno eval runs its code with every permission, whatever flags it is given; " +
    "put the code in a file and run it with deno run -P=<set>",
  jupyter:
    "the deno jupyter kernel runs with every permission; run notebooks outside deno.json tasks",
};

/** Subcommands that run code no file of the project holds, under any set. */
const ALWAYS_REFUSED: Readonly<Record<string, string>> = {
  repl: "deno repl runs whatever is typed or piped into it (and --eval or --eval-file code), " +
    "with the set's permissions; run a module of this project with deno run -P=<set> instead",
};

/**
 * Subcommands that install or run programs this check cannot see, or change
 * what later deno calls read (dependencies and their commands, deno.json,
 * the lock, deno itself).
 */
const CHANGES_SETUP = new Set(
  ("x install uninstall compile desktop add remove update outdated init create clean link " +
    "unlink approve-scripts upgrade vendor ci bump-version deploy sandbox publish pack bundle " +
    "transpile").split(" "),
);

/** Subcommands that run a task of that name when no file of that name exists. */
const RUNS_TASKS = new Set(["run"]);

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

/** `deno task` may only name a task of this deno.json, with `-q` at most. */
function checkTaskCall(
  where: string,
  tokens: readonly string[],
  at: number,
  context: TaskContext,
  findings: Finding[],
): void {
  let k = at + 1;
  while (tokens[k] === "-q" || tokens[k] === "--quiet") k++;
  const name = tokens[k];
  if (name === undefined || name.startsWith("-") || k + 1 < tokens.length) {
    const shown = tokens.slice(at).join(" ").slice(0, 80);
    findings.push({
      code: "config_override",
      where,
      message: `runs "deno ${shown}", which this check reads only as deno task <name> ` +
        "(flags such as --eval, --cwd, --filter and task arguments run commands it does not " +
        "read); write it as deno task <name>, naming a task of this deno.json",
    });
  } else if (!context.tasks.has(name)) {
    findings.push({
      code: "unknown_task",
      where,
      message: `runs "deno task ${name}", but this deno.json has no task "${name}", so deno ` +
        "would look for it in package.json scripts or a workspace; name a task of this deno.json",
    });
  }
}

/** `deno run X` runs the task or package.json script X when no file X exists. */
function checkModuleWord(
  where: string,
  sub: string,
  tokens: readonly string[],
  at: number,
  context: TaskContext,
  findings: Finding[],
): void {
  // `deno -P=thoth x.ts` names no subcommand: the word at `at` is the module itself.
  const from = FLAG_GOVERNED.has(tokens[at] as string) ? at + 1 : at;
  const rest = tokens.slice(from);
  const module = rest.find((t, k) =>
    !t.startsWith("-") && !/^-L$|^--log-level$/.test(rest[k - 1] ?? "")
  );
  if (module === undefined || module === "--" || looksLikeModule(module)) return;
  if (context.tasks.has(module)) return;
  findings.push({
    code: "unknown_task",
    where,
    message: `runs "deno ${sub} ${module}": when no file "${module}" exists, deno runs the ` +
      `task or package.json script of that name; name the module by its path ("./${module}"), ` +
      "and write flags that take a value as --flag=value",
  });
}

/**
 * `deno lint --fix` rewrites sources with fixes no reviewer has seen, and
 * `deno fmt` (without `--check`) rewrites each file it names: naming
 * deno.json, the lock, package.json, node_modules, .git or a place outside the
 * project changes what later deno calls read. A bare `deno fmt` formats what
 * deno.json's "fmt" settings name, the reviewed configuration.
 */
function checkRewrites(
  where: string,
  sub: string,
  tokens: readonly string[],
  at: number,
  findings: Finding[],
): void {
  const rest = tokens.slice(at + 1).filter((t) => t !== "--");
  if (sub === "lint") {
    if (!rest.includes("--fix")) return;
    findings.push({
      code: "rewrites_files",
      where,
      message: 'runs "deno lint --fix", which rewrites the project\'s sources with lint fixes ' +
        "that change code no reviewer has seen before it runs; run deno lint --fix by hand, " +
        "review and commit the change, and keep the task to deno lint",
    });
    return;
  }
  if (rest.includes("--check")) return;
  for (const word of rest) {
    if (word.startsWith("-")) continue;
    const problem = writeProblem(word);
    if (problem === undefined) continue;
    findings.push({
      code: "rewrites_files",
      where,
      message: `runs "deno fmt" on "${word}", which it rewrites in place and which ${problem}; ` +
        "name only source folders and files (or pass --check to only check the formatting)",
    });
  }
}

/**
 * Checks one `deno …` command (its words after any assignments and `!`),
 * pushing a finding for each way it could get more than `context.sets` names.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * const words = ["deno", "test", "-P=test", "-A"].map((text) => ({ text }));
 * checkDenoCall('task "test"', words, { sets: { test: {} }, tasks: new Set() }, findings);
 * findings.map((f) => f.code); // ["allow_all"]
 * ```
 */
export function checkDenoCall(
  where: string,
  words: readonly TaskWord[],
  context: TaskContext,
  findings: Finding[],
): void {
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
  const args = denoArgs(words.slice(1).map((w) => w.text));
  for (const bundle of args.bundles) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `bundles short flags in "${bundle}", which Deno reads by which letters take a ` +
        `value in each subcommand ("-PA" is -P -A); write each flag on its own, the set as ` +
        "-P=<set>",
    });
  }
  if (args.config !== undefined) {
    findings.push({
      code: "config_override",
      where,
      message: `reads its configuration from "${args.config}" (--config/-c), so -P=<set> and ` +
        "tasks come from a file this check did not read; drop --config, or check that file " +
        "with check_permissions.ts --config FILE and move the task there",
    });
  }
  for (const token of args.tokens) {
    const outside = outsideProject(token);
    if (outside === undefined) continue;
    findings.push({
      code: "outside_project",
      where,
      message: `passes deno "${token}", ${outside}: deno reads the permission sets of a ` +
        "deno.json beside a module outside this project (or inside .git, which this check " +
        "does not search); name files inside the project by relative paths",
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
  const at = subcommandAt(args.tokens);
  const word = at < 0 ? undefined : args.tokens[at] as string;
  const sub = word !== undefined && looksLikeModule(word) ? "run" : word;
  if (sub !== undefined && sub !== word) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `runs "${shown}" with no subcommand: deno reads "${word}" as deno run, a task or ` +
        "a subcommand depending on what exists when the task runs; name the subcommand, e.g. " +
        `deno run -P=<set> --no-prompt ${word}`,
    });
  }
  if (sub !== undefined) checkDenoFlags(where, sub, args.tokens, at, findings);
  if (sub === undefined) {
    findings.push({
      code: "allow_all",
      where,
      message: `runs "${shown}" with no subcommand, which starts a REPL with every ` +
        "permission (and runs whatever is piped into it); name the subcommand, e.g. deno " +
        "run -P=<set> file.ts",
    });
    return;
  }
  if (ALWAYS_ALL[sub] !== undefined) {
    findings.push({ code: "allow_all", where, message: ALWAYS_ALL[sub] as string });
    return;
  }
  if (ALWAYS_REFUSED[sub] !== undefined) {
    findings.push({ code: "foreign_code", where, message: ALWAYS_REFUSED[sub] as string });
    checkGrant(where, args.tokens, context.sets, findings);
    return;
  }
  if (sub === "task") {
    checkTaskCall(where, args.tokens, at, context, findings);
    checkGrant(where, args.tokens.slice(0, at), context.sets, findings);
    return;
  }
  if (CHANGES_SETUP.has(sub)) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `runs "deno ${sub}", which installs or runs programs this check cannot see, or ` +
        "changes dependencies, deno.json, the lock or deno itself for later deno calls; run " +
        "it by hand, outside deno.json tasks (the release build compiles in scripts/build.ts)",
    });
    checkGrant(where, args.tokens, context.sets, findings);
    return;
  }
  if (!FLAG_GOVERNED.has(sub) && !NO_CODE.has(sub)) {
    findings.push({
      code: "unreadable_task",
      where,
      message: `runs "deno ${sub}", a subcommand this check does not know the permissions ` +
        "of; run it outside deno.json tasks, or teach src/release/deno_call_check.ts about it",
    });
    return;
  }
  if (RUNS_TASKS.has(sub) && word === sub) {
    checkModuleWord(where, sub, args.tokens, at, context, findings);
  }
  if (sub === "fmt" || sub === "lint") checkRewrites(where, sub, args.tokens, at, findings);
  if (FLAG_GOVERNED.has(sub)) checkEntrySets(where, args.tokens, at, findings);
  checkGrant(where, args.tokens, context.sets, findings);
}
