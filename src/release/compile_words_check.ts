/**
 * The words of a `deno compile` command line, for the permission check,
 * judged by allowlist: the release build's own flags, permission flags (which
 * `permission_check.ts` compares with the binary's set), and `--config`,
 * `--target`, `--output`, `--import-map`, `--include` and the entry, each
 * where the build puts it. Any other word is a finding.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkCompileWords({
 *   label: "thoth-x",
 *   set: "thoth",
 *   argv: ["deno", "compile", "--no-prompt", "--cert=ca.pem", "/p/src/cli/thoth.ts"],
 * }, findings);
 * findings.map((f) => f.code); // ["weakened_tls"]
 * ```
 */
import type { CompileCommand } from "./compile_command.ts";
import type { Finding } from "./permission_finding.ts";
import { checkDenoFlags, v8FlagsProblem } from "./deno_flag_check.ts";
import { RELEASE_TARGETS } from "./targets.ts";

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

/** A permission flag, which the grant comparison in `permission_check.ts` judges. */
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
        "or, if the build needs it, list it in src/release/compile_words_check.ts with the reason",
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
export function checkCompileWords(compile: CompileCommand, findings: Finding[]): void {
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
