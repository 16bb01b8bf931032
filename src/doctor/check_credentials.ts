/**
 * Doctor check `credentials`: which credential thoth would present (by source
 * and fingerprint, never its value), whether it has expired, and whether a
 * tenant is left without one. The profile's key file or session file that
 * others can read and that is not the profile owner's to make 0600 (root's,
 * 0644) fails as `thoth run` refuses it (`credentials.exposed`), whether or
 * not the user can read it; root's private one (0600) that the user cannot
 * read fails with the `chown` root runs to give it to them
 * (`profile_secret_refusal.ts`).
 *
 * @example
 * ```ts
 * (await checkCredentials(context)).message;
 * // "bearer token from THOTH_RUNTIME_BEARER_TOKEN (fingerprint 1a2b3c4d), expires 2026-…"
 * ```
 */
import { AppError } from "../errors.ts";
import { loadCredentials } from "../identity/load_credentials.ts";
import type { CredentialSource } from "../identity/select_credential.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import {
  exposedProfileSecret,
  isProfileSecret,
  unreadableSecretRefusal,
} from "./profile_secret_refusal.ts";
import { shellQuote } from "./shell_quote.ts";

const SOON_MS = 24 * 60 * 60 * 1000;

/** Checks that credentials are present, readable and unexpired. */
export async function checkCredentials(context: DoctorContext): Promise<DoctorCheck> {
  const validated = validateThothEnv(context.env, context.os);
  if (!validated.ok) {
    return {
      id: "credentials",
      status: "warn",
      message: "not checked: the environment is invalid",
      hint: 'fix the "environment" check first',
    };
  }
  const env = validated.env;
  const now = context.now();
  let resolution;
  try {
    resolution = await loadCredentials(env, context.thothHome, now);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // The profile's secret it cannot read: run refuses it if others can read it; root's own,
    // private, root gives to the user.
    const refusal = await unreadableSecretRefusal(context, env, error);
    return {
      id: "credentials",
      status: "fail",
      message: refusal?.message ?? error.message,
      hint: refusal !== null ? refusal.hints.join("; ") : error.hints[0] ?? null,
    };
  }
  const { credential, shadowed } = resolution;
  if (credential === null) {
    if (env.tenantId === null) {
      return {
        id: "credentials",
        status: "pass",
        message: "no credentials, and none needed: no tenant set (local policy only)",
        hint: null,
      };
    }
    return {
      id: "credentials",
      status: "fail",
      message: noCredentialsText(env.tenantId),
      hint: `${NEW_TOKEN}, or save an API key with "thoth set-api-key --api-key -"`,
    };
  }
  const what = credential.kind === "bearer" ? "bearer token" : "API key";
  const defaultKeyFile = env.apiKeyFile === null;
  const where = credential.source === "session_file"
    ? `the session file "${credential.path}"`
    : credential.source === "THOTH_API_KEY_FILE" && defaultKeyFile
    ? `the default API key file "${credential.path}"`
    : credential.path === null
    ? credential.source
    : `${credential.source} "${credential.path}"`;
  // A key or session file of the profile others can read, which thoth run refuses to start
  // over (it cannot make it 0600): not called usable here either, in run's words.
  const exposed = isProfileSecret(credential.source, credential.path, env)
    ? await exposedProfileSecret(context, credential.path)
    : null;
  if (exposed !== null) {
    return {
      id: "credentials",
      status: "fail",
      message: exposed.message,
      hint: exposed.hints.join("; "),
    };
  }
  const base = `${what} from ${where} (fingerprint ${credential.secret.fingerprint})`;
  const unused = shadowedText(shadowed, defaultKeyFile);
  if (credential.expired && credential.expiresAt !== null) {
    return {
      id: "credentials",
      status: "fail",
      message: `${base} expired at ${credential.expiresAt.toISOString()}${unused}`,
      hint: renewHint(credential.source, credential.path, shadowed, defaultKeyFile),
    };
  }
  if (credential.expiresAt !== null && credential.expiresAt.getTime() - now.getTime() < SOON_MS) {
    return {
      id: "credentials",
      status: "warn",
      message: `${base} expires soon, at ${credential.expiresAt.toISOString()}${unused}`,
      hint: `before then: ${
        renewHint(credential.source, credential.path, shadowed, defaultKeyFile)
      }`,
    };
  }
  const expiry = credential.expiresAt === null
    ? ""
    : `, expires ${credential.expiresAt.toISOString()}`;
  return { id: "credentials", status: "pass", message: `${base}${expiry}${unused}`, hint: null };
}

