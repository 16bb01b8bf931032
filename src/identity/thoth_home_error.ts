/**
 * The refusals for a profile thoth cannot use, worded the same for every
 * command. Pure.
 *
 * - {@linkcode thothHomeError}: a `THOTH_HOME` that is not an absolute path
 *   on this OS: `~/.thoth` (which no shell expanded) or `C:\Users\ana\.thoth`
 *   on Linux would put the profile under whatever folder thoth was started
 *   in. Every command checks it before it writes anything.
 * - {@linkcode profileNotFolderError}: a profile path that is there but is
 *   no folder (a file, or a path through a file), named as `THOTH_HOME` when
 *   that variable set it; the commands that read the profile check it
 *   (`thoth_home_folder.ts`) before they read, rather than fail on a path
 *   inside it.
 *
 * @example
 * ```ts
 * thothHomeError({ THOTH_HOME: "~/.thoth" }, "linux")?.code; // "identity.invalid_env"
 * thothHomeError({ THOTH_HOME: "/home/ana/.thoth" }, "linux"); // null
 * profileNotFolderError("/tmp/home", { THOTH_HOME: "/tmp/home" }, "it is a file").message;
 * // 'THOTH_HOME "/tmp/home" is not a folder: it is a file'
 * ```
 */
import { AppError } from "../errors.ts";
import { absolutePathRule, isAbsolutePath } from "./_env_rules.ts";
import { showEnvValue } from "./shown_env_value.ts";

/** The error for a set `THOTH_HOME` that is not absolute on `os`; null when unset or absolute. */
export function thothHomeError(
  env: Readonly<Record<string, string | undefined>>,
  os: string,
): AppError | null {
  const value = env["THOTH_HOME"];
  if (value === undefined || value === "" || isAbsolutePath(value, os)) return null;
  const example = os === "windows" ? "%USERPROFILE%\\.thoth" : "$HOME/.thoth";
  return new AppError(
    "identity.invalid_env",
    `THOTH_HOME ${showEnvValue("THOTH_HOME", value)} is not valid: it must be ${
      absolutePathRule(os)
    }`,
    {
      hints: [
        `set THOTH_HOME to a full path (THOTH_HOME="${example}" lets the shell expand it), or unset it to use the default profile`,
      ],
    },
  );
}

/**
 * The error for a profile at `thothHome` that is not a folder; `why` says
 * what is there instead ("it is a file"). Named as `THOTH_HOME`
 * when `env` sets it, else as the default profile.
 */
export function profileNotFolderError(
  thothHome: string,
  env: Readonly<Record<string, string | undefined>>,
  why: string,
): AppError {
  const value = env["THOTH_HOME"];
  const fromEnv = value !== undefined && value !== "";
  const shown = fromEnv ? showEnvValue("THOTH_HOME", value) : JSON.stringify(thothHome);
  const move = fromEnv ? "move it aside" : `move ${shown} aside`;
  return new AppError(
    "io.profile_not_folder",
    `${fromEnv ? "THOTH_HOME" : "the profile"} ${shown} is not a folder: ${why}`,
    {
      hints: [
        `set THOTH_HOME to a folder (or to a path that does not exist yet: thoth creates it), or ${move}`,
        'run "thoth doctor" to check the whole profile',
      ],
    },
  );
}
