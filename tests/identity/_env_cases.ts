/**
 * Valid and invalid values of each of thoth's environment variables, for the
 * env tests, as judged on Linux (pass `"linux"` as the OS): a Windows path is
 * not absolute there.
 */
export const ENV_CASES: { variable: string; valid: string[]; invalid: string[] }[] = [
  {
    variable: "THOTH_TENANT_ID",
    valid: ["acme", "a", "acme-health-2", "x".repeat(63)],
    invalid: ["Acme", "-acme", "acme-", "acme.corp", "acme corp", "x".repeat(64), "acme_corp"],
  },
  {
    variable: "THOTH_USER_ID",
    valid: ["you@company.com", "ana.lopez+mcp@acme.example.org"],
    invalid: [
      "you",
      "you@",
      "@company.com",
      "you@company",
      "you @company.com",
      "a..b@c.com",
      "<a@b.com>",
    ],
  },
  {
    variable: "THOTH_FLEET_ID",
    valid: ["fleet-1", "f_2.prod:eu", "7"],
    invalid: ["-fleet", "fleet 1", "fleet/1", "x".repeat(129)],
  },
  ...["THOTH_INTUNE_DEVICE_ID", "INTUNE_DEVICE_ID", "THOTH_JAMF_COMPUTER_ID", "JAMF_COMPUTER_ID"]
    .map(
      (variable) => ({
        variable,
        valid: ["1042", "5a8e3c2f-0d4b-4f9a-9d52-2b8d1c6e7f10"],
        invalid: ["device 1", "{guid}", ".hidden"],
      }),
    ),
  ...["THOTH_RUNTIME_BEARER_TOKEN", "THOTH_AUTH_TOKEN", "THOTH_API_KEY"].map((variable) => ({
    variable,
    valid: ["aten_thoth_agent_prod_abc123", "eyJhbGciOiJIUzI1NiJ9.e30.sig", 'a"b', "nullable"],
    invalid: [
      "has space",
      "line\nbreak",
      "x".repeat(16385),
      "tab\there",
      '"eyJhbGciOiJIUzI1NiJ9.e30.sig"',
      "'aten_thoth_agent_prod_abc123'",
      "null",
      "NULL",
      "undefined",
      "true",
      "false",
      "None",
      "[]",
      '["eyJhbGciOiJIUzI1NiJ9.e30.sig"]',
      '{"access_token":"eyJhbGciOiJIUzI1NiJ9.e30.sig"}',
      "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
    ],
  })),
  ...["THOTH_AUTH_TOKEN_FILE", "THOTH_API_KEY_FILE", "THOTH_HOME"].map((variable) => ({
    variable,
    valid: ["/etc/thoth/token", "/Users/ana/.thoth/token.json"],
    invalid: [
      "relative/token",
      "~/token",
      "token.json",
      "C:\\Users\\ana\\token.json",
      "\\\\server\\share\\key.json",
    ],
  })),
  {
    variable: "THOTH_APEX_DOMAIN",
    // Capitals are taken in lowercase: a DNS name is case-insensitive.
    valid: ["example.com", "thoth.acme.example.org", "Example.com", "EXAMPLE.COM"],
    invalid: ["example", "https://example.com", "example.com.", "-a.com", "Exa_mple.com"],
  },
  {
    variable: "THOTH_ENV",
    valid: ["prod", "staging", "dev-2", "PROD", "Staging"],
    invalid: ["2prod", "pro d", "x".repeat(33), "PRO_D"],
  },
  {
    variable: "THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC",
    valid: ["1", "60", "86400"],
    invalid: ["0", "-5", "1.5", "sixty", "86401", "60s", "+60"],
  },
];
