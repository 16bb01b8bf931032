import assert from "node:assert/strict";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";
import { showEnvValue, showValue } from "../../src/identity/shown_env_value.ts";
import { valueShownIn } from "../../src/identity/value_shown_in.ts";
import { AppError } from "../../src/errors.ts";

const AWS = "AKIAIOSFODNN7EXAMPLE";
const GITHUB = "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function hidden(value: string): string {
  return `(value hidden: it looks like a key or token, fingerprint ${secretFingerprint(value)})`;
}

Deno.test("showValue() shows a flag's value by the rule of an env value", () => {
  assert.equal(showValue(AWS), hidden(AWS));
  assert.equal(showValue(AWS), showEnvValue("THOTH_TENANT_ID", AWS));
  assert.equal(showValue("Acme Corp"), '"Acme Corp"');
  assert.equal(
    showValue("https://admin:hunter2@example.com"),
    '"https://example.com" (user and password removed)',
  );
});

Deno.test("valueShownIn() hides a quoted key-like value and keeps no cause that holds it", () => {
  const error = new AppError(
    "usage.bad_flag",
    `--lines: ${JSON.stringify(GITHUB)} is not a number`,
    {
      hints: ["write digits"],
    },
  );
  const shown = valueShownIn(error, GITHUB);
  assert.equal(shown.message, `--lines: ${hidden(GITHUB)} is not a number`);
  assert.deepEqual([shown.code, shown.hints, shown.exitCode], [
    "usage.bad_flag",
    ["write digits"],
    2,
  ]);
  assert.equal(shown.cause, undefined);
  const plain = new AppError("usage.bad_flag", '--lines: "x" is not a number');
  assert.equal(valueShownIn(plain, "x"), plain);
});
