/**
 * The refusal for a `THOTH_HOME` that is not an absolute path on this OS:
 * `~/.thoth` (which no shell expanded) or `C:\Users\ana\.thoth` on Linux
 * would put the profile under whatever folder thoth was started in. Every
 * command checks it before it writes anything. Pure.
 *
 * @example
 * ```ts
 * thothHomeError({ THOTH_HOME: "~/.thoth" }, "linux")?.code; // "identity.invalid_env"
 * thothHomeError({ THOTH_HOME: "/home/ana/.thoth" }, "linux"); // null
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
