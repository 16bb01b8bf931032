/**
 * The real `thoth` from source, run with a limit on the size of any file it
 * writes (util-linux `prlimit --fsize`), for the tests of a write that cannot
 * finish: with `full` the limit acts as a full disk does (a write past it
 * fails with an error: the signal the kernel sends is ignored, through GNU
 * `env --ignore-signal`); without it the process is killed mid-write, as
 * `kill -9` would. Linux only, where both tools are. Deno's own caches are
 * files too, which the limit would meet: the run uses a cache folder of its
 * own ({@linkcode privateDenoDir}, warmed by a run without the limit first)
 * and no V8 code cache.
 */
import { CLEAN_ENV } from "./_thoth_process.ts";
import { linkNpmPackages } from "../platform/_as_nobody.ts";
import { CONFIG, DENO, ROOT, V8_FLAGS } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";

function works(command: string, args: string[]): boolean {
  try {
    return new Deno.Command(command, { args, stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** Whether {@linkcode thothLimited} can run here. */
export const CAN_LIMIT_FILE_SIZE = Deno.build.os === "linux" &&
  works("/usr/bin/prlimit", ["--fsize=1000000", "true"]) &&
  works("/usr/bin/env", ["--ignore-signal=XFSZ", "true"]);

/**
 * A Deno cache folder of the caller's own, its npm packages hard-linked from
 * the usual one: pass it as `DENO_DIR` to a run without the limit first, so
 * that the limited run finds every cache written.
 */
export async function privateDenoDir(): Promise<string> {
  const dir = await tempFolder("thoth-deno-dir-");
  await linkNpmPackages(dir);
  return dir;
}

/**
 * Runs `thoth ARGS` with files limited to `bytes`; killed past it unless
 * `full`. `env` must name a warmed {@linkcode privateDenoDir} as `DENO_DIR`.
 */
export async function thothLimited(
  args: readonly string[],
  options: { bytes: number; full: boolean; env: Record<string, string>; cwd: string },
): Promise<{ code: number; signal: Deno.Signal | null; out: string; err: string }> {
  const thoth = [
    DENO,
    "run",
    "-P=thoth",
    "--quiet",
    "--cached-only",
    "--no-code-cache",
    V8_FLAGS,
    `--config=${CONFIG}`,
    `${ROOT}/src/cli/thoth.ts`,
    ...args,
  ];
  const output = await new Deno.Command("/usr/bin/prlimit", {
    args: [
      `--fsize=${options.bytes}`,
      ...(options.full ? ["/usr/bin/env", "--ignore-signal=XFSZ"] : []),
      ...thoth,
    ],
    cwd: options.cwd,
    clearEnv: true,
    env: { ...CLEAN_ENV, ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    signal: output.signal,
    out: decoder.decode(output.stdout),
    err: decoder.decode(output.stderr),
  };
}
