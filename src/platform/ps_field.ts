/**
 * One field `ps` reports about one process (`ps -o FIELD= -p PID`): its text,
 * `"gone"` when no process has that pid, or `undefined` when `ps` cannot say
 * (it could not run, or failed in some other way). Deno lets only a process
 * with every permission read `/proc`, so `ps` is how thoth learns about
 * another process on Linux and macOS. `ps` is found through `PATH` and gets
 * only `PATH` of thoth's environment (see `helper_env.ts`): never a credential.
 *
 * @example
 * ```ts
 * await psField(1234, "ppid"); // "1200", "gone" or undefined
 * ```
 */
import { helperEnv } from "./helper_env.ts";

/** What `ps` says of field `field` of process `pid` (trimmed). */
export async function psField(pid: number, field: string): Promise<string | "gone" | undefined> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("ps", {
      args: ["-o", `${field}=`, "-p", String(pid)],
      clearEnv: true,
      env: helperEnv(),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch {
    return undefined;
  }
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) {
    // No such process: `ps` prints nothing and fails. Anything else is a `ps` that cannot say.
    return text === "" && out.stderr.length === 0 ? "gone" : undefined;
  }
  return text;
}
