/**
 * Reads the expiry (`exp`) of a JWT without checking its signature. thoth
 * only uses this to tell a person that a session has run out; the server that
 * receives the token is the one that verifies it. An `exp` that is not a
 * usable time (after the year 9999, before 1970, milliseconds where seconds
 * belong) comes back as a `problem` for the caller to report. Pure.
 *
 * @example
 * ```ts
 * const token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.sig";
 * decodeJwtExpiry(token); // { isJwt: true, expiresAt: new Date(1700000000 * 1000), problem: null }
 * decodeJwtExpiry("opaque-key"); // { isJwt: false, expiresAt: null, problem: null }
 * ```
 */
import { checkedTime } from "./checked_time.ts";

/** What a token's shape says about its expiry. */
export interface JwtExpiry {
  /** Whether the token is a JWS compact serialization with a JSON header. */
  readonly isJwt: boolean;
  /** The `exp` claim, or null when there is none, it is not a number, or it is not usable. */
  readonly expiresAt: Date | null;
  /** Why a numeric `exp` is not a usable time (`the "exp" claim 1e+300 is after …`), or null. */
  readonly problem: string | null;
}

/** Decodes the `exp` claim of a JWT; never throws. */
export function decodeJwtExpiry(token: string): JwtExpiry {
  const parts = token.split(".");
  const none = { expiresAt: null, problem: null };
  if (parts.length !== 3) return { isJwt: false, ...none };
  const header = decodeJsonSegment(parts[0] ?? "");
  if (header === null || typeof header["alg"] !== "string") return { isJwt: false, ...none };
  const payload = decodeJsonSegment(parts[1] ?? "");
  const exp = payload?.["exp"];
  if (typeof exp !== "number") return { isJwt: true, ...none };
  const time = checkedTime(exp, "s");
  return time.problem === null
    ? { isJwt: true, expiresAt: time.date, problem: null }
    : { isJwt: true, expiresAt: null, problem: `the "exp" claim ${exp} ${time.problem}` };
}

function decodeJsonSegment(segment: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return null;
  try {
    const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}
