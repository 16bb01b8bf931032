/**
 * Picks the credential thoth presents, in the product's precedence:
 *
 * 1. `THOTH_RUNTIME_BEARER_TOKEN`
 * 2. `THOTH_AUTH_TOKEN`
 * 3. `THOTH_AUTH_TOKEN_FILE` (a bare token or an auth session JSON)
 * 4. the tenant's session file `sessions/<tenant>--<govapi-host>--admin-token.jwt`
 * 5. `THOTH_API_KEY`
 * 6. `THOTH_API_KEY_FILE`, by default the profile's `proxy_api_key.json`
 *
 * The first one present wins, even when it has expired: thoth then reports it
 * expired instead of quietly falling back to a weaker credential. A file the
 * person named explicitly that is missing, unreadable or malformed is an
 * error; the session file and the default key file may simply be absent.
 * Pure: the files are read by the caller.
 *
 * @example
 * ```ts
 * const { credential } = selectCredential({
 *   env, authTokenFile: null, sessionFile: null,
 *   apiKeyFile: { path: "/h/.thoth/proxy_api_key.json", state: "missing" },
 *   apiKeyFileIsDefault: true, now: new Date(),
 * });
 * credential?.source; // e.g. "THOTH_RUNTIME_BEARER_TOKEN"
 * ```
 */
import { AppError } from "../errors.ts";
import type { Secret } from "./secret.ts";
import type { ThothEnv } from "./validate_thoth_env.ts";
import { decodeJwtExpiry } from "./jwt_expiry.ts";
import { parseAuthTokenFile } from "./parse_auth_token_file.ts";
import { parseApiKeyFile } from "./parse_api_key_file.ts";

/** Where a credential came from, most preferred first. */
export type CredentialSource =
  | "THOTH_RUNTIME_BEARER_TOKEN"
  | "THOTH_AUTH_TOKEN"
  | "THOTH_AUTH_TOKEN_FILE"
  | "session_file"
  | "THOTH_API_KEY"
  | "THOTH_API_KEY_FILE";

/** The credential sources in precedence order. */
export const CREDENTIAL_SOURCES: readonly CredentialSource[] = [
  "THOTH_RUNTIME_BEARER_TOKEN",
  "THOTH_AUTH_TOKEN",
  "THOTH_AUTH_TOKEN_FILE",
  "session_file",
  "THOTH_API_KEY",
  "THOTH_API_KEY_FILE",
];

/** A file as the caller found it. */
export type CredentialFileRead =
  | { readonly path: string; readonly state: "found"; readonly text: string }
  | { readonly path: string; readonly state: "missing" }
  | {
    readonly path: string;
    readonly state: "unreadable";
    readonly reason: string;
    /** Whether it was refused for holding more than a credential file can (`reason` says how much). */
    readonly tooLarge?: boolean;
  };

/** The chosen credential. Its secret prints only as a fingerprint. */
export interface Credential {
  readonly kind: "bearer" | "api_key";
  readonly source: CredentialSource;
  /** The file it was read from, when it came from a file. */
  readonly path: string | null;
  readonly secret: Secret;
  readonly expiresAt: Date | null;
  readonly expired: boolean;
}

/** The outcome: the credential (or null) and the lower-precedence ones it shadows. */
export interface CredentialResolution {
  readonly credential: Credential | null;
  /** Other sources that hold something but are not used. */
  readonly shadowed: readonly CredentialSource[];
}

/** What {@linkcode selectCredential} looks at. */
export interface CredentialInputs {
  readonly env: ThothEnv;
  /** `THOTH_AUTH_TOKEN_FILE` as read, or null when the variable is unset. */
  readonly authTokenFile: CredentialFileRead | null;
  /** The tenant session file as read, or null when there is no tenant and apex domain. */
  readonly sessionFile: CredentialFileRead | null;
  /** The API key file as read (explicit or default). */
  readonly apiKeyFile: CredentialFileRead;
  /** Whether `apiKeyFile` is the default `proxy_api_key.json` rather than `THOTH_API_KEY_FILE`. */
  readonly apiKeyFileIsDefault: boolean;
  readonly now: Date;
}

