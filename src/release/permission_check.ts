/**
 * The analysis behind `scripts/check_permissions.ts`: given the parsed
 * `deno.json` and the `deno compile` command lines the build would run, list
 * every way a task, a test config or a binary could get more than the
 * permission manifest says. Pure; the script only reads files and prints.
 *
 * This module checks the manifest itself (a set that grants every kind
 * unscoped is `-A` by another name; `permission_ceiling.ts` pins each set),
 * the `permissions` of the test,
 * bench, compile, run and serve configs, the compile command lines and the
 * shape of each task (a string, or `command` plus `dependencies` naming
 * tasks defined here); each task's text goes to `task_check.ts`, which lets
 * through only `deno` (each call checked by `deno_call_check.ts`) and
 * built-ins that run no program. What cannot be read with certainty is a
 * finding, not a pass. The files around deno.json (other configs,
 * package.json, the lock's npm commands) are `project_check.ts`'s.
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
import { describeGrant, grantOfFlags, grantOfSet, sameGrant } from "./permission_grants.ts";
import type { Finding } from "./permission_finding.ts";
import { launchFlagInEffect } from "../platform/source_launch_flags.ts";
import { checkTask, type TaskContext } from "./task_check.ts";
import { checkDenoFlags, v8FlagsProblem } from "./deno_flag_check.ts";
import { RELEASE_TARGETS } from "./targets.ts";

export type { Finding, FindingCode } from "./permission_finding.ts";

/** A `deno compile` command line the build would run, and the set it must bake in. */
export interface CompileCommand {
  /** A label for messages, e.g. the asset name. */
  readonly label: string;
  /** The manifest set this binary is built from (`"thoth"`, `"thothctl"`). */
  readonly set: string;
  /** The full argv, starting with the deno binary. */
  readonly argv: readonly string[];
}

const TASK_KEYS = new Set(["command", "dependencies", "description"]);

/** The kinds `-A` grants that a set can name; all of them unscoped is `-A` by another name. */
const EVERY_KIND = ["read", "write", "net", "env", "sys", "run", "ffi"] as const;

/**
 * Checks one task definition: a string, or an object with a string
 * `command` and `dependencies` naming tasks of this deno.json. Anything else
 * deno task might read differently is a finding.
 */
function checkTaskValue(
  name: string,
  value: unknown,
  context: TaskContext,
  findings: Finding[],
): void {
  const where = `task "${name}"`;
  if (typeof value === "string") {
    checkTask(where, value, context, findings);
    return;
  }
  const unreadable = (what: string) =>
    findings.push({
      code: "unreadable_task",
      where,
      message: `${what}; write the task as a string, or as { "command": "…", ` +
        '"dependencies": ["<task>"] } naming tasks of this deno.json',
    });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    unreadable("is neither a string nor an object");
    return;
  }
  const task = value as Record<string, unknown>;
  for (const key of Object.keys(task)) {
    if (!TASK_KEYS.has(key)) unreadable(`has the key "${key}", which this check does not read`);
  }
  const command = task["command"];
  if (typeof command === "string") checkTask(where, command, context, findings);
  else if (command !== undefined) unreadable('has a "command" that is not a string');
  const dependencies = task["dependencies"];
  if (dependencies === undefined) return;
  if (!Array.isArray(dependencies)) {
    unreadable('has "dependencies" that are not a list');
    return;
  }
  for (const dependency of dependencies) {
    if (typeof dependency === "string" && context.tasks.has(dependency)) continue;
    findings.push({
      code: "unknown_task",
      where,
      message: `depends on ${JSON.stringify(dependency)}, which is not a task of this ` +
        "deno.json (deno task would look in package.json scripts or a workspace); name a " +
        "task defined here",
    });
  }
}

/**
 * The flags without a value a release compile may carry, each one that
 * `COMPILE_FIXED_FLAGS` (`build_plan.ts`) holds, for the reasons given
 * there, and `--cached-only`, which only narrows what deno may fetch. Listed
 * here rather than imported, so that a flag added to the build fails this
 * check until a reviewer lists it here too.
 */
const COMPILE_BARE_FLAGS: ReadonlySet<string> = new Set(
  ("--no-check --frozen-lockfile --exclude-unused-npm --no-prompt --no-remote --cached-only " +
    "--unstable-worker-options").split(" "),
);

/** The flags with a value `planBuild` writes (as `--flag=value`), each judged by its value. */
const COMPILE_VALUE_FLAGS: ReadonlySet<string> = new Set(
  ["--config", "--import-map", "--include", "--target", "--output"],
);

/** What a compile finding asks for: the release build's flags and nothing else. */
const COMPILE_REMEDY =
  "drop it from the compile command (COMPILE_FIXED_FLAGS and planBuild in src/release/build_plan.ts)";

