/**
 * What `thoth doctor`'s credentials check and `thoth health`'s credentials
 * part say, beyond what reading it says, of the profile's own secret that
 * thoth would present: the API key file `proxy_api_key.json` (when
 * `THOTH_API_KEY_FILE` is unset) or the tenant's session file. Judged as
 * `thoth run`, run by the profile's owner, judges it (`secretModeVerdict`):
 * one others can read that is not the owner's to make 0600 (root's, 0644, or
 * 0640 in a group) is refused, `credentials.exposed`, in run's words, whether
 * or not this user could read it. One that is private to root (0600, in a
 * profile root manages), which run leaves as it is and the user cannot read,
 * gets the remedy root runs: give it to the user, who can then read it, and
 * it stays private. The file is only looked at (`lstat`), never opened.
 *
 * @example
 * ```ts
 * const refusal = await profileSecretRefusal(context, "/var/lib/thoth/proxy_api_key.json");
 * if (refusal !== null) console.error(refusal.message, refusal.hints.join("; "));
 * ```
 */
import type { AppError } from "../errors.ts";
import type { CredentialSource } from "../identity/select_credential.ts";
import { fileTrustSync, whom } from "../identity/owner_file_trust.ts";
import { secretModeVerdict } from "../identity/secret_mode_verdict.ts";
import { sessionFilePath } from "../identity/session_file_path.ts";
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import type { ThothEnv } from "../identity/validate_thoth_env.ts";
import { modeText } from "../platform/file_mode.ts";
import { joinPath } from "../platform/join_path.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { shellQuote } from "./shell_quote.ts";

/** What is said of a profile secret instead of (or beside) what reading it said. */
export interface SecretRefusal {
  readonly message: string;
  readonly hints: readonly string[];
}

/**
 * Whether the credential from `source` at `path` is one of the profile's own
 * secrets that `thoth run` judges by its mode: the session file, or the
 * default API key file (`THOTH_API_KEY_FILE` unset).
 */
export function isProfileSecret(
  source: CredentialSource,
  path: string | null,
  env: ThothEnv,
): path is string {
  return path !== null &&
    (source === "session_file" || (source === "THOTH_API_KEY_FILE" && env.apiKeyFile === null));
}

/**
 * `credentials.exposed` for the profile's secret at `path` when `thoth run`,
 * run by the profile's owner, refuses it; else null.
 */
export async function exposedProfileSecret(
  context: DoctorContext,
  path: string,
): Promise<AppError | null> {
  const found = await lookAt(context, path);
  if (found === null) return null;
  const verdict = secretModeVerdict(path, found.info, found.trust);
  return verdict.kind === "exposed" ? verdict.error : null;
}

/**
 * For `error`, what reading the credentials threw: when it is the profile's
 * secret that could not be read, what is said of it instead. Exposed, run's
 * refusal; private to root, the message kept, with the `chown` root runs as
 * its remedy. Null for anything else (the error is said as it is).
 */
export async function unreadableSecretRefusal(
  context: DoctorContext,
  env: ThothEnv,
  error: AppError,
): Promise<SecretRefusal | null> {
  if (error.code !== "credentials.unreadable") return null;
  const path = profileSecretPaths(context.thothHome, env)
    .find((candidate) => error.message.includes(`"${candidate}": `));
  if (path === undefined) return null;
  const exposed = await exposedProfileSecret(context, path);
  if (exposed !== null) return { message: exposed.message, hints: exposed.hints };
  const remedy = await rootPrivateRemedy(context, path);
  return remedy === null ? null : { message: error.message, hints: [remedy] };
}

/** The profile's secrets thoth would read for `env`: the default key file, the session file. */
function profileSecretPaths(thothHome: string, env: ThothEnv): string[] {
  const paths = env.apiKeyFile === null ? [joinPath(thothHome, "proxy_api_key.json")] : [];
  if (env.tenantId !== null && env.apexDomain !== null) {
    const host = deriveTenantUrls(env.tenantId, env.apexDomain).govapiHost;
    paths.push(sessionFilePath(thothHome, env.tenantId, host));
  }
  return paths;
}

/**
 * What root runs so the profile's owner can read root's private secret at
 * `path` (no group or other bits): `chown` it to them, its mode kept; null
 * when it is not root's, not private, or this is root.
 */
async function rootPrivateRemedy(context: DoctorContext, path: string): Promise<string | null> {
  const found = await lookAt(context, path);
  if (found === null) return null;
  const { info, trust } = found;
  if (trust.owner === 0 || info.uid !== 0 || info.mode === null) return null;
  if (secretModeVerdict(path, info, trust).kind !== "private") return null;
  const quoted = shellQuote(path);
  return `as root, give it to ${whom(trust.owner, trust)} so that thoth can read it, keeping ` +
    `it ${modeText(info.mode)}: chown ${trust.owner} ${quoted}`;
}

/** The secret's owner and mode and whom it must serve; null on Windows, or for no plain file. */
async function lookAt(context: DoctorContext, path: string) {
  if (context.os === "windows") return null;
  const self = context.host.uid();
  const trust = self === null ? null : fileTrustSync(context.thothHome, self);
  const info = await Deno.lstat(path).catch(() => undefined);
  if (trust === null || info === undefined || !info.isFile) return null;
  return { info, trust };
}
