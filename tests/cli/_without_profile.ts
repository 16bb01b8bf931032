// thoth or thothctl run from source as for a user thoth finds no profile
// folder for: no HOME, no THOTH_HOME, and the password file out of reach.
import { CONFIG, DENO, ROOT } from "../e2e/_harness.ts";

/** `program ARGS` in `cwd` with no HOME, no THOTH_HOME and the password file out of reach. */
export function withoutProfile(
  program: string,
  args: readonly string[],
  cwd: string,
  stdin: "null" | "piped" = "null",
): Deno.Command {
  return new Deno.Command(DENO, {
    args: [
      "run",
      `-P=${program}`,
      "--no-prompt",
      "--deny-read=/etc/passwd",
      "--quiet",
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/${program}.ts`,
      ...args,
    ],
    cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`,
    },
    stdin,
    stdout: "piped",
    stderr: "piped",
  });
}