/** A permission flag, which the grant comparison below judges. */
function isPermissionWord(word: string): boolean {
  return /^--(?:allow|deny|ignore)-[a-z-]+(?:=|$)/.test(word) ||
    /^(?:-P|--permission-set)(?:=|$)/.test(word) || /^-[ARWNESI](?:=|$)/.test(word);
}

/** `/`-separated, for comparing paths a build on Windows joins with both separators. */
function slashed(path: string): string {
  return path.replaceAll("\\", "/");
}

/**
 * Whether `path` is a TypeScript module of the project at `root` (under
 * `under`, when given): `root/` then plain names, no `.`, `..`, empty or
 * dot-led segment (so nothing inside `.git`).
 */
function projectModule(root: string, path: string, under = ""): boolean {
  const prefix = `${slashed(root)}/${under}`;
  const value = slashed(path);
  if (!value.startsWith(prefix) || !value.endsWith(".ts")) return false;
  return value.slice(`${slashed(root)}/`.length).split("/").every((s) => /^[^.]/.test(s));
}

/**
 * The findings for one word of a compile command that is on no list: what
 * the task checks say of it (a weakened TLS, a debugger port, code from
 * elsewhere, a loosening V8 or lock flag), with the compile remedy, or a
 * finding of its own (`--env-file`, any other flag).
 */
function refuseCompileWord(where: string, word: string, findings: Finding[]): void {
  const found: Finding[] = [];
  checkDenoFlags(where, "compile", ["compile", word], 0, found);
  for (const f of found) {
    const cut = f.message.lastIndexOf(";");
    const what = cut < 0 ? f.message : f.message.slice(0, cut);
    findings.push({ ...f, message: `${what}, in every copy of the binary; ${COMPILE_REMEDY}` });
  }
  if (found.length > 0) return;
  if (/^--env(?:-file)?(?:=|$)/.test(word)) {
    findings.push({
      code: "deno_env",
      where,
      message: `passes "${word}", which has the binary load environment variables from a ` +
        "file, and those can set DENO_* variables that change how deno grants permissions; " +
        COMPILE_REMEDY,
    });
  } else {
    findings.push({
      code: "runtime_flag",
      where,
      message: `passes "${word}", which is not among the flags the release build compiles ` +
        "with, so this check cannot tell what it changes in the binary (--location, --cert, " +
        `--preload, --env-file, --no-lock and others loosen it on every machine); ${COMPILE_REMEDY}, ` +
        "or, if the build needs it, list it in src/release/permission_check.ts with the reason",
    });
  }
}

/**
 * Checks the words of a compile command by allowlist: the flags of
 * {@linkcode COMPILE_BARE_FLAGS}, permission flags (compared with the set
 * apart), `--v8-flags` that a task may pass, and once each `--config` naming
 * a `deno.json`, `--target` naming a release target, `--output`, and
 * `--import-map` in the `.stamp` folder beside the output; `--include` and
 * the entry must be modules of the project that `--config` names (`--include`
 * under its `src/`), and the entry is the last word (deno compile bakes the
 * words after it into the binary as the program's arguments). Anything else
 * is a finding.
 */
