/**
 * The analysis behind `scripts/check_permissions.ts`: given the parsed
 * `deno.json` and the `deno compile` command lines the build would run, list
 * every way a task, a test config or a binary could get more than the
 * permission manifest says. Pure; the script only reads files and prints.
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
  | "no_manifest";

/** One problem, with where it is. */
export interface Finding {
  readonly code: FindingCode;
  /** `task "test"`, `compile thoth-linux-arm64`, `deno.json "test.permissions"`. */
  readonly where: string;
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

const DENO_SUBCOMMANDS_WITH_PERMISSIONS = new Set([
  "run",
  "test",
  "bench",
  "compile",
  "serve",
  "eval",
  "repl",
  "install",
  "jupyter",
  "x",
]);

/** Splits a task string into commands (at `&&`, `||`, `;`, `|`) and each into words. */
export function splitTaskCommand(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | null = null;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === " " || c === "\t" || c === "\n") {
      endWord();
    } else if (c === ";" || c === "|" || (c === "&" && text[i + 1] === "&")) {
      if (c !== ";" && text[i + 1] === c) i++;
      endCommand();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function isDeno(word: string): boolean {
  const base = word.split(/[\\/]/).pop() ?? "";
  return base === "deno" || base === "deno.exe";
}

function taskText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const command = (value as Record<string, unknown>)["command"];
    if (typeof command === "string") return command;
  }
  return undefined;
}

function checkInvocation(
  where: string,
  words: readonly string[],
  sets: Readonly<Record<string, unknown>>,
  findings: Finding[],
): void {
  const { grant, sets: named, unknown } = grantOfFlags(words.slice(2));
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
 * Every finding for a `deno.json` object and the build's compile commands.
 * An empty list means the tasks, the test config and the binaries get no more
 * than the manifest names.
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
      if (text === undefined) continue;
      for (const words of splitTaskCommand(text)) {
        const [first = "", sub = ""] = words;
        if (!isDeno(first)) continue;
        if (!DENO_SUBCOMMANDS_WITH_PERMISSIONS.has(sub) && !sub.startsWith("-")) continue;
        checkInvocation(`task "${name}"`, words, sets, findings);
      }
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
