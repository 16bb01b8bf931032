/**
 * Reads the arguments of one `deno …` command of a task as deno would
 * ({@linkcode denoArgs}): `--config`/`-c` and `--env-file` noted, each
 * bundle of short flags listed and spread to one flag a letter; then where
 * its subcommand is ({@linkcode subcommandAt}), whether a word names a module
 * ({@linkcode looksLikeModule}), and which subcommands run code with exactly
 * the permission flags given ({@linkcode FLAG_GOVERNED}). Pure.
 *
 * @example
 * ```ts
 * const args = denoArgs(["-L", "info", "run", "-PA", "x.ts"]);
 * args.tokens; // ["-L", "info", "run", "-P", "-A", "x.ts"]
 * args.bundles; // ["-PA"]
 * subcommandAt(args.tokens); // 2
 * looksLikeModule("x.ts"); // true
 * ```
 */

/** Subcommands whose code runs with exactly the permission flags given. */
// `serve` is not here: it grants net for its own listen address whatever the set says.
// `repl` is not either: it runs whatever is typed or piped into it (see ALWAYS_REFUSED).
export const FLAG_GOVERNED = new Set("run watch test bench".split(" "));

export interface DenoArgs {
  /** The arguments, with each bundle of short flags spread to one flag a letter. */
  readonly tokens: string[];
  /** The file named by `--config`/`-c`, or `""` when it has no value here. */
  readonly config: string | undefined;
  readonly envFile: boolean;
  /** Bundles of short flags as written (`-PA`, `-gfA`, `-qP=x`). */
  readonly bundles: string[];
}

/**
 * Reads deno's arguments. A single short flag (`-A`, `-P=x`, `-c file`) is
 * kept; a bundle of them is listed, since what Deno makes of one depends on
 * which letters take a value in that subcommand, and spread to one flag a
 * letter so that an `A` inside it is still seen.
 */
export function denoArgs(args: readonly string[]): DenoArgs {
  const tokens: string[] = [];
  const bundles: string[] = [];
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
    // `--env` is a hidden alias of `--env-file`.
    if (/^--env(?:-file)?(?:=|$)/.test(arg)) envFile = true;
    if (!/^-[A-Za-z]/.test(arg)) {
      tokens.push(arg);
      continue;
    }
    const single = /^-([A-Za-z])(=.*)?$/.exec(arg);
    if (single === null) {
      bundles.push(arg);
      for (const letter of arg.slice(1).split("=")[0] as string) tokens.push(`-${letter}`);
    } else if (single[1] === "c") {
      config = single[2]?.slice(1) ?? args[k + 1] ?? "";
      if (single[2] === undefined) k++;
    } else tokens.push(arg);
  }
  return { tokens, config, envFile, bundles };
}

/** Where the subcommand is: the first token that is not a flag (skipping `-L`'s value). */
export function subcommandAt(tokens: readonly string[]): number {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as string;
    if (t === "--") return -1;
    if (t === "-L" || t === "--log-level") {
      k++;
      continue;
    }
    if (!t.startsWith("-")) return k;
  }
  return -1;
}

/** Whether `word` names a module (a path or a URL) rather than a subcommand or a task. */
export function looksLikeModule(word: string): boolean {
  return /[./\\]/.test(word) || /^(?:npm|jsr|https?|file|data):/.test(word);
}
