/**
 * Reads the expiry (`exp`) of a JWT without checking its signature. thoth
 * only uses this to tell a person that a session has run out; the server that
 * receives the token is the one that verifies it. Pure.
 *
 * @example
 * ```ts
 * const token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.sig";
 * decodeJwtExpiry(token); // { isJwt: true, expiresAt: new Date(1700000000 * 1000) }
 * decodeJwtExpiry("opaque-key"); // { isJwt: false, expiresAt: null }
 * ```
 */

/** What a token's shape says about its expiry. */
export interface JwtExpiry {
  /** Whether the token is a JWS compact serialization with a JSON header. */
  readonly isJwt: boolean;
  /** The `exp` claim, or null when there is none or it is not a number. */
  readonly expiresAt: Date | null;
}

/** Decodes the `exp` claim of a JWT; never throws. */
export function decodeJwtExpiry(token: string): JwtExpiry {
  const parts = token.split(".");
  if (parts.length !== 3) return { isJwt: false, expiresAt: null };
  const header = decodeJsonSegment(parts[0] ?? "");
  if (header === null || typeof header["alg"] !== "string") {
    return { isJwt: false, expiresAt: null };
  }
  const payload = decodeJsonSegment(parts[1] ?? "");
  const exp = payload?.["exp"];
  if (typeof exp !== "number" || !Number.isFinite(exp)) return { isJwt: true, expiresAt: null };
  return { isJwt: true, expiresAt: new Date(exp * 1000) };
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
