/**
 * What the config commands need from the machine besides `CliIo`, passed in
 * so tests can fake the OS, the file checks and a change on disk mid-write.
 *
 * @example
 * ```ts
 * const deps = denoConfigShellDeps();
 * deps.isFile("/bin/sh"); // true
 * ```
 */
import { isFile } from "../platform/is_file.ts";
import type { ExecutableCheck } from "../platform/find_executable.ts";

/** The machine facts and hooks of `wrap-config`, `unwrap-config` and `status`. */
export interface ConfigShellDeps {
  /** The OS, as `Deno.build.os` names it. */
  os: string;
  /** Whether a path names an existing file. */
  isFile: (path: string) => boolean;
  /**
   * Whether a path names a program that can be run, for the `PATH` lookups
   * of `status --check` (`isExecutableFile` when absent).
   */
  isExecutable?: ExecutableCheck | undefined;
  /** Test hook: runs after the new config is staged, before the final check and rename. */
  beforeCommit?: () => void | Promise<void>;
  /** Test hook: the password file's text, for a config owner's home (default: `/etc/passwd`). */
  readPasswd?: () => string;
}

/** The real machine. */
export function denoConfigShellDeps(): ConfigShellDeps {
  return { os: Deno.build.os, isFile };
}
