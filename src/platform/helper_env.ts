/**
 * The environment of a helper program thoth starts for itself (`ps`,
 * `readlink`, `cat`, `ioreg`, `reg`): `PATH`, and on Windows `SystemRoot`
 * (which Windows' own programs need), with nothing else of thoth's. A helper
 * found through `PATH` may be any program a folder on it holds; it gets no
 * API key, token or other variable of thoth's to read. A variable this
 * process may not read is left out. Use it with `clearEnv: true`.
 *
 * @example
 * ```ts
 * await new Deno.Command("ps", { args: ["-o", "ppid=", "-p", "1"], clearEnv: true, env: helperEnv() })
 *   .output();
 * ```
 */

/** The variables a helper keeps, when set. */
const KEPT: Readonly<Record<string, readonly string[]>> = {
  windows: ["PATH", "SystemRoot"],
};

/** `PATH` (and on Windows `SystemRoot`) of this process's environment, as far as it may read them. */
export function helperEnv(os: string = Deno.build.os): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of KEPT[os] ?? ["PATH"]) {
    try {
      if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") continue;
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // Not readable here: the helper goes without it.
    }
  }
  return env;
}
