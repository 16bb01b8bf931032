/**
 * Where this process keeps its profile: `THOTH_HOME` when set (a relative one
 * is refused later, by each command, through `thothHomeError`), else
 * `.thoth` in `HOME`, else in the home the password file gives this user
 * (where Node and Python look too). A `THOTH_HOME` written with trailing
 * separators (`/tmp/t/`) is taken without them, once, here: every path
 * thoth builds in the profile and every message naming one reads
 * `/tmp/t/policy.jsonc`, never `/tmp/t//policy.jsonc`. A profile that
 * would not be an absolute path is refused here: it would land in whatever
 * folder the client started thoth in, and the sandbox would be granted that
 * relative path. Pure: the environment and the password file's answer are
 * passed in.
 *
 * @example
 * ```ts
 * profileHome({ HOME: "/home/ana" }, "linux", () => undefined); // "/home/ana/.thoth"
 * profileHome({ THOTH_HOME: "/tmp/t/" }, "linux", () => undefined); // "/tmp/t"
 * profileHome({}, "linux", () => "/srv/app"); // "/srv/app/.thoth"
 * profileHome({}, "linux", () => undefined); // throws identity.no_profile
 * ```
 */
import { AppError } from "../errors.ts";
import { resolveThothHome } from "../platform/thoth_home.ts";

function isAbsolute(path: string, os: string): boolean {
  return os === "windows" ? /^(?:[A-Za-z]:[\\/]|[\\/]{2})/.test(path) : path.startsWith("/");
}

/**
 * The profile directory for `env` on `os`; `passwdHome` is asked only when
 * `THOTH_HOME` and the home variable are unset. Throws `identity.no_profile`,
 * naming `THOTH_HOME` and the home variable as the fix, when no absolute
 * profile can be found.
 */
export function profileHome(
  env: Readonly<Record<string, string | undefined>>,
  os: string,
  passwdHome: () => string | undefined,
): string {
  const override = env["THOTH_HOME"];
  if (override !== undefined && override !== "") return withoutTrailingSeparators(override, os);
  const variable = os === "windows" ? "USERPROFILE" : "HOME";
  let home: string | undefined;
  let from: string;
  try {
    home = resolveThothHome(env, os);
    from = `${variable} is ${JSON.stringify(env[variable] ?? env["HOME"])}, not an absolute path`;
  } catch {
    const passwd = passwdHome();
    home = passwd === undefined ? undefined : `${passwd === "/" ? "" : passwd}/.thoth`;
    from = os === "windows"
      ? `${variable} is not set`
      : `${variable} is not set and the password file has no home folder for this user`;
  }
  if (home !== undefined && isAbsolute(home, os)) return home;
  const example = os === "windows" ? "C:\\ProgramData\\thoth" : "/var/lib/thoth";
  throw new AppError(
    "identity.no_profile",
    `cannot find a folder for the thoth profile: ${from}`,
    {
      hints: [
        `set THOTH_HOME to an absolute path for the profile (THOTH_HOME=${example}), or set ` +
        `${variable} to this user's home folder; thoth keeps no profile in the folder it was ` +
        "started in",
      ],
    },
  );
}

/**
 * `path` without the separators it ends with, unless they are all it has
 * past a root: `/` and `C:\` stay as they are (`C:` alone names a drive's
 * current folder, not its root).
 */
function withoutTrailingSeparators(path: string, os: string): string {
  const trimmed = path.replace(os === "windows" ? /[\\/]+$/ : /\/+$/, "");
  if (trimmed === "" || (os === "windows" && /^[A-Za-z]:$/.test(trimmed))) {
    return path.slice(0, trimmed.length + 1);
  }
  return trimmed;
}