function checkCompileWords(compile: CompileCommand, findings: Finding[]): void {
  const where = `compile ${compile.label}`;
  const values = new Map<string, string[]>();
  // deno compile builds the first word that is not a flag and bakes the words after it in.
  const words = compile.argv.slice(2);
  const at = words.findIndex((w) => !w.startsWith("-"));
  const entry = at < 0 ? undefined : words[at] as string;
  for (const word of at < 0 ? words : words.slice(0, at)) {
    if (COMPILE_BARE_FLAGS.has(word) || isPermissionWord(word)) continue;
    const [, flag = "", value = ""] = /^(--[a-z0-9-]+)=(.*)$/.exec(word) ?? [];
    if (flag === "--v8-flags" && v8FlagsProblem(value) === undefined) continue;
    if (COMPILE_VALUE_FLAGS.has(flag) && value !== "") {
      values.set(flag, [...values.get(flag) ?? [], value]);
      continue;
    }
    refuseCompileWord(where, word, findings);
  }
  const mismatch = (message: string) =>
    findings.push({ code: "compile_mismatch", where, message: `${message}; ${COMPILE_REMEDY}` });
  for (const [flag, list] of values) {
    if (flag !== "--include" && list.length > 1) {
      mismatch(`passes ${flag} ${list.length} times (${list.map((v) => `"${v}"`).join(", ")})`);
    }
  }
  const one = (flag: string) => values.get(flag)?.at(-1);
  const target = one("--target");
  if (target !== undefined && !RELEASE_TARGETS.some((t) => t.triple === target)) {
    mismatch(`passes --target "${target}", which is not a release target (src/release/targets.ts)`);
  }
  const config = one("--config");
  const root = config !== undefined && /(?:^|[/\\])deno\.json$/.test(config)
    ? config.slice(0, -"/deno.json".length)
    : undefined;
  if (config !== undefined && root === undefined) {
    mismatch(`passes --config "${config}", which is not the project's deno.json`);
  }
  const output = one("--output");
  const importMap = one("--import-map");
  if (importMap !== undefined) {
    const folder = slashed(importMap).split("/").slice(0, -1).join("/");
    const stamp = output === undefined
      ? folder.endsWith("/.stamp")
      : folder === `${slashed(output).split("/").slice(0, -1).join("/")}/.stamp`;
    if (!stamp || !importMap.endsWith(".json")) {
      mismatch(
        `passes --import-map "${importMap}", which is not the build's stamped import map ` +
          "(a .json file in the .stamp folder beside the output), and decides which code " +
          "every import of the binary loads",
      );
    }
  }
  for (const include of values.get("--include") ?? []) {
    if (root !== undefined && projectModule(root, include, "src/")) continue;
    findings.push({
      code: "outside_project",
      where,
      message: `passes --include "${include}", ${
        root === undefined
          ? "and no --config names the project's deno.json, so"
          : `which is not a module under the project's src/ (${root}/src/), and`
      } deno compile embeds what --include names in the binary; include only modules of ` +
        "this project's src/ folder (BinarySpec.include in src/release/build_plan.ts)",
    });
  }
  if (entry === undefined) {
    mismatch("names no module to compile");
    return;
  }
  const baked = words.slice(at + 1);
  if (baked.length > 0) {
    mismatch(
      `bakes ${baked.slice(0, 3).map((w) => `"${w}"`).join(" ")}${
        baked.length > 3 ? ` and ${baked.length - 3} more word(s)` : ""
      } into the binary as the program's ` +
        `arguments (they follow the module "${entry}"), so every run of it gets them`,
    );
  }
  if (root !== undefined && !projectModule(root, entry)) {
    mismatch(`compiles "${entry}", which is not a module of the project (${root})`);
  }
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
    const grant = grantOfSet(set);
    if (grant["allow-all"] === true) {
      findings.push({
        code: "allow_all",
        where: `permission set "${name}"`,
        message: 'grants every permission ("all": true)',
      });
    } else if (EVERY_KIND.every((k) => grant[`allow-${k}`] === true && !grant[`deny-${k}`])) {
      findings.push({
        code: "allow_all",
        where: `permission set "${name}"`,
        message: `grants every permission kind (${EVERY_KIND.join(", ")}) without scope, which ` +
          "is the same as -A; grant only the kinds its program needs, scoped where it can",
      });
    }
  }

  const tasks = root["tasks"];
  if (typeof tasks === "object" && tasks !== null && !Array.isArray(tasks)) {
    const entries = Object.entries(tasks as Record<string, unknown>);
    const context = { sets, tasks: new Set(entries.map(([name]) => name)) };
    for (const [name, value] of entries) checkTaskValue(name, value, context, findings);
  } else if (tasks !== undefined) {
    findings.push({
      code: "unreadable_task",
      where: 'deno.json "tasks"',
      message: 'is not an object of tasks; write it as { "<name>": "<command>" }',
    });
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

  const lint = root["lint"];
  const plugins = typeof lint === "object" && lint !== null
    ? (lint as Record<string, unknown>)["plugins"]
    : undefined;
  if (plugins !== undefined && !(Array.isArray(plugins) && plugins.length === 0)) {
    findings.push({
      code: "ungoverned_grant",
      where: 'deno.json "lint.plugins"',
      message: "names lint plugins, which deno lint runs with read and env access that no " +
        "manifest set names; drop the plugins or run them from a script with -P=<set>",
    });
  }

  for (const compile of compiles) {
    const where = `compile ${compile.label}`;
    checkCompileWords(compile, findings);
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
    if (!compile.argv.slice(0, -1).includes("--no-prompt")) {
      findings.push({
        code: "no_prompt",
        where,
        message: "compiles without --no-prompt, so the binary asks at a terminal to grant what " +
          "its set leaves out; keep --no-prompt in COMPILE_FIXED_FLAGS (src/release/build_plan.ts)",
      });
    }
    if (!launchFlagInEffect(compile.argv.slice(0, -1), "--no-remote")) {
      findings.push({
        code: "remote_modules",
        where,
        message: "compiles without --no-remote, so the binary may embed modules fetched from " +
          "the network; keep --no-remote in COMPILE_FIXED_FLAGS (src/release/build_plan.ts)",
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