/**
 * The sources that hold something but lose to the one used: the variables
 * that are set by name, and the files by what they are (the session file,
 * the default API key file when THOTH_API_KEY_FILE is not set).
 */
function shadowedText(shadowed: readonly CredentialSource[], defaultKeyFile: boolean): string {
  const variables = shadowed.filter((source) =>
    source !== "session_file" && !(source === "THOTH_API_KEY_FILE" && defaultKeyFile)
  );
  const files = [
    ...(shadowed.includes("session_file") ? ["the session file"] : []),
    ...(shadowed.includes("THOTH_API_KEY_FILE") && defaultKeyFile
      ? ["the default API key file"]
      : []),
  ];
  return (variables.length > 0 ? `; also set but not used: ${variables.join(", ")}` : "") +
    (files.length > 0 ? `; also present but not used: ${files.join(", ")}` : "");
}

/**
 * What renews a bearer token in this build. `thoth auth login` cannot sign in
 * yet (it needs the control plane), so the hints never send a person there:
 * a token comes from the tenant's admin, and a session file, which wins over
 * any API key, must be removed for a key to be used: the one already set
 * (`THOTH_API_KEY`, else the key file, among `shadowed`), which the hint
 * names, or one saved with `thoth set-api-key` when none is.
 */
function renewHint(
  source: CredentialSource,
  path: string | null,
  shadowed: readonly CredentialSource[] = [],
  defaultKeyFile = true,
): string {
  const file = path === null ? "" : ` ${shellQuote(path)}`;
  switch (source) {
    case "THOTH_RUNTIME_BEARER_TOKEN":
    case "THOTH_AUTH_TOKEN":
      return `get a new token from your Thoth admin and set ${source} to it, or unset ${source}`;
    case "THOTH_AUTH_TOKEN_FILE":
      return `put a new token from your Thoth admin in${file}, or unset THOTH_AUTH_TOKEN_FILE`;
    case "session_file": {
      const key = shadowed.includes("THOTH_API_KEY")
        ? "the API key in THOTH_API_KEY"
        : !shadowed.includes("THOTH_API_KEY_FILE")
        ? null
        : defaultKeyFile
        ? "the API key in the default API key file"
        : "the API key in THOTH_API_KEY_FILE";
      return `${NEW_TOKEN}; or remove the session file (rm${file}), which is used before any ` +
        (key === null
          ? 'API key, and save one with "thoth set-api-key --api-key -"'
          : `API key: ${key} is used once it is gone`);
    }
    default:
      return NEW_TOKEN;
  }
}

/** This build's way to a bearer token ("thoth auth login" cannot sign in yet). */
const NEW_TOKEN = "export THOTH_RUNTIME_BEARER_TOKEN with a token from your Thoth admin " +
  '("thoth auth login" cannot sign in with this build)';

/**
 * Why a tenant's endpoint cannot present itself: it has no credential. Said by
 * `thoth doctor`'s credentials check and `thoth health`'s `credentials.problem`.
 *
 * @example
 * ```ts
 * noCredentialsText("acme"); // 'no credentials for tenant "acme"'
 * ```
 */
export function noCredentialsText(tenantId: string): string {
  return `no credentials for tenant "${tenantId}"`;
}
