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
 * The example tokens of jwt.io, copied into many tutorials (HS256, claims
 * `sub` `"1234567890"`, `name` `"John Doe"`, `iat` 1516239022, maybe `admin`
 * `true`, signed with the secret the page shows) are documentation, not
 * credentials, and do not count: each whole token, signature included. The
 * same claims under another header or signature count (the debugger signs
 * them with any secret typed into it, a production one too). Nor does a
 * token whose signature is filler (`….xxxxxxxx`, see `filler_token.ts`):
 * it is signed by no key, so it is a placeholder, not a credential; an empty
 * signature (`alg` `none`) still counts. A token glued after base64url
 * characters is no token, unless they are filler back to where they start
 * (`xxxxeyJ…`, see `glued_filler.ts`); one after text that looks like a
 * token's first part (`eyJfoo.` + a token) still counts.
 *
 * @example
 * ```ts
 * detectJwt("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz", undefined); // true
 * detectJwt("eyJ.eyJ.x", undefined); // false
 * ```
 */

import { fillerToken } from "./filler_token.ts";
import { tokensApart, tokenShape } from "./glued_filler.ts";

/** What every token starts with: `{"` in base64. */
export const JWT_STARTS = ["eyJ"] as const;

/**
 * Three parts, the first two JSON objects, standing apart from base64url
 * characters before them or glued to filler; the last part runs as far as
 * its characters go (the shortest token has 18 characters). (`{5}…*` rather than `{5,}`: V8 backtracks out of a loop
 * with no upper bound one character at a time, fast, but out of a counted one
 * slowly enough to count as excessive.)
 */
const JWT = tokenShape(
  JWT_STARTS,
  "eyJ[A-Za-z0-9_-]{5}[A-Za-z0-9_-]*\\.eyJ[A-Za-z0-9_-]{5}[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*",
  "A-Za-z0-9_-",
  "",
  18,
);

/**
 * `"alg"` in base64 when it starts at byte 0, 1 or 2 of a 3-byte group: the
 * characters its five bytes fix (`btoa('"alg"')`, `btoa('\0"alg"')` and
 * `btoa('\0\0"alg"')` without the characters the other bytes share).
 */
const BASE64_ALG = ["ImFsZy", "JhbGci", "iYWxnI"] as const;
/** An `alg` member holding a string, as a decoded header writes it. */
const ALG_MEMBER = /"alg"\s*:\s*"/;
/** The HS256 header of the examples, `{"alg":"HS256","typ":"JWT"}`. */
const EXAMPLE_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
/** The example claims, without `admin` and with `"admin":true` before `iat`. */
const EXAMPLE_CLAIMS = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";
const EXAMPLE_ADMIN_CLAIMS = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi" +
  "YWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0";
/**
 * The example tokens whole: the claims signed with `your-256-bit-secret`
 * (jwt.io's example for years), and with `admin` signed with it and with
 * `a-string-secret-at-least-256-bits-long` (its debugger's default now). Each
 * signature is the HMAC-SHA256 of the token's first two parts under that
 * secret (tests/policy/detectors recompute them).
 */
const EXAMPLE_TOKENS: ReadonlySet<string> = new Set([
  `${EXAMPLE_HEADER}.${EXAMPLE_CLAIMS}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`,
  `${EXAMPLE_HEADER}.${EXAMPLE_ADMIN_CLAIMS}.reGQzG3OKdoIMWLDKOZ4TICJit3EW69cQE72E2CfzRE`,
  `${EXAMPLE_HEADER}.${EXAMPLE_ADMIN_CLAIMS}.KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30`,
]);

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

/** Whether `text` holds a JWT other than the well-known examples and placeholders. */
export function detectJwt(text: string, _key: string | undefined): boolean {
  if (!text.includes("eyJ") || !holdsAny(text, BASE64_ALG)) return false;
  // Each place a token may start is tried: a look-alike before a token (`eyJfoo.` + a token)
  // does not hide it.
  for (const m of tokensApart(text, JWT)) {
    const token = m[0];
    if (EXAMPLE_TOKENS.has(token) || fillerToken(token.slice(token.lastIndexOf(".") + 1))) {
      continue;
    }
    if (isHeader(token.slice(0, token.indexOf(".")))) return true;
  }
  return false;
}
