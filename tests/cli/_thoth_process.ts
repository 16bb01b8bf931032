/**
 * The real `thoth` or `thothctl` as a subprocess, for the CLI tests that need
 * its manifest permissions and its own process: run from source, in a clean
 * environment (this process's, without thoth's own variables, with Deno's
 * cache pinned where it is now since tests move HOME). A child still running
 * after `timeoutMs` is killed and the run fails: a command that hangs is a bug.
 */
import assert from "node:assert/strict";
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { USER_DENO_DIR } from "../platform/_as_nobody.ts";

/** The environment every run starts from. */
export const CLEAN_ENV: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) =>
      !name.startsWith("THOTH_") && name !== "INTUNE_DEVICE_ID" && name !== "JAMF_COMPUTER_ID"
    ),
  ),
  DENO_DIR: USER_DENO_DIR,
};

/** How to run it. */
export interface ThothProcessOptions {
  /** Added to {@linkcode CLEAN_ENV}. */
  env: Record<string, string>;
  cwd: string;
  /** Written to its stdin, then closed; without it stdin is empty. */
  stdin?: string;
  program?: "thoth" | "thothctl";
  timeoutMs?: number;
}

/** Runs `program ARGS` and returns its exit code and output. */
export async function runThoth(
  args: readonly string[],
  options: ThothProcessOptions,
): Promise<{ code: number; out: string; err: string }> {
  const program = options.program ?? "thoth";
  const child = new Deno.Command(DENO, {
    args: [
      "run",
      `-P=${program}`,
      "--quiet",
      V8_FLAGS,
      `--config=${CONFIG}`,
      `${ROOT}/src/cli/${program}.ts`,
      ...args,
    ],
    cwd: options.cwd,
    clearEnv: true,
    env: { ...CLEAN_ENV, ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 60_000);
  try {
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin));
      await writer.close();
    }
    const output = await child.output();
    assert.ok(!killed, `${program} ${args.join(" ")} hung`);
    const dec = new TextDecoder();
    return { code: output.code, out: dec.decode(output.stdout), err: dec.decode(output.stderr) };
  } finally {
    clearTimeout(timer);
  }
}
