/**
 * Where thoth keeps its profile: `THOTH_HOME` when set, else `~/.thoth`.
 * Pure: the environment is passed in. It does not judge `THOTH_HOME`:
 * commands refuse one that is not an absolute path on this OS through
 * `thothHomeError` (`src/identity/thoth_home_error.ts`) before they write.
 *
 * @example
 * ```ts
 * resolveThothHome({ HOME: "/home/ana" }, "linux"); // "/home/ana/.thoth"
 * resolveThothHome({ THOTH_HOME: "/tmp/t" }, "linux"); // "/tmp/t"
 * ```
 */
import { AppError } from "../errors.ts";

/** Resolves the profile directory from an environment snapshot. */
export function resolveThothHome(
  env: Readonly<Record<string, string | undefined>>,
  os: string,
): string {
  const override = env["THOTH_HOME"];
  if (override !== undefined && override !== "") return override;
  const home = os === "windows" ? (env["USERPROFILE"] ?? env["HOME"]) : env["HOME"];
  if (home === undefined || home === "") {
    throw new AppError("identity.invalid_env", "cannot find the home directory: HOME is not set", {
      hints: ["set THOTH_HOME to the directory thoth should use for its profile"],
    });
  }
  const sep = os === "windows" ? "\\" : "/";
  return home.endsWith(sep) ? `${home}.thoth` : `${home}${sep}.thoth`;
}
