/**
 * Whether a bearer token or API key is one, before it is used or saved: the
 * rule it breaks, worded to follow "it must be", or null. Shared by the
 * environment rules (`THOTH_AUTH_TOKEN`, `THOTH_RUNTIME_BEARER_TOKEN`,
 * `THOTH_API_KEY`), the token and key files, and `thoth set-api-key`. Pure.
 *
 * @example
 * ```ts
 * tokenProblem("eyJhbGciOiJIUzI1NiJ9.e30.sig"); // null
 * tokenProblem('"eyJhbGciOiJIUzI1NiJ9.e30.sig"'); // QUOTED_TOKEN_RULE
 * ```
 */
import { TOKEN, TOKEN_RULE } from "./_env_rules.ts";

export { TOKEN_RULE };

/** Why a token is refused when it starts with `Bearer `: thoth adds that word itself. */
export const BEARER_PREFIX_RULE =
  'given without the "Bearer " in front (thoth adds it when it sends the token)';
/** Why a token in quotes is refused: the quotes would be sent as part of it. */
export const QUOTED_TOKEN_RULE =
  'given without the quotes around it (jq prints a string in quotes: use "jq -r")';
/** Why `null`, `true`, a JSON array… is refused: no token is one, the token was missing. */
export const NOT_A_TOKEN_RULE =
  "a token, not a word such as null, None, undefined, true or false, nor a JSON array or " +
  "object (was the token missing where it was copied from?)";

/**
 * The rule a bearer token or API key breaks, or null when it is one: the
 * `Bearer ` scheme word in front ({@linkcode BEARER_PREFIX_RULE}), quotes
 * around it (`"eyJ…"`, as `jq` without `-r` prints a string), a word or
 * JSON structure a missing value prints as and no token is (`null`, `None`,
 * `nil`, `undefined`, `true`, `false`, `[…]`, `{…}`, in any case), then
 * {@linkcode TOKEN}. The specific reasons come first, so a
 * person is told what to change rather than the character rule.
 *
 * @example
 * ```ts
 * tokenProblem("eyJhbGciOiJIUzI1NiJ9.e30.sig"); // null
 * tokenProblem('"eyJhbGciOiJIUzI1NiJ9.e30.sig"'); // QUOTED_TOKEN_RULE
 * tokenProblem("null"); // NOT_A_TOKEN_RULE
 * ```
 */
export function tokenProblem(value: string): string | null {
  if (/^bearer[ \t]/i.test(value)) return BEARER_PREFIX_RULE;
  if (value.length >= 2 && /^(["'`]).*\1$/s.test(value)) return QUOTED_TOKEN_RULE;
  if (/^(?:null|undefined|true|false|none|nil)$/i.test(value)) return NOT_A_TOKEN_RULE;
  if (/^\[.*\]$/s.test(value) || /^\{.*\}$/s.test(value)) return NOT_A_TOKEN_RULE;
  return TOKEN.test(value) ? null : TOKEN_RULE;
}
