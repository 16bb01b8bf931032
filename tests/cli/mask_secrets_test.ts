/** maskSecrets: a dry run's diff shows a key by fingerprint, and every other byte as it is. */
import assert from "node:assert/strict";
import { maskSecrets } from "../../src/cli/apply_config_plan.ts";
import { secretFingerprint } from "../../src/identity/secret_fingerprint.ts";

const KEY = "sk-live-DryRunSecret7f3a9c";
const SHOWN = `<api key, fingerprint ${secretFingerprint(KEY)}>`;

Deno.test("maskSecrets keeps lines without a secret byte for byte", () => {
  const text = '{\n  // "keep" me\n  "a": "x\\u0079",\n  "k": "' + KEY + '"\n}\n';
  const masked = maskSecrets(text, [KEY, ""]);
  assert.equal(
    masked,
    '{\n  // "keep" me\n  "a": "x\\u0079",\n  "k": "' + SHOWN + '"\n}\n',
  );
  assert.equal(maskSecrets(text, []), text);
});
