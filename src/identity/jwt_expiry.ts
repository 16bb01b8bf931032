/**
 * Reads the expiry (`exp`) of a JWT without checking its signature. thoth
 * only uses this to tell a person that a session has run out; the server that
 * receives the token is the one that verifies it. An `exp` that is not a
 * usable time (after the year 9999, before 1970, milliseconds where seconds
 * belong), an `exp` that is there but is no number (`"1600000000"`, `null`),
 * and a header or payload that gives a member twice (`JSON.parse` would keep
 * the last, another reader the first) come back as a `problem` for the caller
 * to report: such a token is not taken for one that never expires. Pure.
 *
 * @example
 * ```ts
 * const token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.sig";
 * decodeJwtExpiry(token); // { isJwt: true, expiresAt: new Date(1700000000 * 1000), problem: null }
 * decodeJwtExpiry("opaque-key"); // { isJwt: false, expiresAt: null, problem: null }
 * ```
 */
import { duplicateKey } from "../protocol/duplicate_key.ts";
import { checkedTime } from "./checked_time.ts";

/** What a token's shape says about its expiry. */
export interface JwtExpiry {
  /** Whether the token is a JWS compact serialization with a JSON header. */
  readonly isJwt: boolean;
  /** The `exp` claim, or null when there is none or there is a `problem`. */
  readonly expiresAt: Date | null;
  /**
   * Why the token's expiry cannot be known: an `exp` that is not a usable time
   * (`the "exp" claim 1e+300 is after …`) or not a number, or a member given
   * twice; null when there is no such problem.
   */
  readonly problem: string | null;
}

/** Decodes the `exp` claim of a JWT; never throws. */
export function decodeJwtExpiry(token: string): JwtExpiry {
  const parts = token.split(".");
  const none = { expiresAt: null, problem: null };
  if (parts.length !== 3) return { isJwt: false, ...none };
  const header = decodeJsonSegment(parts[0] ?? "");
  if (header === null || typeof header.value["alg"] !== "string") return { isJwt: false, ...none };
  const payload = decodeJsonSegment(parts[1] ?? "");
  for (const [part, segment] of [["header", header], ["payload", payload]] as const) {
    if (segment?.duplicate !== undefined) {
      const problem = `the ${part} gives the member ${
        JSON.stringify(segment.duplicate.slice(0, 40))
      } twice`;
      return { isJwt: true, expiresAt: null, problem };
    }
  }
  if (payload === null || !Object.hasOwn(payload.value, "exp")) return { isJwt: true, ...none };
  const exp = payload.value["exp"];
  if (typeof exp !== "number") {
    const what = exp === null ? "null" : Array.isArray(exp) ? "an array" : `a ${typeof exp}`;
    return {
      isJwt: true,
      expiresAt: null,
      problem: `the "exp" claim is ${what}, not a number of seconds`,
    };
  }
  const time = checkedTime(exp, "s");
  return time.problem === null
    ? { isJwt: true, expiresAt: time.date, problem: null }
    : { isJwt: true, expiresAt: null, problem: `the "exp" claim ${exp} ${time.problem}` };
}

/** A JSON object segment and the first member it gives twice, or null when it is none. */
function decodeJsonSegment(
  segment: string,
): { value: Record<string, unknown>; duplicate: string | undefined } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return null;
  try {
    const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? { value: value as Record<string, unknown>, duplicate: duplicateKey(text) }
      : null;
  } catch {
    return null;
  }
}
