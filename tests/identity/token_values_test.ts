/**
 * A bearer token or API key that is not one is refused wherever thoth takes
 * it, saying what to change: a token in quotes (`jq` without `-r` prints a
 * string so), after `Bearer `, or a word or JSON structure a missing value
 * prints as (`null`, `true`, `[…]`). Such a value was taken as a valid,
 * unexpiring credential: a quoted JWT hid its own expiry.
 */
import assert from "node:assert/strict";
import {
  BEARER_PREFIX_RULE,
  NOT_A_TOKEN_RULE,
  QUOTED_TOKEN_RULE,
  TOKEN_RULE,
  tokenProblem,
} from "../../src/identity/token_problem.ts";
import { parseAuthTokenFile } from "../../src/identity/parse_auth_token_file.ts";
import { parseApiKeyFile } from "../../src/identity/parse_api_key_file.ts";
import { validateThothEnv } from "../../src/identity/validate_thoth_env.ts";
import { quickThothEnv } from "../../src/identity/quick_thoth_env.ts";
import { isAppError } from "../../src/errors.ts";

/** A JWT that expired in 2001. */
const EXPIRED_JWT = [
  btoa(JSON.stringify({ alg: "HS256" })),
  btoa(JSON.stringify({ exp: 1_000_000_000 })),
  "c2ln",
].map((part) => part.replaceAll("=", "")).join(".");

Deno.test("tokenProblem() names quotes, a Bearer prefix and placeholder words first", () => {
  const cases: [string, string | null][] = [
    [EXPIRED_JWT, null],
    ["aten_thoth_agent_prod_abc123", null],
    ['"' + EXPIRED_JWT + '"', QUOTED_TOKEN_RULE],
    ["'aten_thoth_agent_prod_abc123'", QUOTED_TOKEN_RULE],
    ["Bearer " + EXPIRED_JWT, BEARER_PREFIX_RULE],
    ["bearer\t" + EXPIRED_JWT, BEARER_PREFIX_RULE],
    ["null", NOT_A_TOKEN_RULE],
    ["undefined", NOT_A_TOKEN_RULE],
    ["True", NOT_A_TOKEN_RULE],
    ["false", NOT_A_TOKEN_RULE],
    ["None", NOT_A_TOKEN_RULE],
    ["[]", NOT_A_TOKEN_RULE],
    ['["k"]', NOT_A_TOKEN_RULE],
    ['{"a":1}', NOT_A_TOKEN_RULE],
    ["has space", TOKEN_RULE],
    ['"', null],
    ["nullable", null],
  ];
  for (const [value, rule] of cases) assert.equal(tokenProblem(value), rule, value);
  assert.match(QUOTED_TOKEN_RULE, /jq -r/);
  assert.match(BEARER_PREFIX_RULE, /without the "Bearer "/);
});

Deno.test("THOTH_AUTH_TOKEN in quotes or null is refused by the schema and the quick check alike", () => {
  for (const variable of ["THOTH_AUTH_TOKEN", "THOTH_RUNTIME_BEARER_TOKEN", "THOTH_API_KEY"]) {
    for (
      const [value, rule] of [
        ['"' + EXPIRED_JWT + '"', /without the quotes around it .*jq -r/],
        ["null", /not a word such as null/],
        ["Bearer " + EXPIRED_JWT, /without the "Bearer " in front/],
      ] as const
    ) {
      const result = validateThothEnv({ [variable]: value }, "linux");
      assert.equal(result.ok, false, `${variable}=${value}`);
      if (result.ok) continue;
      assert.match(result.problems[0]!.message, rule);
      assert.ok(!result.problems[0]!.message.includes(EXPIRED_JWT.slice(0, 20)));
      assert.equal(quickThothEnv({ [variable]: value }, "linux"), undefined, value);
    }
  }
});

Deno.test("a token file in quotes, null, a JSON array or after Bearer is not valid", () => {
  const cases: [string, RegExp][] = [
    [`"${EXPIRED_JWT}"\n`, /the token must be given without the quotes around it .*jq -r/],
    ["null\n", /the token must be a token, not a word such as null/],
    ["undefined", /not a word such as null/],
    [`["${EXPIRED_JWT}"]`, /nor a JSON array or object/],
    [`Bearer ${EXPIRED_JWT}`, /given without the "Bearer " in front/],
    ['{"access_token":"null"}', /not a word such as null/],
    [`{"access_token":"\\"${EXPIRED_JWT}\\""}`, /without the quotes around it/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parseAuthTokenFile(text, "/t/token"), (error: unknown) => {
      assert.ok(isAppError(error, "credentials.malformed"), String(error));
      assert.match(error.message, /^token file "\/t\/token" is not valid: /);
      assert.match(error.message, why);
      assert.ok(!error.message.includes(EXPIRED_JWT.slice(0, 20)), error.message);
      return true;
    }, text);
  }
  // Unquoted, the same JWT is read with its expiry.
  assert.equal(
    parseAuthTokenFile(EXPIRED_JWT, "/t/token").expiresAt?.toISOString(),
    "2001-09-09T01:46:40.000Z",
  );
});

Deno.test("an API key file with a quoted or null key, or empty, says so", () => {
  const cases: [string, RegExp][] = [
    [
      '{"api_key":"\\"aten_thoth_agent_prod_abc123\\""}',
      /"api_key" must be given without the quotes/,
    ],
    ['{"api_key":"null"}', /"api_key" must be a token, not a word such as null/],
    ["", /is not valid: it is empty/],
    [" \n", /is not valid: it is empty/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parseApiKeyFile(text, "/k/key.json"), (error: unknown) => {
      assert.ok(isAppError(error, "credentials.malformed"));
      assert.match(error.message, why);
      assert.doesNotMatch(error.message, /not JSON/);
      return true;
    }, JSON.stringify(text));
  }
});