/** Selects the credential; throws `credentials.*` for a broken explicit source. */
export function selectCredential(input: CredentialInputs): CredentialResolution {
  const present = (source: CredentialSource): boolean => {
    switch (source) {
      case "THOTH_RUNTIME_BEARER_TOKEN":
        return input.env.runtimeBearerToken !== null;
      case "THOTH_AUTH_TOKEN":
        return input.env.authToken !== null;
      case "THOTH_AUTH_TOKEN_FILE":
        return input.authTokenFile !== null;
      case "session_file":
        return input.sessionFile !== null && input.sessionFile.state !== "missing";
      case "THOTH_API_KEY":
        return input.env.apiKey !== null;
      case "THOTH_API_KEY_FILE":
        return !(input.apiKeyFileIsDefault && input.apiKeyFile.state === "missing");
    }
  };
  const chosen = CREDENTIAL_SOURCES.find(present);
  if (chosen === undefined) return { credential: null, shadowed: [] };
  const shadowed = CREDENTIAL_SOURCES.slice(CREDENTIAL_SOURCES.indexOf(chosen) + 1).filter(present);
  return { credential: load(chosen, input), shadowed };
}

function load(source: CredentialSource, input: CredentialInputs): Credential {
  const bearer = (secret: Secret, path: string | null, declared: Date | null): Credential => {
    const jwt = decodeJwtExpiry(secret.reveal());
    if (jwt.problem !== null) {
      throw new AppError(
        "credentials.malformed",
        `${source} (fingerprint ${secret.fingerprint}) is not valid: ${jwt.problem}`,
        { hints: [`replace ${source} with a current token from your Thoth admin, or unset it`] },
      );
    }
    const expiresAt = jwt.expiresAt ?? declared;
    return {
      kind: "bearer",
      source,
      path,
      secret,
      expiresAt,
      expired: expiresAt !== null && expiresAt.getTime() <= input.now.getTime(),
    };
  };
  const apiKey = (secret: Secret, path: string | null): Credential => ({
    kind: "api_key",
    source,
    path,
    secret,
    expiresAt: null,
    expired: false,
  });
  switch (source) {
    case "THOTH_RUNTIME_BEARER_TOKEN":
      return bearer(input.env.runtimeBearerToken as Secret, null, null);
    case "THOTH_AUTH_TOKEN":
      return bearer(input.env.authToken as Secret, null, null);
    case "THOTH_AUTH_TOKEN_FILE":
    case "session_file": {
      const file = (source === "session_file" ? input.sessionFile : input.authTokenFile)!;
      const text = readText(file, source === "session_file" ? "session file" : source);
      const parsed = parseAuthTokenFile(text, file.path);
      return bearer(parsed.token, file.path, parsed.expiresAt);
    }
    case "THOTH_API_KEY":
      return apiKey(input.env.apiKey as Secret, null);
    case "THOTH_API_KEY_FILE": {
      const file = input.apiKeyFile;
      const text = readText(file, input.apiKeyFileIsDefault ? "API key file" : source);
      return apiKey(parseApiKeyFile(text, file.path), file.path);
    }
  }
}

function readText(file: CredentialFileRead, label: string): string {
  if (file.state === "found") return file.text;
  if (file.state === "unreadable" && file.tooLarge === true) {
    throw new AppError(
      "credentials.too_large",
      `cannot read ${label} "${file.path}": ${file.reason}`,
      { hints: [tooLargeRemedy(label)] },
    );
  }
  const why = file.state === "missing" ? "it does not exist" : file.reason;
  throw new AppError("credentials.unreadable", `cannot read ${label} "${file.path}": ${why}`, {
    hints: [
      label.startsWith("THOTH_")
        ? `point ${label} at a readable file, or unset it`
        : `check the file's owner and permissions, or remove it`,
    ],
  });
}

/**
 * What to do about a credential file over the size limit: thoth writes a key
 * or token file of a few hundred bytes, so this one is something else.
 */
function tooLargeRemedy(label: string): string {
  if (label === "API key file" || label === "THOTH_API_KEY_FILE") {
    return "it is not a key file thoth wrote (a key file is a few hundred bytes): check what " +
      'it is, move it aside, and save the key again with "thoth set-api-key --api-key -"';
  }
  if (label === "session file") {
    return "it is not a session file thoth wrote (one is a few KiB at most): check what it is " +
      "and move it aside";
  }
  return `it is not a token file (one is a few KiB at most): check what it is, and point ${label} ` +
    "at the token file, or unset it";
}
