/** A fake CliIo and an in-process `thoth` with the config commands, for the CLI tests. */
import { Command } from "@commander-js/extra-typings";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { wrapConfigCommand } from "../../src/cli/wrap_config.ts";
import { unwrapConfigCommand } from "../../src/cli/unwrap_config.ts";
import { statusCommand } from "../../src/cli/status.ts";
import type { ConfigShellDeps } from "../../src/config/config_shell_deps.ts";

/** The fake thoth the fixtures use. */
export const THOTH = "/opt/thoth/bin/thoth";

/** Captured output of one run. */
export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `thoth ARGS` in-process with a temp working directory and fake machine facts. */
export async function thoth(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; deps?: Partial<ConfigShellDeps> },
): Promise<Run> {
  let out = "";
  let err = "";
  const io: CliIo = {
    env: { HOME: `${options.cwd}/home`, ...options.env },
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    stdoutIsTty: false,
    stdinIsTty: false,
    cwd: options.cwd,
    selfCommand: [THOTH],
    thothHome: `${options.cwd}/home/.thoth`,
    exitCode: 0,
  };
  const deps: ConfigShellDeps = {
    os: "linux",
    isFile: (path) => path === THOTH || path === "/usr/bin/mcp-clock",
    // Every program a config names is there (status --check looks them up on the PATH).
    isExecutable: () => Promise.resolve(true),
    ...options.deps,
  };
  const program = new Command("thoth")
    .addCommand(wrapConfigCommand(io, deps))
    .addCommand(unwrapConfigCommand(io, deps))
    .addCommand(statusCommand(io, deps));
  const code = await runProgram("thoth", program, args, io);
  return { code, out, err };
}

/** Runs `fn` with a fresh temp directory, removed afterwards. */
export async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Reads a config fixture. */
export function fixture(file: string): string {
  return Deno.readTextFileSync(new URL(`../fixtures/config/${file}`, import.meta.url));
}
