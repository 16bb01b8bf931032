/**
 * Reads the credential files and selects the credential thoth presents (see
 * `selectCredential` for the precedence). The thin I/O shell around it: files
 * are read with a size cap and their contents never reach an error message.
 * A file is opened before it is looked at (`platform/read_small_regular_file.ts`):
 * a FIFO or a device a user swaps in under `thoth health` run as root is
 * refused, never waited on or read without end. Kept off `thoth run`'s path.
 *
 * A credential file thoth would not trust is not used, as the doctor's
 * profile check judges it (`read_credential_files.ts` holds the rule): the
 * file belongs to the profile's owner (the user running thoth, or, when root
 * inspects another user's profile, the user who owns the profile folder). In
 * the profile (`proxy_api_key.json`, the session file), a link is not
 * followed, a file someone else owns is not read, and nothing is read from a
 * profile (or `sessions/` folder) another user owns or a group or everyone
 * may write to, or that sits where another user could swap it. A file named
 * by `THOTH_API_KEY_FILE` or `THOTH_AUTH_TOKEN_FILE` may be a link (a
 * Kubernetes secret mount is one), but the link, the file and the folders it
 * is named and found in must be the owner's or root's, and the folders not
 * writable by others (unless sticky, like `/tmp`). Such a file, when it is the
 * one thoth would use, is `credentials.untrusted`, naming why and what to do,
 * and never anything of what a link leads to. Windows has no POSIX owners:
 * there files are not judged.
 *
 * @example
 * ```ts
 * const { env } = parseThothEnv(Deno.env.toObject());
 * const { credential } = await loadCredentials(env, "/home/ana/.thoth", new Date());
 * if (credential?.expired) console.error("log in again");
 * ```
 */
import { AppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";
import { fileTrustSync } from "./owner_file_trust.ts";
import { type Distrust, readNamedFile, readProfileFile } from "./read_credential_files.ts";
import { type CredentialResolution, selectCredential } from "./select_credential.ts";
import { sessionFilePath } from "./session_file_path.ts";
import { deriveTenantUrls } from "./tenant_urls.ts";
import type { ThothEnv } from "./validate_thoth_env.ts";

/** Reads the sources and selects the credential; throws `credentials.*` on a broken one. */
export async function loadCredentials(
  env: ThothEnv,
  thothHome: string,
  now: Date,
): Promise<CredentialResolution> {
  const apiKeyPath = env.apiKeyFile ?? joinPath(thothHome, "proxy_api_key.json");
  const sessionPath = env.tenantId !== null && env.apexDomain !== null
    ? sessionFilePath(
      thothHome,
      env.tenantId,
      deriveTenantUrls(env.tenantId, env.apexDomain).govapiHost,
    )
    : null;
  const trust = fileTrustSync(thothHome);
  const inProfile = (path: string, folders: string[], label: string) =>
    readProfileFile(path, label, { home: thothHome, folders, trust });
  const [authTokenFile, sessionFile, apiKeyFile] = await Promise.all([
    env.authTokenFile === null
      ? null
      : readNamedFile(env.authTokenFile, "THOTH_AUTH_TOKEN_FILE", trust),
    sessionPath === null
      ? null
      : inProfile(sessionPath, [thothHome, joinPath(thothHome, "sessions")], "session file"),
    env.apiKeyFile === null
      ? inProfile(apiKeyPath, [thothHome], "API key file")
      : readNamedFile(apiKeyPath, "THOTH_API_KEY_FILE", trust),
  ]);
  try {
    return selectCredential({
      env,
      authTokenFile: authTokenFile?.read ?? null,
      sessionFile: sessionFile?.read ?? null,
      apiKeyFile: apiKeyFile.read,
      apiKeyFileIsDefault: env.apiKeyFile === null,
      now,
    });
  } catch (error) {
    // An untrusted file goes in as unreadable; when it is the one that would be used, it says why.
    for (const file of [authTokenFile, sessionFile, apiKeyFile]) {
      const untrusted = file?.untrusted;
      if (untrusted === undefined || !(error instanceof AppError)) continue;
      if (
        error.code === "credentials.unreadable" &&
        error.message.endsWith(`"${file!.read.path}": ${untrusted.why}`)
      ) {
        throw untrustedError(file!.label, file!.read.path, untrusted);
      }
    }
    throw error;
  }
}

/**
 * `credentials.untrusted` for the file at `path`.
 *
 * @example
 * ```ts
 * untrustedError("API key file", "/h/.thoth/proxy_api_key.json", { why: "it is a symbolic link", hint: "rm it" });
 * ```
 */
function untrustedError(label: string, path: string, distrust: Distrust): AppError {
  return new AppError(
    "credentials.untrusted",
    `not using the ${label} "${path}": ${distrust.why}, so thoth cannot trust it`,
    { hints: [distrust.hint] },
  );
}
