/**
 * The checks of a `deno …` command that runs a release program from source
 * ({@linkcode checkEntrySets}): a program's entry (or `mod.ts`) may only be
 * run with the set it ships with, and it, or any module run with a release
 * program's set, only with `--no-remote`, `--cached-only` and
 * `--frozen-lockfile` in effect before it ({@linkcode PROGRAM_FLAGS}). Pure:
 * pushes findings.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkEntrySets('task "dev"', ["run", "-P=test", "src/cli/thoth.ts"], 0, findings);
 * findings.map((f) => f.code); // ["remote_modules", "remote_modules", "remote_modules", "wrong_set"]
 * ```
 */
import { grantOfFlags } from "./permission_grants.ts";
import type { Finding } from "./permission_finding.ts";
import { type BinarySpec, RELEASE_BINARIES } from "./build_plan.ts";
import { launchFlagCancels, launchFlagInEffect } from "../platform/source_launch_flags.ts";
import { FLAG_GOVERNED } from "./deno_args.ts";

/** A relative path as deno would open it on any platform: `/`-separated, no `.`, lower case. */
function projectPath(token: string): string {
  return token.split(/[/\\]/).filter((s) => s !== "" && s !== ".")
    .map((s) => s.replace(/[. ]+$/, "").toLowerCase()).join("/");
}

/** A module that runs a release program when deno runs it: its entry, or `mod.ts` (thoth). */
function programOf(path: string): BinarySpec | undefined {
  const binary = RELEASE_BINARIES.find((b) => projectPath(b.entry) === path);
  if (binary !== undefined) return binary;
  // mod.ts, run as the main module, is the thoth CLI.
  return path === "mod.ts" ? RELEASE_BINARIES.find((b) => b.name === "thoth") : undefined;
}

/** The flags a release program must run with from source, and why (see `launchFlagInEffect`). */
const PROGRAM_FLAGS: readonly (readonly [string, string])[] = [
  [
    "--no-remote",
    "so deno fetches modules from the network for it: a dynamic import() of https://esm.sh/…, " +
    "jsr:… or https://deno.land/… loads even in the sandboxed proxy core, whose Worker " +
    "grants no import",
  ],
  [
    "--cached-only",
    'so an import("npm:…") in it, which no Worker permission stops, has deno ask the npm ' +
    "registry for the package it names (even with --frozen-lockfile), a connection out " +
    "whose package name can carry data",
  ],
  [
    "--frozen-lockfile",
    'so an import("npm:…") in it, which no Worker permission stops, may write a package ' +
    "into deno.lock",
  ],
];

/**
 * Pushes a `remote_modules` finding for each of {@linkcode PROGRAM_FLAGS}
 * not in effect in `before`, deno's words before the module `what` names,
 * read as deno reads them: a later `--frozen=false` cancels an earlier
 * `--frozen-lockfile`, and so does an earlier one (see `launchFlagInEffect`).
 */
function checkProgramFlags(
  where: string,
  what: string,
  before: readonly string[],
  findings: Finding[],
): void {
  for (const [flag, why] of PROGRAM_FLAGS) {
    if (launchFlagInEffect(before, flag)) continue;
    const cancels = launchFlagCancels(before, flag).map((w) => `"${w}"`).join(", ");
    const off = cancels === "" ? "" : ` in effect (${cancels} turns it off)`;
    const drop = cancels === "" ? "" : `drop ${cancels} and `;
    findings.push({
      code: "remote_modules",
      where,
      message: `runs ${what} without ${flag}${off}, ${why}; ${drop}add ${flag} before the module`,
    });
  }
}

/**
 * A release program's entry (`src/cli/thoth.ts`, or `mod.ts`, which runs
 * the thoth CLI as the main module) may only name the set it ships with: run
 * with another set, a task tests or uses it with other permissions than its
 * users get (`-P=test` or `-P=thoth` on thothctl's entry grants it programs
 * and the network). And it must be run with `--no-remote`, `--cached-only`
 * and `--frozen-lockfile` in effect before it (the second keeps an
 * `import("npm:…")` from asking the npm registry for a package it names, the
 * third from writing deno.lock): without the first deno fetches a
 * dynamic `import()` of its default hosts (`https://esm.sh/…`, `jsr:…`,
 * `https://deno.land/…`) even for the proxy core's Worker, which grants no
 * import, so the sandboxed core could load code from, and open connections
 * to, the network.
 *
 * The same holds for any call that names a release program's set (`thoth`,
 * `thothctl`), whatever module it runs: those sets exist to run the release
 * programs, and a module of this project that imports an entry (a wrapper)
 * runs the program with them. The module is then the first word after the
 * subcommand that is not a flag.
 */
export function checkEntrySets(
  where: string,
  tokens: readonly string[],
  at: number,
  findings: Finding[],
): void {
  const { sets: named } = grantOfFlags(tokens);
  let entries = 0;
  for (const [k, token] of tokens.entries()) {
    if (token.startsWith("-")) continue;
    const binary = programOf(projectPath(token));
    if (binary === undefined) continue;
    entries++;
    checkProgramFlags(
      where,
      `"${token}", the ${binary.name} program,`,
      tokens.slice(0, k),
      findings,
    );
    // With no set it gets only the flags it is given, which checkGrant judges.
    if (named.every((n) => n === binary.set)) continue;
    const given = named.map((n) => `"${n}"`).join(", ");
    findings.push({
      code: "wrong_set",
      where,
      message: `runs "${token}", the ${binary.name} program, with permission set ${given}, ` +
        `but it ships with set ` +
        `"${binary.set}" (src/release/build_plan.ts), so the task runs it with other ` +
        `permissions than its users get; run it with -P=${binary.set}`,
    });
  }
  if (entries > 0) return;
  const sets = named.filter((n) => RELEASE_BINARIES.some((b) => b.set === n));
  if (sets.length === 0) return;
  // `deno -P=thoth x.ts` names no subcommand: the word at `at` is the module itself.
  const from = FLAG_GOVERNED.has(tokens[at] as string) ? at + 1 : at;
  const rest = tokens.slice(from);
  const k = rest.findIndex((t, j) =>
    t === "--" || (!t.startsWith("-") && !/^-L$|^--log-level$/.test(rest[j - 1] ?? ""))
  );
  const module = k < 0 || rest[k] === "--" ? undefined : rest[k];
  const before = k < 0 ? tokens : tokens.slice(0, from + k);
  const what = `${module === undefined ? "deno" : `"${module}"`} with permission set ` +
    `${sets.map((n) => `"${n}"`).join(", ")}, which exists to run the release programs,`;
  checkProgramFlags(where, what, before, findings);
}
