/**
 * The policy `thoth policy check` and `thoth policy explain` work on, read
 * and compiled as `thoth run` reads it: one another user can change is
 * refused, a FIFO or a device is not read, a broken link is a broken
 * policy, no file at all is the built-in default, and thoth's own files,
 * the client configs and the given `bases` are protected as in a session.
 * With the options it was compiled with (for its disabled rules) and its
 * `policyHash`, the one `thoth run`'s decision records carry.
 *
 * @example
 * ```ts
 * const loaded = await loadPolicy(io, "./policy.jsonc");
 * loaded.builtIn; // false
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import {
  type GoverningFile,
  governingFileTrust,
  readTrustedFile,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import { MAX_POLICY_FILE_BYTES, policyFileText } from "../policy/policy_shape.ts";
import { policyTooLargeRemedy } from "../policy/policy_too_large.ts";
import { FileOverLimitError } from "../platform/read_regular_file.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import { compilePolicy } from "../policy/compile_policy.ts";
import { profileFolders } from "../policy/own_files.ts";
import type { CompiledPolicy } from "../policy/compiled_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../policy/default_policy.ts";
import type { CliIo } from "./cli_io.ts";
import {
  realFolder,
  sessionClientConfigs,
  sessionHomeFolder,
  variableFolders,
} from "./prepare_session.ts";
import { governingFilePaths } from "../config/governing_file_paths.ts";
import { requireProfileFolder } from "../identity/thoth_home_folder.ts";
import type { CompileOptions } from "../policy/compile_policy.ts";
import { policyHash } from "../audit/policy_hash.ts";

/** A policy as `thoth policy check` and `explain` read it. */
export interface LoadedPolicy {
  policy: CompiledPolicy;
  /** The path read (or looked at, when `builtIn`). */
  file: string;
  /** No file there: the built-in default stands in, as thoth run writes it. */
  builtIn: boolean;
  /** What `policy` was compiled with. */
  compileOptions: CompileOptions;
  /** The SHA-256 of the file's bytes (of the default's, when `builtIn`), as decision records carry it. */
  policyHash: string;
}

/**
 * The policy at `file` (the profile's `policy.jsonc` when undefined),
 * compiled with relative paths resolved in `bases`; `builtIn` when there
 * was none and the default stands in.
 */
export async function loadPolicy(
  io: CliIo,
  file: string | undefined,
  bases: readonly string[] = [],
): Promise<LoadedPolicy> {
  if (file === undefined) await requireProfileFolder(io.thothHome, io.env);
  const path = file ?? `${io.thothHome}/policy.jsonc`;
  // Judged as thoth run judges it: a policy another user can change is refused, not explained.
  const governing: GoverningFile = {
    kind: "policy",
    path,
    thothHome: io.thothHome,
    named: file !== undefined,
  };
  const trust = await governingFileTrust(governing);
  const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
  if (refusal !== null) throw refusal;
  let bytes: Uint8Array | undefined;
  let builtIn = false;
  try {
    // A FIFO or a device would block the read for ever, as thoth run knows; and only up to
    // what a policy can hold, as thoth run reads it.
    bytes = await readTrustedFile(governing, trust, MAX_POLICY_FILE_BYTES);
  } catch (error) {
    if (isAppError(error, "policy.untrusted")) throw error;
    // A link there that leads to no file is a broken policy, which thoth run refuses: never
    // checked or explained as the built-in default.
    const broken = file === undefined && error instanceof Deno.errors.NotFound
      ? missingPolicyProblem(path)
      : null;
    if (broken !== null) throw broken;
    if (file === undefined && error instanceof Deno.errors.NotFound) {
      builtIn = true;
    } else {
      throw new AppError(
        "policy.unreadable",
        `cannot read policy "${path}": ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, hints: [unreadableRemedy(error, path, file === undefined)] },
      );
    }
  }
  // Strictly UTF-8: a byte in another encoding is refused, never read as U+FFFD.
  const text = bytes === undefined ? DEFAULT_POLICY_JSONC : policyFileText(bytes, path);
  const home = await sessionHomeFolder(io.env);
  // thoth's own files are protected as thoth run protects them.
  const real = await realFolder(io.thothHome);
  const read = {
    home,
    os: Deno.build.os,
    bases,
    ownFolders: profileFolders(io.thothHome, real),
    governingFiles: await governingFilePaths({
      thothHome: io.thothHome,
      thothHomeReal: real,
      policyFile: path,
      cwd: io.cwd,
    }),
    clientConfigs: sessionClientConfigs(io.env, home, await realFolder(home)),
    variableFolders: variableFolders(io.env),
  };
  return {
    policy: compilePolicy(parsePolicy(text, path), read),
    file: path,
    builtIn,
    compileOptions: read,
    policyHash: policyHash(bytes ?? new TextEncoder().encode(DEFAULT_POLICY_JSONC)),
  };
}

/** What to do about a policy that cannot be read: too large, no file, or else its path. */
function unreadableRemedy(error: unknown, path: string, profile: boolean): string {
  if (error instanceof FileOverLimitError) {
    return profile
      ? policyTooLargeRemedy(path, { profile })
      : "a policy this large is almost certainly not the intended file: check the path, or " +
        "trim the file";
  }
  if (error instanceof Deno.errors.InvalidData) {
    return profile
      ? `"${path}" must be a policy file: move what is there aside and thoth run writes the ` +
        "default policy in its place"
      : "give the path of a policy file (a folder or a device is none)";
  }
  return "check the path and its permissions";
}
