/**
 * JSON Web Tokens: three base64url parts separated by dots whose first part
 * decodes to a JSON object with an `alg` and whose second is a JSON object.
 *
 * @example
 * ```ts
 * detectJwt("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz", undefined); // true
 * detectJwt("eyJ.eyJ.x", undefined); // false
 * ```
 */

const JWT = /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{5,})\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

function decodeHeader(part: string): unknown {
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)));
  } catch {
    return undefined;
  }
}

/** Whether `text` holds a JWT. */
export function detectJwt(text: string, _key: string | undefined): boolean {
  if (!text.includes("eyJ")) return false;
  for (const m of text.matchAll(JWT)) {
    const header = decodeHeader(m[1] as string);
    if (
      header !== null && typeof header === "object" &&
      typeof (header as Record<string, unknown>)["alg"] === "string"
    ) return true;
  }
  return false;
}
