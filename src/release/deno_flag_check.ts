/**
 * Checks the flags and words of one `deno …` call that matter whatever
 * permission set it names: a debugger port (`--inspect`, `--inspect-brk`,
 * `--inspect-wait`), through which whoever reaches it runs any code in the
 * process; code from outside the project (an `npm:`, `jsr:`, `https:` or
 * `data:` module, `-` for standard input, `--preload`/`--import`/
 * `--require`/`--import-map`/`--eval-file` naming a URL or a path outside the
 * project); a file deno itself writes (`--junit-path`, `--coverage`,
 * `--output`, `-o`) over deno.json, deno.lock, node_modules, .git or outside
 * the project; a flag that loosens the runtime under any set (`--cert` and
 * `--unsafely-ignore-certificate-errors` weaken TLS, `--location` shares an
 * origin's storage, `--v8-flags` beyond thoth's own); and a call that runs
 * code without `--no-prompt`, which at a terminal lets one keypress grant
 * what the set does not; and `deno cache`, `check`, `info` or `doc` given a
 * URL or package (`deno cache npm:x`), which fetches it and may rewrite
 * deno.lock. Pure; called by
 * `deno_call_check.ts` with deno's arguments read and the subcommand found.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkDenoFlags('task "a"', "run", ["run", "-P=s", "--inspect", "a.ts"], 0, findings);
 * findings.map((f) => f.code); // ["debugger", "no_prompt"]
 * ```
 */
import type { Finding } from "./permission_finding.ts";
import { writeProblem } from "./protected_path.ts";
import { THOTH_V8_FLAGS } from "../platform/v8_flags.ts";

/** Subcommands that run code, and so must not prompt. */
export const RUNS_CODE: ReadonlySet<string> = new Set(["run", "watch", "test", "bench"]);

/**
 * Subcommands that run no code but load the modules they are given, fetching
 * what is not cached and writing what they resolve into deno.lock.
 */
const LOADS_MODULES: ReadonlySet<string> = new Set(["cache", "check", "info", "doc"]);

/** Flags that take a value, given as `--flag=value` or `--flag value`. */
const VALUE_FLAGS = new Set(
  ("-L --log-level --junit-path --output -o --coverage-dir --import-map --preload --import " +
    "--require --eval-file --eval --reporter --seed --filter --location --cert --ext " +
    "--coverage-threshold --lock --conditions --node-modules-linker --min-dep-age " +
    "--inspect-publish-uid").split(" "),
);

/** Flags whose value is code deno loads, or decides which code an import loads. */
const CODE_FLAGS: Readonly<Record<string, string>> = {
  "--preload": "runs before the main module",
  "--import": "runs before the main module",
  "--require": "runs before the main module",
  "--eval-file": "runs when the REPL starts",
  "--import-map": "decides which code every import loads",
};

/** Flags whose value is a file or folder deno writes. */
const OUTPUT_FLAGS = new Set(["--junit-path", "--coverage", "--coverage-dir", "--output", "-o"]);

/**
 * Why `--lock=FILE` is refused: deno writes the lock file there, so it must
 * be the project's own `deno.lock` or a plain path inside the project.
 */
function lockProblem(value: string): string | undefined {
  if (/^(?:\.\/)?deno\.lock$/.test(value)) return undefined;
  return writeProblem(value);
}

const INSPECTOR = /^--inspect(?:-brk|-wait)?(?:=|$)/;

/**
 * The V8 flags a deno call may pass: those thoth itself runs with
 * ({@linkcode THOTH_V8_FLAGS}), a size among them with any number, and
 * `--max-old-space-size=<MiB>`. Everything else is refused, since V8 flags can
 * loosen the runtime under every permission set (`--allow-natives-syntax`
 * opens V8's internal functions to the code, `--no-…` turns a protection
 * off), and which of V8's hundreds of flags are harmless is not this check's
 * to guess.
 */
const THOTH_V8 = THOTH_V8_FLAGS.slice("--v8-flags=".length).split(",");
const V8_SIZED = new Set(
  THOTH_V8.filter((f) => /^--[a-z-]+=\d+$/.test(f)).map((f) => f.slice(0, f.indexOf("=")))
    .concat("--max-old-space-size"),
);

function v8FlagAllowed(flag: string): boolean {
  if (THOTH_V8.includes(flag)) return true;
  const sized = /^(--[a-z-]+)=\d+$/.exec(flag);
  return sized !== null && V8_SIZED.has(sized[1] as string);
}

/**
 * Why a `--v8-flags` value is refused, or undefined when every V8 flag in it
 * is one thoth runs with or a size cap (or there is none).
 *
 * @example
 * ```ts
 * v8FlagsProblem("--max-semi-space-size=4"); // undefined
 * v8FlagsProblem("--allow-natives-syntax"); // 'names the V8 flag "--allow-natives-syntax", …'
 * ```
 */
