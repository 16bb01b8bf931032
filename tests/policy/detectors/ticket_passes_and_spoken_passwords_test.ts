/**
 * `pass` at the end of a name is a password when nothing or a word that owns
 * a password stands before it (`db_pass`, `adminPwd`, `REDIS_PASS`), and a
 * ticket under a label written for people (`Boarding Pass`). A password
 * said in prose is found at the end of a sentence, after `is:`, in
 * backticks or parentheses, and with a dash in it, while a rule about a
 * password (`is required.`, `is SHA256-hashed`, `8-16-chars`) is not one.
 */
import assert from "node:assert/strict";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { detectApiKeyAssignment } from "../../../src/policy/detectors/detect_api_key_assignment.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { toolCall } from "../_call.ts";
import { SLOW_MS } from "./_slow_ms.ts";
import { threadCpu } from "../../_thread_cpu.ts";

const policy = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "default.jsonc"));

Deno.test("evaluate() lets a ticket under a label ending in Pass through", () => {
  const tickets: Record<string, string>[] = [
    { "Boarding Pass": "BA0117-12A-LHR" },
    { "Season Pass": "GOLD-2024-0042" },
    { "Day Pass": "DP20240512A" },
    { "Guest Pass": "GP-7F3K9Q2" },
    { "Bus Pass": "BUS-77213-X" },
    { "Hall Pass": "HP-2024-0917" },
    { "Visitor Pass": "V-20240512-7" },
    { "All Access Pass": "AAP-99X-2024" },
    { boarding_pass: "BA0117-12A-LHR" },
    { seasonPass: "GOLD-2024-0042" },
  ];
  for (const args of tickets) {
    const e = evaluate(policy, toolCall("travel", "save", args), {});
    assert.equal(e.decision, "allow", `${JSON.stringify(args)}: ${e.reasons.join("; ")}`);
    assert.deepEqual(e.findings, [], JSON.stringify(args));
  }
  for (const args of [{ "Wifi Pass": "Tr0ub4dor&3x" }, { "DB Pass": "Tr0ub4dor&3x" }]) {
    const e = evaluate(policy, toolCall("notes", "save", args), {});
    assert.equal(e.decision, "block", JSON.stringify(args));
  }
});

Deno.test("detectApiKeyAssignment() reads pass after an owner, alone or in code as a password", () => {
  for (
    const key of [
      "pass",
      "db_pass",
      "DB_PASS",
      "smtp_pass",
      "admin_pwd",
      "user_pass",
      "root_pass",
      "mysql_pass",
      "ftp_pass",
      "proxy_pass",
      "dbPass",
      "adminPass",
      "mysqlRootPass",
      "MYSQL_PWD",
      "REDIS_PASS",
      "sonar_pass",
      "Wifi_Pass",
      "DB_Pass",
      "config.db_pass",
    ]
  ) {
    assert.equal(detectApiKeyAssignment("Tr0ub4dor&3x", key), true, key);
  }
  for (const key of ["Boarding_Pass", "boarding_pass", "BOARDING_PASS", "ski_pass", "dayPass"]) {
    assert.equal(detectApiKeyAssignment("Tr0ub4dor&3x", key), false, key);
  }
});

Deno.test("detectApiKeyAssignment() finds a password said at the end of a sentence", () => {
  for (
    const text of [
      "Hi Bob, the wifi password is Xq9vR2mT8kLp.",
      "The password is Xq9vR2mT8kLp. Please change it.",
      "Your temporary password is: Xq9vR2mT8kLp",
      "the password is `Xq9vR2mT8kLp`",
      "the password is (Xq9vR2mT8kLp)",
      "the password is `Tr0ub4dor&3x`.",
      "password: Xq9vR2mT8kLp.",
      "the password is Xq9vR2mT8kLp!",
    ]
  ) {
    assert.equal(detectApiKeyAssignment(text, undefined), true, text);
  }
  for (
    const text of [
      "the password is required.",
      "The password is changed every 90 days.",
      "the password is wrong.",
      "the password is 12+ chars.",
      "the password is v2.3.1.",
      "the password is args.pwd1.",
      "password: config.db.",
      'password = `os.environ["DB_PASS2"]`',
      "password (see vault item 42)",
      "--- PASS: TestLogin2FA (0.00s)",
    ]
  ) {
    assert.equal(detectApiKeyAssignment(text, undefined), false, text);
  }
});

Deno.test("detectApiKeyAssignment() reads a dash in a spoken password as part of it", () => {
  for (
    const text of [
      "the password is Blue42-horse",
      "password - Blue42-horse",
      "the password is 7-tiger-lamp-river",
      "the password is Blue42-horse.",
      "password: Blue42-horse",
    ]
  ) {
    assert.equal(detectApiKeyAssignment(text, undefined), true, text);
  }
  for (
    const text of [
      "the password is SHA256-hashed before storage",
      "the password is SHA-256-hashed",
      "the password is AES256-encrypted",
      "the password is bcrypt-hashed",
      "the password is Argon2id-hashed.",
      "the password is MD5-hashed.",
      "the password is 256-bit-encrypted.",
      "password is 2048-bit",
      "password - 8-16-chars",
      "the password is min-8-chars",
    ]
  ) {
    assert.equal(detectApiKeyAssignment(text, undefined), false, text);
  }
});

Deno.test("the secret detector stays linear on inputs shaped against spoken values", () => {
  const N = 1024 * 1024;
  const inputs = [
    "password is: ".repeat(N / 13),
    "password is `".repeat(N / 13),
    "password is (".repeat(N / 13),
    "password is `" + "a1-".repeat(N / 3),
    "password is (" + "a1-".repeat(N / 3),
    "password - " + "7-tiger".repeat(N / 7),
    "db_pass=" + "Boarding_".repeat(N / 9),
    "password is Xq9vR2mT8kLp.".repeat(N / 25),
  ];
  const slow: string[] = [];
  for (const [i, text] of inputs.entries()) {
    for (const key of ["Boarding_Pass", "db_pass", undefined]) {
      const ms = threadCpu(() => detectApiKeyAssignment(text, key)).cpuMs;
      if (ms > SLOW_MS) slow.push(`input ${i} under ${key}: ${ms.toFixed(0)} ms of CPU`);
    }
  }
  assert.deepEqual(slow, []);
});
