/**
 * Reads a bearer token file (`THOTH_AUTH_TOKEN_FILE` or a tenant session
 * file): either the bare token (surrounding whitespace ignored) or an auth
 * session JSON object carrying it in `access_token`, `token`, `bearer_token`
 * or `runtime_bearer_token` (first present wins), with an optional
 * `expires_at`: epoch seconds (a number, or a string of digits only) or an
 * ISO 8601 time with `Z` or an offset (see `expiresAtTime`: a time without
 * one is refused, and `"3600"` is seconds, never a year). A JWT's own `exp`
 * claim wins over `expires_at`. A token in quotes (`"eyJ…"`, as `jq` without
 * `-r` writes it), after `Bearer `, or that is `null`, `true` or a JSON
 * array is refused, saying what to change (see `tokenProblem`). An expiry that is not a usable time (after the
 * year 9999, before 1970, milliseconds where seconds belong) makes the file
 * not valid, saying why, as does a member the session JSON (or the JWT's
 * header or payload) gives twice, or a JWT `exp` that is not a number.
 * Errors name the file, never its contents. Pure.
 *
 * @example
 * ```ts
 * const { token } = parseAuthTokenFile('{"access_token":"eyJ…"}', "/tmp/session.json");
 * ```
 */
import { AppError } from "../errors.ts";
import { duplicateKey } from "../protocol/duplicate_key.ts";
import { Secret } from "./secret.ts";
import { tokenProblem } from "./token_problem.ts";
import { decodeJwtExpiry } from "./jwt_expiry.ts";
import { checkedTime } from "./checked_time.ts";
import { expiresAtTime } from "./expires_at_time.ts";

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
      hints: [
        "replace it with a current token from your Thoth admin, or remove it " +
        "(a THOTH_AUTH_TOKEN_FILE can also be pointed elsewhere or unset)",
      ],
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
    const twice = duplicateKey(trimmed);
    if (twice !== undefined) {
      throw fail(`the session JSON gives the member ${JSON.stringify(twice.slice(0, 40))} twice`);
    }
    const record = value as Record<string, unknown>;
    const member = TOKEN_MEMBERS.find((name) => typeof record[name] === "string");
    if (member === undefined) {
      throw fail(`the session JSON has none of ${TOKEN_MEMBERS.map((n) => `"${n}"`).join(", ")}`);
    }
    raw = record[member] as string;
    const expiresAt = record["expires_at"];
    if (typeof expiresAt === "number") {
      const time = checkedTime(expiresAt, "s");
      if (time.problem !== null) throw fail(`"expires_at" ${expiresAt} ${time.problem}`);
      declaredExpiry = time.date;
    } else if (typeof expiresAt === "string") {
      const time = expiresAtTime(expiresAt);
      if (time.problem !== null) {
        throw fail(`"expires_at" ${JSON.stringify(expiresAt.slice(0, 40))} ${time.problem}`);
      }
      declaredExpiry = time.date;
    } else if (expiresAt !== undefined && expiresAt !== null) {
      throw fail('"expires_at" must be epoch seconds or an ISO 8601 time');
    }
  } else {
    raw = trimmed;
  }
  const problem = tokenProblem(raw);
  if (problem !== null) throw fail(`the token must be ${problem}`);
  const jwt = decodeJwtExpiry(raw);
  if (jwt.problem !== null) throw fail(`the token's ${jwt.problem}`);
  return { token: new Secret(raw), expiresAt: jwt.expiresAt ?? declaredExpiry };
}
