/**
 * `ps` run by its absolute path, never found through `PATH`: the checks
 * that keep a model from answering its own approval request read the
 * process tree with it, and a caller that chooses `PATH` could put a `ps`
 * of its own first. It gets no variable of the caller's (`PS_FORMAT` and
 * the like change what it prints).
 *
 * @example
 * ```ts
 * const path = psPath();
 * const text = path === undefined ? undefined : await runPs(path, ["-o", "tty=", "-p", "1"]);
 * ```
 */

/** Where `ps` is looked for, in order: the first that is a file this process may run is used. */
export const PS_PATHS: readonly string[] = ["/bin/ps", "/usr/bin/ps"];

/**
 * The first of {@linkcode PS_PATHS} this process may run that is a file, or
 * undefined. A process that may not read the path (a CLI granted only its
 * profile) takes it on trust: running it tells.
 */
export function psPath(): string | undefined {
  for (const path of PS_PATHS) {
    try {
      if (Deno.permissions.querySync({ name: "run", command: path }).state !== "granted") {
        continue;
      }
    } catch {
      continue;
    }
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) return path;
      // Not there: the next one.
    }
  }
  return undefined;
}

/** `ps` at `path` with `args`: its output, or undefined when it could not run or failed. */
export async function runPs(path: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(path, {
      args: [...args],
      clearEnv: true,
      env: {},
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}