export function v8FlagsProblem(value: string | undefined): string | undefined {
  // deno reads --v8-flags' value only after "=", so a bare --v8-flags carries no flag.
  if (value === undefined) return undefined;
  const refused = value.split(",").filter((f) => f !== "" && !v8FlagAllowed(f));
  if (refused.length === 0) return undefined;
  return `names the V8 flag${refused.length > 1 ? "s" : ""} ${
    refused.map((f) => `"${f}"`).join(", ")
  }, which this check does not allow: V8 flags change the runtime under every permission ` +
    "set (--allow-natives-syntax hands the code V8's internal functions); pass only the V8 " +
    "flags thoth runs with (src/platform/v8_flags.ts) or --max-old-space-size=<MiB>";
}

/**
 * What a flag that loosens the runtime whatever the permission set does, by
 * flag, or undefined for other flags. `value` is the flag's value, if any.
 */
function looseningFlag(flag: string, value: string | undefined): Finding["code"] | undefined {
  if (flag === "--cert" || flag === "--unsafely-ignore-certificate-errors") return "weakened_tls";
  if (flag === "--location") return "runtime_flag";
  if (flag === "--no-lock" || flag === "--unstable-unsafe-proto") return "runtime_flag";
  if (flag === "--node-modules-dir" && value === "manual") return "runtime_flag";
  if (flag === "--vendor" && value !== "false") return "runtime_flag";
  if (flag === "--v8-flags") {
    return v8FlagsProblem(value) === undefined ? undefined : "runtime_flag";
  }
  return undefined;
}

function looseningMessage(flag: string, value: string | undefined): string {
  const shown = value === undefined ? flag : `${flag}=${value}`;
  switch (flag) {
    case "--cert":
      return `passes "${shown}", which makes deno trust another certificate authority for ` +
        "every TLS connection it makes (the program's fetches, npm and remote module " +
        "downloads), so whoever holds that authority's key can read and change them; drop " +
        "--cert and rely on the system's certificate store";
    case "--unsafely-ignore-certificate-errors":
      return `passes "${shown}", which turns off TLS certificate checks for ${
        value === undefined || value === "" ? "every host" : `the hosts ${value}`
      }, so anyone on the network path can read and change that traffic, code downloads ` +
        "included; drop the flag and fix the certificate instead";
    case "--no-lock":
      return `passes "${shown}", which turns off deno.lock's integrity check for npm ` +
        "packages and remote modules, so a package changed on the registry or in the cache " +
        "runs unnoticed; drop --no-lock";
    case "--unstable-unsafe-proto":
      return `passes "${shown}", which turns Object.prototype.__proto__ back on: a JSON key ` +
        '"__proto__" in what the program reads could then change an object\'s prototype; ' +
        "drop the flag";
    case "--node-modules-dir":
      return `passes "${shown}", which runs npm packages from node_modules as they are on ` +
        "disk, not as deno.lock records them; use --node-modules-dir=auto or none";
    case "--vendor":
      return `passes "${shown}", which runs remote modules from the vendor folder as they are ` +
        "on disk, where anyone who can write the project may change them; drop --vendor";
    case "--location":
      return `passes "${shown}", which gives the program that origin's localStorage (shared, ` +
        "with no permission asked, with every program run with the same --location) and " +
        "resolves relative fetch() and import URLs against it; drop --location";
    default:
      return `passes "${shown}", which ${v8FlagsProblem(value)}`;
  }
}

/** A URL scheme of two or more letters (`C:` is a drive, judged as a path). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/**
 * Why a deno argument names a place outside the project (absolute, `~`, a
 * drive, `..`, a `file:` URL, or inside `.git`), or undefined. Flags are not
 * looked at (their grants are checked against the set).
 */
export function outsideProject(token: string): string | undefined {
  if (token.startsWith("-")) return undefined;
  if (/^file:/i.test(token)) return "a file: URL";
  if (/^[/\\~]|^[A-Za-z]:/.test(token)) return "an absolute path";
  const segments = token.split(/[/\\]/);
  if (segments.includes("..")) return "a path that climbs out with ..";
  if (segments.some((s) => s.toLowerCase() === ".git")) return "a path inside .git";
  return undefined;
}

/** Whether `value` names code that is no file at all: standard input, a URL or a package. */
function isRemote(value: string): boolean {
  return value === "-" || (SCHEME.test(value) && !/^file:/i.test(value));
}

