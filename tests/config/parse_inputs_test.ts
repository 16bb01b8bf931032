import assert from "node:assert/strict";
import { parseEnvPair } from "../../src/config/parse_env_pair.ts";
import { parseIntentMap } from "../../src/config/parse_intent_map.ts";
import { isAppError } from "../../src/errors.ts";

Deno.test("parseEnvPair() splits at the first =", () => {
  assert.deepEqual(parseEnvPair("THOTH_USER_ID=ana@example.com"), [
    "THOTH_USER_ID",
    "ana@example.com",
  ]);
  assert.deepEqual(parseEnvPair("A=b=c"), ["A", "b=c"]);
  assert.deepEqual(parseEnvPair("EMPTY="), ["EMPTY", ""]);
});

Deno.test("parseEnvPair() rejects keys that are not variable names", () => {
  for (const bad of ["NOVALUE", "1A=x", "A-B=x", "=x", "A B=x", "THOTH_WRAP=x"]) {
    assert.throws(() => parseEnvPair(bad), (e) => isAppError(e, "usage.bad_env"), bad);
  }
});

Deno.test("parseIntentMap() reads server → intent", () => {
  assert.deepEqual(
    parseIntentMap(
      '{\n  // comment\n  "gdrive": "calendar_management",\n  "phi": "phi_eligibility_check"\n}',
      "m.json",
    ),
    { gdrive: "calendar_management", phi: "phi_eligibility_check" },
  );
});

Deno.test("parseIntentMap() rejects non-string intents and malformed files", () => {
  assert.throws(
    () => parseIntentMap('{"gdrive": 3}', "m.json"),
    (e) => isAppError(e, "intent_map.invalid") && /"gdrive"/.test(e.message),
  );
  assert.throws(
    () => parseIntentMap('{"gdrive": "bad intent"}', "m.json"),
    (e) => isAppError(e, "intent_map.invalid"),
  );
  assert.throws(
    () => parseIntentMap('{"gdrive" "x"}', "m.json"),
    (e) => isAppError(e, "intent_map.invalid") && /m\.json:1:11/.test(e.message),
  );
});
