/**
 * Reads a bearer token file (`THOTH_AUTH_TOKEN_FILE` or a tenant session
 * file): either the bare token (surrounding whitespace ignored) or an auth
 * session JSON object carrying it in `access_token`, `token`, `bearer_token`
 * or `runtime_bearer_token` (first present wins), with an optional
 * `expires_at` (epoch seconds or an ISO 8601 time). A JWT's own `exp` claim
 * wins over `expires_at`. Errors name the file, never its contents. Pure.
 *
 * @example
 * ```ts
 * const { token } = parseAuthTokenFile('{"access_token":"eyJ…"}', "/tmp/session.json");
 * ```
 */
import { AppError } from "../errors.ts";
import { Secret } from "./secret.ts";
import { TOKEN, TOKEN_RULE } from "./_env_rules.ts";
import { decodeJwtExpiry } from "./jwt_expiry.ts";

/** A bearer token from a file and when it expires, if known. */
export interface FileToken {
  readonly token: Secret;
  readonly expiresAt: Date | null;
}

const TOKEN_MEMBERS = ["access_token", "token", "bearer_token", "runtime_bearer_token"] as const;

/** Parses the file text; throws `credentials.malformed` naming `path`. */
export function parseAuthTokenFile(text: string, path: string): FileToken {
  const fail = (why: string) =>
    new AppError("credentials.malformed", `token file "${path}" is not valid: ${why}`, {
      hints: ['log in again with "thoth auth login", or point THOTH_AUTH_TOKEN_FILE elsewhere'],
    });
  const trimmed = text.trim();
  if (trimmed === "") throw fail("it is empty");
  let raw: string;
  let declaredExpiry: Date | null = null;
  if (trimmed.startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw fail("it starts with { but is not JSON");
    }
    const record = value as Record<string, unknown>;
    const member = TOKEN_MEMBERS.find((name) => typeof record[name] === "string");
    if (member === undefined) {
      throw fail(`the session JSON has none of ${TOKEN_MEMBERS.map((n) => `"${n}"`).join(", ")}`);
    }
    raw = record[member] as string;
    const expiresAt = record["expires_at"];
    if (typeof expiresAt === "number" && Number.isFinite(expiresAt)) {
      declaredExpiry = new Date(expiresAt * 1000);
    } else if (typeof expiresAt === "string" && !Number.isNaN(Date.parse(expiresAt))) {
      declaredExpiry = new Date(Date.parse(expiresAt));
    } else if (expiresAt !== undefined && expiresAt !== null) {
      throw fail('"expires_at" must be epoch seconds or an ISO 8601 time');
    }
  } else {
    raw = trimmed;
  }
  if (!TOKEN.test(raw)) throw fail(`the token must be ${TOKEN_RULE}`);
  const jwt = decodeJwtExpiry(raw);
  return { token: new Secret(raw), expiresAt: jwt.expiresAt ?? declaredExpiry };
}
