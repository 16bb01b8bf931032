/**
 * The `credentials` part of `thoth health --json`: the credential thoth would
 * present, judged as doctor's credentials check judges it (see
 * {@linkcode credentialPart}), or why none was read.
 *
 * @example
 * ```ts
 * const credentials = await credentialPart(context, env, context.now());
 * credentials.fingerprint; // "3f2a9c1b", never the secret
 * ```
 */
import { AppError } from "../errors.ts";
import { checkedTime } from "../identity/checked_time.ts";
import { loadCredentials } from "../identity/load_credentials.ts";
import type { CredentialSource } from "../identity/select_credential.ts";
import type { ThothEnv } from "../identity/validate_thoth_env.ts";
import { noCredentialsText } from "./check_credentials.ts";
import {
  exposedProfileSecret,
  isProfileSecret,
  unreadableSecretRefusal,
} from "./profile_secret_refusal.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { HealthReport } from "./health_report_schema.ts";

/** Credentials that were not read, and why. */
export function notReadCredentials(problem: string): HealthReport["credentials"] {
  return {
    present: false,
    kind: null,
    source: null,
    fingerprint: null,
    expires_at: null,
    expired: null,
    problem,
  };
}

/**
 * The credential thoth would present, judged as doctor's credentials check
 * judges it: one it cannot read or trust, and the profile's secret that
 * `thoth run` refuses (`credentials.exposed`), are never reported as present.
 */
export async function credentialPart(
  context: DoctorContext,
  env: ThothEnv,
  now: Date,
): Promise<HealthReport["credentials"]> {
  let resolution;
  try {
    resolution = await loadCredentials(env, context.thothHome, now);
  } catch (error) {
    if (!(error instanceof AppError)) return notReadCredentials("cannot read the credentials");
    // A file over the size limit, or one thoth cannot trust (credentials.untrusted), says what
    // to do, as a policy over its limit does; so does the profile's secret doctor judges.
    const refusal = await unreadableSecretRefusal(context, env, error);
    if (refusal !== null) return notReadCredentials(refusalText(refusal));
    return notReadCredentials(
      (error.code === "credentials.too_large" || error.code === "credentials.untrusted") &&
        error.hints[0] !== undefined
        ? `${error.message}: ${error.hints[0]}`
        : error.message,
    );
  }
  const { credential } = resolution;
  // The profile's secret others can read, which thoth run refuses: not usable here either.
  const exposed = credential !== null &&
      isProfileSecret(credential.source, credential.path, env)
    ? await exposedProfileSecret(context, credential.path)
    : null;
  if (exposed !== null) return notReadCredentials(refusalText(exposed));
  const expiresAt = credential?.expiresAt == null
    ? null
    : checkedTime(credential.expiresAt.getTime(), "ms").date?.toISOString() ?? null;
  return {
    present: credential !== null,
    kind: credential?.kind ?? null,
    source: credential === null ? null : reportedSource(credential.source, env),
    fingerprint: credential?.secret.fingerprint ?? null,
    // Loaded expiries are in range already; an out-of-range one is never printed as "+061971-…".
    expires_at: expiresAt,
    expired: credential === null ? null : credential.expired,
    // As doctor's credentials check fails them: a tenant with no credential, an expired one.
    problem: credential === null
      ? env.tenantId === null ? null : noCredentialsText(env.tenantId)
      : credential.expired
      ? expiredCredentialText(credential.kind, reportedSource(credential.source, env), expiresAt)
      : null,
  };
}

/** A refusal as one problem: its message, then its remedies. */
function refusalText(refusal: { message: string; hints: readonly string[] }): string {
  return refusal.hints.length === 0
    ? refusal.message
    : `${refusal.message}: ${refusal.hints.join("; ")}`;
}

/**
 * Why a credential cannot be used: it has expired, at `expiresAt` when known.
 *
 * @example
 * ```ts
 * expiredCredentialText("bearer", "THOTH_AUTH_TOKEN", "2026-03-01T10:00:00.000Z");
 * // "bearer token from THOTH_AUTH_TOKEN expired at 2026-03-01T10:00:00.000Z"
 * ```
 */
export function expiredCredentialText(
  kind: "bearer" | "api_key",
  source: string | null,
  expiresAt: string | null,
): string {
  return `${kind === "bearer" ? "bearer token" : "API key"}${
    source === null ? "" : ` from ${source}`
  } expired${expiresAt === null ? "" : ` at ${expiresAt}`}`;
}

/**
 * The credential's source as the report names it: the default API key file
 * is not `THOTH_API_KEY_FILE` when that variable is unset.
 */
function reportedSource(
  source: CredentialSource,
  env: ThothEnv,
): HealthReport["credentials"]["source"] {
  return source === "THOTH_API_KEY_FILE" && env.apiKeyFile === null
    ? "default_api_key_file"
    : source;
}
