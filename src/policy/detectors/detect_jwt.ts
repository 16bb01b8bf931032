/**
 * JSON Web Tokens: three base64url parts separated by dots whose first part
 * decodes to a JSON object with an `alg` member holding a string.
 *
 * Only a first part that spells `"alg"` in base64 is decoded at all (the
 * three spellings it has, at the three positions it can take in a 3-byte
 * group; text with none of them is not searched), and the decoded text is
 * tested without a JSON parser, so JWT-shaped text that is no token costs a
 * substring test per match.
 *
 * The example token of jwt.io, copied into many tutorials (claims `sub`
 * `"1234567890"`, `name` `"John Doe"`, `iat` 1516239022, maybe `admin`) is
 * documentation, not a credential, and does not count; a token with any other
 * claim does.
 *
 * @example
 * ```ts
 * detectJwt("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz", undefined); // true
 * detectJwt("eyJ.eyJ.x", undefined); // false
 * ```
 */

/** Three parts, the first two JSON objects. */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/**
 * `"alg"` in base64 when it starts at byte 0, 1 or 2 of a 3-byte group: the
 * characters its five bytes fix (`btoa('"alg"')`, `btoa('\0"alg"')` and
 * `btoa('\0\0"alg"')` without the characters the other bytes share).
 */
const BASE64_ALG = ["ImFsZy", "JhbGci", "iYWxnI"] as const;
/** `John Doe` in base64 the same way: only a payload holding it can be the example. */
const BASE64_JOHN_DOE = ["Sm9obiBEb2", "pvaG4gRG9l", "Kb2huIERvZ"] as const;
/** An `alg` member holding a string, as a decoded header writes it. */
const ALG_MEMBER = /"alg"\s*:\s*"/;
/** The claims the example token may hold. */
const EXAMPLE_CLAIMS = new Set(["sub", "name", "iat", "admin"]);

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Each base64url character's six bits, by its code (-1 for any other ASCII character). */
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64URL.length; i++) SEXTET[BASE64URL.charCodeAt(i)] = i;

/**
 * The bytes a base64url part decodes to, one character per byte, or
 * undefined if it cannot be whole bytes. Decoded here rather than by `atob()`,
 * whose cost per call would dominate a text of many short JWT-shaped parts.
 */
function decodePart(part: string): string | undefined {
  // Four characters carry three bytes; a lone fifth carries none.
  if (part.length % 4 === 1) return undefined;
  let out = "";
  let bits = 0;
  let held = 0;
  for (let i = 0; i < part.length; i++) {
    // The parts matched hold only base64url characters.
    bits = ((bits << 6) | SEXTET[part.charCodeAt(i)]!) & 0xffffff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      out += String.fromCharCode((bits >> held) & 0xff);
    }
  }
  return out;
}

/** Whether `text` holds one of `spellings` (a loop, not a closure per call). */
function holdsAny(text: string, spellings: readonly string[]): boolean {
  for (const s of spellings) if (text.includes(s)) return true;
  return false;
}

/**
 * What a part's last characters are when its last byte is `}`, by the
 * part's length modulo 4 (0: three bytes in the last group, 2: one, 3: two).
 */
const CLOSING_BRACE = ["9", "", "fQ", "0"] as const;

/** Whether a first part decodes to a JSON object with an `alg` string. */
function isHeader(part: string): boolean {
  const closing = CLOSING_BRACE[part.length % 4]!;
  if (closing === "" || !part.endsWith(closing) || !holdsAny(part, BASE64_ALG)) return false;
  // It starts with `{"` (eyJ) and ends with `}`: what lies between decides.
  return ALG_MEMBER.test(decodePart(part) ?? "");
}

/** Whether a second part holds the claims of the well-known example token and no others. */
function isExamplePayload(part: string): boolean {
  if (!holdsAny(part, BASE64_JOHN_DOE)) return false;
  let claims: unknown;
  try {
    claims = JSON.parse(decodePart(part) ?? "");
  } catch {
    return false;
  }
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) return false;
  const c = claims as Record<string, unknown>;
  return c["sub"] === "1234567890" && c["name"] === "John Doe" && c["iat"] === 1516239022 &&
    Object.keys(c).every((k) => EXAMPLE_CLAIMS.has(k));
}

/** Whether `text` holds a JWT other than the well-known example. */
export function detectJwt(text: string, _key: string | undefined): boolean {
  if (!text.includes("eyJ") || !holdsAny(text, BASE64_ALG)) return false;
  // The example repeated (a page of documentation) is decoded once.
  let exampleHeader: string | undefined;
  let examplePayload: string | undefined;
  for (const m of text.matchAll(JWT)) {
    const token = m[0];
    const headerEnd = token.indexOf(".");
    const header = token.slice(0, headerEnd);
    const payload = token.slice(headerEnd + 1, token.indexOf(".", headerEnd + 1));
    if (header === exampleHeader && payload === examplePayload) continue;
    if (!isHeader(header)) continue;
    if (!isExamplePayload(payload)) return true;
    exampleHeader = header;
    examplePayload = payload;
  }
  return false;
}
