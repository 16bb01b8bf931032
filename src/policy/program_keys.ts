/**
 * The argument keys that name the program a call runs, and those whose list
 * is its arguments: `{"command": "ssh", "args": […]}`, `{"executable":
 * "/bin/sh", "args": ["-c", …]}`, and, named more loosely, `{"name":
 * "bash", "args": […]}`, whose lists under other keys (`tags`) are not the
 * program's. Read by `ssh_remote_command.ts` and `approval_commands.ts`. Pure.
 *
 * @example
 * ```ts
 * const upper = (value: string) => value === "sh" ? "SH" : undefined;
 * namedProgram({ executable: "sh", args: ["-c", "ls"] }, upper); // { program: "SH", argvOnly: false }
 * namedProgram({ name: "sh", tags: ["x"] }, upper); // { program: "SH", argvOnly: true }
 * argvKey(true, "args"); // true
 * ```
 */

/** A key whose string value is the program a call runs (`command`, `cmd`, `program`). */
const PROGRAM_KEY = /^(?:command|cmd|program|prog|executable|exe|exec|bin|binary|file)$/i;

/**
 * A key whose string value names the program in a looser way (`{"name":
 * "ssh", …}`, `{"tool": "ssh", …}`): then only a list under an
 * {@linkcode ARGV_KEY} is the program's.
 */
const NAME_KEY = /^(?:name|tool|runner|shell)$/i;

/** A key whose list is a program's arguments. */
const ARGV_KEY =
  /^(?:args?|argv|arguments?|params|parameters|options|opts|cmd|command|cmd_?line|command_?line)$/i;

/**
 * What `read` makes of the program `object` names, and whether only a list
 * under a key such as `args` is its arguments (`argvOnly`: named by `name`,
 * `tool` and the like); the value of a key such as `command` or `program`
 * first. `undefined` when `read` makes nothing of any.
 */
export function namedProgram<T>(
  object: object,
  read: (value: string) => T | undefined,
): { program: T; argvOnly: boolean } | undefined {
  let named: { program: T; argvOnly: boolean } | undefined;
  for (const [key, child] of Object.entries(object)) {
    if (typeof child !== "string") continue;
    const program = PROGRAM_KEY.test(key);
    if (!program && (named !== undefined || !NAME_KEY.test(key))) continue;
    const found = read(child);
    if (found === undefined) continue;
    if (program) return { program: found, argvOnly: false };
    named = { program: found, argvOnly: true };
  }
  return named;
}

/** Whether a list under `key` is the program's arguments, given `argvOnly` (see {@linkcode namedProgram}). */
export function argvKey(argvOnly: boolean, key: string): boolean {
  return !argvOnly || ARGV_KEY.test(key);
}
