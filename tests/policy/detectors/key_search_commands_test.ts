/**
 * A command or a list that searches for key headers names a folder or a file
 * after the header: a quoted path is written in base64's own characters, and
 * it is no key's first line.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { detectPrivateKey } from "../../../src/policy/detectors/detect_private_key.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

/** Text that searches for a key header and names where: no key. */
const SEARCHES: Record<string, string> = {
  "grep with single quotes": "grep -rl -- '-----BEGIN PRIVATE KEY-----' '/srv/app/config/certs'",
  "rg with double quotes":
    `rg -l "-----BEGIN OPENSSH PRIVATE KEY-----" "/var/lib/jenkins/workspace"`,
  "a Python tuple of a header and a file":
    `MARKERS = ("-----BEGIN PRIVATE KEY-----", "/etc/ssl/private/server.key")`,
  "a call with a header and a file":
    `check('-----BEGIN PRIVATE KEY-----', '/home/user/keys/id_rsa')`,
  "an unquoted header then a folder":
    "grep -r -e -----BEGIN\\ RSA\\ PRIVATE\\ KEY----- /srv/app/config/certs2024",
  "a relative folder": `grep -rl "-----BEGIN EC PRIVATE KEY-----" "deploy/secrets/prod2024keys"`,
  "a long relative folder":
    `rg "-----BEGIN PRIVATE KEY-----" "var/lib/jenkins/workspace/myproject/secrets"`,
  "a folder in mixed case": `rg "-----BEGIN PRIVATE KEY-----" "Users/jane/keys/Work2024"`,
  "a header then a short identifier after a semicolon":
    `const h = "-----BEGIN PRIVATE KEY-----"; base64Der2048Encoded = x`,
};

const LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDWmVkmbrvN7uXs";
const OPENSSH = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";

/** Keys written in ways the detector did not read before. */
const WRITTEN: Record<string, string> = {
  "PHP strings joined by a dot":
    `$key = '-----BEGIN PRIVATE KEY-----' . "\\n" .\n  '${LINE}' . "\\n";`,
  "Perl strings joined by a dot": `my $k = "-----BEGIN PRIVATE KEY-----\\n" .\n  "${LINE}\\n";`,
  "INI comments": `; -----BEGIN PRIVATE KEY-----\n; ${LINE}\n`,
  "TeX or Erlang comments": `% -----BEGIN OPENSSH PRIVATE KEY-----\n% ${OPENSSH}\n`,
};

Deno.test("detectPrivateKey() takes a quoted path after a header for no key", () => {
  const flagged = Object.entries(SEARCHES).filter(([, t]) => detectPrivateKey(t, undefined));
  assert.deepEqual(flagged.map(([name]) => name), []);
});

Deno.test("detectPrivateKey() still finds a key whose line follows the same quotes", () => {
  const keys = [
    `k = ('-----BEGIN PRIVATE KEY-----', '${LINE}')`,
    `rg "-----BEGIN OPENSSH PRIVATE KEY-----" "${OPENSSH}"`,
    // A line of a key may hold slashes anywhere but at its start.
    `["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0B/QEFAASC/KcwggSjAgEAAoIBAQDW"]`,
  ];
  for (const text of keys) assert.equal(detectPrivateKey(text, undefined), true, text);
});

Deno.test("detectPrivateKey() finds a key joined by dots or behind ; and % comments", () => {
  const missed = Object.entries(WRITTEN).filter(([, t]) => !detectPrivateKey(t, undefined));
  assert.deepEqual(missed.map(([name]) => name), []);
});

Deno.test("evaluate() finds no key in a search for key headers in a folder", () => {
  const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"), {
    home: "/home/ana",
    os: "linux",
    bases: ["/srv/app"],
    ownFolders: ["/home/ana/.thoth"],
    clientConfigs: [],
  });
  for (const command of Object.values(SEARCHES).slice(0, 4)) {
    const verdict = evaluate(policy, toolCall("shell", "run", { command }), {});
    // No detector finding: only the default's command-runners rule asks about "run".
    assert.deepEqual(
      [verdict.decision, verdict.ruleIds],
      ["step_up", ["command-runners"]],
      command,
    );
  }
  const key = evaluate(
    policy,
    toolCall("shell", "run", { command: `echo '-----BEGIN PRIVATE KEY-----' '${LINE}'` }),
    {},
  );
  assert.equal(key.decision, "block");
});
