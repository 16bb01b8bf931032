/**
 * What `thoth run` says on stderr, once per session, of the credential files
 * that `THOTH_API_KEY_FILE` and `THOTH_AUTH_TOKEN_FILE` name when their group
 * or other users may read them, in the words `thoth doctor`'s profile check
 * fails them with (`namedSecretExposure` in `secret_mode_verdict.ts` holds the
 * rule and the words): a warning, and the session goes on. Such a file is
 * often a mounted secret (0444 or 0644 as Docker and Kubernetes mount one
 * unless told otherwise), not thoth's to chmod, and refusing it would stop a
 * fleet; the profile's own key file is judged apart (made 0600, or refused).
 * Each file is only looked at (`stat`, its links followed, as a Kubernetes
 * secret mount is reached), never opened; one that is not there, or no plain
 * file, is left to what reads it. Never throws. Windows has no POSIX modes:
 * nothing is said there.
 *
 * @example
 * ```ts
 * const env = { apiKeyFile: "/run/secrets/key.json", authTokenFile: null };
 * for (const line of await namedSecretWarnings(env, "linux", 1000)) console.error(`thoth: ${line}`);
 * ```
 */
import { namedSecretExposure } from "./secret_mode_verdict.ts";

/** The variables that name a credential file, as the validated environment holds them. */
export interface NamedSecretFiles {
  readonly apiKeyFile: string | null;
  readonly authTokenFile: string | null;
}

/**
 * For each file `env` names that its group or other users may read, on `os`,
 * the lines to write (without `thoth: `): one `warning: …`, then its
 * `hint: …` lines, whose `chmod` says `as root` when `self` (the runner) is
 * not the file's owner and root owns it.
 */
export async function namedSecretWarnings(
  env: NamedSecretFiles,
  os: string,
  self: number | null,
): Promise<string[]> {
  if (os === "windows") return [];
  const lines: string[] = [];
  const named = [
    ["THOTH_API_KEY_FILE", env.apiKeyFile],
    ["THOTH_AUTH_TOKEN_FILE", env.authTokenFile],
  ] as const;
  for (const [variable, given] of named) {
    if (given === null) continue;
    const info = await Deno.stat(given).catch(() => undefined);
    if (info === undefined || !info.isFile) continue;
    // Named as the doctor names it: where its links lead, when that is elsewhere.
    const real = await Deno.realPath(given).catch(() => given);
    const where = real === given ? `"${given}"` : `"${given}" (${real})`;
    const exposure = namedSecretExposure(variable, where, info.mode);
    if (exposure === null) continue;
    const as = info.uid === null || info.uid === self
      ? ""
      : info.uid === 0
      ? "as root, "
      : `as its owner (uid ${info.uid}), `;
    lines.push(
      `warning: ${exposure.problem}; thoth goes on all the same, and "thoth doctor" fails it`,
      `hint: ${as}make it private: chmod 600 ${quote(real)}`,
      `hint: or, ${exposure.mounted}`,
    );
  }
  return lines;
}

/** `path` single-quoted for a POSIX shell. */
function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