/** Why a module or code file named by `value` is from outside the project, or undefined. */
function foreignCode(value: string): string | undefined {
  if (value === "-") return "standard input";
  if (isRemote(value)) return `a URL or package (${value.slice(0, value.indexOf(":") + 1)})`;
  return outsideProject(value);
}

interface FlagWord {
  /** The flag, without its value: `--output`. */
  readonly flag: string;
  /** Its value, or undefined when it has none here. */
  readonly value: string | undefined;
}

/** Reads `tokens[k]` as a flag and its value (`--f=v`, or `--f v` for a flag that takes one). */
function flagAt(tokens: readonly string[], k: number): FlagWord & { readonly next: boolean } {
  const token = tokens[k] as string;
  const eq = token.indexOf("=");
  if (token.startsWith("-") && eq > 0) {
    return { flag: token.slice(0, eq), value: token.slice(eq + 1), next: false };
  }
  if (VALUE_FLAGS.has(token) && k + 1 < tokens.length && tokens[k + 1] !== "--") {
    return { flag: token, value: tokens[k + 1], next: true };
  }
  return { flag: token, value: undefined, next: false };
}

/**
 * Pushes a finding for each debugger port, code from outside the project,
 * protected file written, and missing `--no-prompt` in one deno call.
 * `tokens` are deno's arguments (bundles spread), `at` the subcommand's index
 * in them, `sub` the subcommand (`"run"` for a module named without one).
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkDenoFlags('task "t"', "test", ["test", "-P=t", "--no-prompt", "--coverage=node_modules"], 0, findings);
 * findings[0]?.code; // "protected_path"
 * ```
 */
export function checkDenoFlags(
  where: string,
  sub: string,
  tokens: readonly string[],
  at: number,
  findings: Finding[],
): void {
  const runsCode = RUNS_CODE.has(sub);
  let noPrompt = false;
  let firstWord = -1;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k] as string;
    if (token === "--") break;
    if (INSPECTOR.test(token)) {
      findings.push({
        code: "debugger",
        where,
        message: `opens a debugger port ("${token}"), through which anyone who reaches it runs ` +
          "any code in the process, whatever the permission set says; debug by hand, outside " +
          "deno.json tasks",
      });
      continue;
    }
    if (!token.startsWith("-") || token === "-") {
      if (k > at && firstWord < 0) firstWord = k;
      // A file: URL or a path outside the project is deno_call_check.ts's outside_project.
      if (runsCode && k > at && isRemote(token)) {
        const from = foreignCode(token);
        findings.push({
          code: "foreign_code",
          where,
          message: `runs "${token}", ${from}: code from outside the project that this check ` +
            "cannot read; run a module of this project by its relative path (and write flags " +
            "that take a value as --flag=value)",
        });
      } else if (LOADS_MODULES.has(sub) && k > at && isRemote(token)) {
        findings.push({
          code: "foreign_code",
          where,
          message: `has "deno ${sub}" load "${token}", ${foreignCode(token)}: deno fetches ` +
            "it and writes what it resolves into deno.lock, which later calls trust; name " +
            "modules of this project by their relative paths, and add dependencies to " +
            "deno.json imports by hand",
        });
      }
      continue;
    }
    if (token === "--no-prompt" && (firstWord < 0 || sub !== "run")) noPrompt = true;
    const { flag, value, next } = flagAt(tokens, k);
    if (next) k++;
    const loosening = looseningFlag(flag, value);
    if (loosening !== undefined) {
      findings.push({ code: loosening, where, message: looseningMessage(flag, value) });
    }
    if (value === undefined) continue;
    const role = Object.hasOwn(CODE_FLAGS, flag) ? CODE_FLAGS[flag] : undefined;
    const from = role === undefined ? undefined : foreignCode(value);
    if (from !== undefined) {
      findings.push({
        code: isRemote(value) ? "foreign_code" : "outside_project",
        where,
        message: `passes ${flag} "${value}", ${from}, whose code ${role}; name a file of this ` +
          "project by its relative path",
      });
    }
    const problem = flag === "--lock"
      ? lockProblem(value)
      : OUTPUT_FLAGS.has(flag) && !(flag === "--junit-path" && value === "-")
      ? writeProblem(value)
      : undefined;
    if (problem !== undefined) {
      findings.push({
        code: "protected_path",
        where,
        message: `has deno write ${flag} "${value}", which ${problem}; write reports and ` +
          "output to a plain folder inside the project, such as dist/ or coverage/",
      });
    }
  }
  if (runsCode && !noPrompt) {
    findings.push({
      code: "no_prompt",
      where,
      message: `runs "deno ${sub}" without --no-prompt, so at a terminal deno asks to grant ` +
        "what the permission set leaves out and one keypress widens it; add --no-prompt " +
        (sub === "run" ? "before the module" : "to its flags"),
    });
  }
}
