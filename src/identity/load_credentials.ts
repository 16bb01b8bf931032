/**
 * Reads the credential files and selects the credential thoth presents (see
 * `selectCredential` for the precedence). The thin I/O shell around it: files
 * are read with a size cap and their contents never reach an error message.
 * A file is opened before it is looked at (`platform/read_small_regular_file.ts`):
 * a FIFO or a device a user swaps in under `thoth health` run as root is
 * refused, never waited on or read without end. Kept off `thoth run`'s path.
 *
 * @example
 * ```ts
 * const { env } = parseThothEnv(Deno.env.toObject());
 * const { credential } = await loadCredentials(env, "/home/ana/.thoth", new Date());
 * if (credential?.expired) console.error("log in again");
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import { FileOverLimitError, readSmallRegularFile } from "../platform/read_small_regular_file.ts";
import {
  type CredentialFileRead,
  type CredentialResolution,
  selectCredential,
} from "./select_credential.ts";
import { sessionFilePath } from "./session_file_path.ts";
import { deriveTenantUrls } from "./tenant_urls.ts";
import type { ThothEnv } from "./validate_thoth_env.ts";

/** The largest credential file thoth reads. */
const MAX_CREDENTIAL_FILE_BYTES = 64 * 1024;

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
  const [authTokenFile, sessionFile, apiKeyFile] = await Promise.all([
    env.authTokenFile === null ? null : readCredentialFile(env.authTokenFile),
    sessionPath === null ? null : readCredentialFile(sessionPath),
    readCredentialFile(apiKeyPath),
  ]);
  return selectCredential({
    env,
    authTokenFile,
    sessionFile,
    apiKeyFile,
    apiKeyFileIsDefault: env.apiKeyFile === null,
    now,
  });
}

async function readCredentialFile(path: string): Promise<CredentialFileRead> {
  try {
    // Opened before it is looked at: a FIFO or a device swapped in is refused, never read.
    const bytes = await readSmallRegularFile(path, MAX_CREDENTIAL_FILE_BYTES);
    return { path, state: "found", text: new TextDecoder().decode(bytes) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { path, state: "missing" };
    if (error instanceof Deno.errors.PermissionDenied) {
      return { path, state: "unreadable", reason: "permission denied" };
    }
    if (error instanceof FileOverLimitError) {
      return { path, state: "unreadable", reason: error.message, tooLarge: true };
    }
    if (error instanceof Deno.errors.InvalidData) {
      return { path, state: "unreadable", reason: error.message };
    }
    return {
      path,
      state: "unreadable",
      reason: error instanceof Error ? error.name : "unknown error",
    };
  }
}
