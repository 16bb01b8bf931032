import assert from "node:assert/strict";
import { detectApiKeyAssignment } from "../../../src/policy/detectors/detect_api_key_assignment.ts";
import { detectHttpAuthorization } from "../../../src/policy/detectors/detect_http_authorization.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { seeded } from "../../_seeded.ts";
import { SLOW_MS } from "./_slow_ms.ts";
import { threadCpu } from "../../_thread_cpu.ts";

const SECRETS = { kinds: new Set(["secret" as const]) };

function randomUuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${
    hex.slice(20)
  }`;
}

function randomText(next: () => number, alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
}

const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

Deno.test("detectApiKeyAssignment() reads a value named by its sibling as scanArguments passes it", () => {
  // scanArguments() reads {"name": "DB_PASSWORD", "value": "…"} as the value under that name.
  assert.equal(detectApiKeyAssignment("Xk9mP2vL7qR4tZw8", "DB_PASSWORD"), true);
  assert.equal(detectApiKeyAssignment("Tr0ub4dor&3x", "MYSQL_PWD"), true);
  assert.deepEqual(scanArguments({ password: "Tr0ub4dor&3x" }, SECRETS).findings, [
    { kind: "secret", type: "api_key_assignment", path: "password" },
  ]);
});

Deno.test("detectApiKeyAssignment() takes no random UUID for a secret under a request token name", () => {
  const next = seeded(95);
  const names = [
    "ClientToken",
    "client_token",
    "clientToken",
    "idempotencyToken",
    "IdempotencyToken",
    "requestToken",
    "ClientRequestToken",
    "changeToken",
    "x-request-token",
  ];
  for (let i = 0; i < 2_000; i++) {
    const uuid = randomUuid(next);
    const name = names[i % names.length] as string;
    assert.equal(detectApiKeyAssignment(uuid, name), false, `${name}: ${uuid}`);
    assert.equal(detectApiKeyAssignment(`{"${name}":"${uuid}"}`, undefined), false, uuid);
  }
});

Deno.test("detectApiKeyAssignment() still takes a UUID for a secret under a key, secret or password name", () => {
  // Heroku API keys, webhook secrets and generated passwords are often UUIDs.
  const uuid = "1c65cfb6-efc7-49d3-9d00-28627b31d784";
  for (const name of ["api_key", "HEROKU_API_KEY", "webhookSecret", "password"]) {
    assert.equal(detectApiKeyAssignment(uuid, name), true, name);
  }
  assert.equal(detectApiKeyAssignment(`HEROKU_API_KEY=${uuid}`, undefined), true);
});

Deno.test("detectApiKeyAssignment() finds random secrets and passwords under their names", () => {
  const next = seeded(2026);
  let missed = 0;
  for (let i = 0; i < 1_000; i++) {
    const secret = randomText(next, BASE62, 24);
    if (!/[0-9]/.test(secret)) continue; // no digit, no finding (the scan's digit gate)
    const hits = [
      detectApiKeyAssignment(secret, "secretKey"),
      detectApiKeyAssignment(`STRIPE_SECRET_KEY=${secret}`, undefined),
      detectApiKeyAssignment(`apiKey := "${secret}"`, undefined),
      detectApiKeyAssignment(`<apiKey>${secret}</apiKey>`, undefined),
    ];
    missed += hits.filter((hit) => !hit).length;
  }
  // A 24-character base62 value falls under 3.5 bits per character almost never.
  assert.ok(missed <= 4, `missed ${missed}`);
});

Deno.test("detectApiKeyAssignment() reads a whole long token under its key", () => {
  // An STS session token is several hundred characters.
  const next = seeded(7);
  const token = "IQoJb3JpZ2luX2VjE" + randomText(next, BASE62 + "+/", 600) + "=";
  assert.equal(detectApiKeyAssignment(token, "SessionToken"), true);
  assert.equal(detectApiKeyAssignment(token, "NextToken"), false);
});

Deno.test("detectApiKeyAssignment() reads on inside a URL that names no secret itself", () => {
  assert.equal(
    detectApiKeyAssignment(
      '{"credentials": "https://reports.acme.net/export?token=Xk9mP2vL7qR4tZw8Hq7Lz2Vt"}',
      undefined,
    ),
    true,
  );
  assert.equal(
    detectApiKeyAssignment('{"credentials": "https://reports.acme.net/export?page=2"}', undefined),
    false,
  );
});

Deno.test("detectApiKeyAssignment() reads on inside a URL after a name it does not take", () => {
  // "token https://…" is no assignment (a space after a plain word), but the URL's own
  // `?token=` is one.
  const url = "https://reports.acme.net/export?token=Xk9mP2vL7qR4tZw8Hq7Lz2Vt";
  assert.equal(detectApiKeyAssignment(`Download token ${url}`, undefined), true);
  assert.equal(detectApiKeyAssignment(`PASS: ${url}`, undefined), true);
  assert.equal(
    detectApiKeyAssignment("Download token https://reports.acme.net/export?page=2", undefined),
    false,
  );
});

Deno.test("detectApiKeyAssignment() finds a name however far into the text, and however long", () => {
  const secret = "Xk9mP2vL7qR4tZw8Hq7Lz2Vt";
  // A long run of name characters before a name, then a name whose 40 characters
  // before its word reach back into the run.
  const name = "abcdefghij_abcdefghij_abcdefghij_abcdef_subscription_key";
  for (const run of ["_", ".", "-", "a_", " "]) {
    const pad = run.repeat(200_000 / run.length);
    assert.equal(detectApiKeyAssignment(`${pad}${name}=${secret}`, undefined), true, run);
    assert.equal(detectApiKeyAssignment(`${pad}api_key = "${secret}"`, undefined), true, run);
    assert.equal(detectApiKeyAssignment(`${pad}api_key=changeme_please`, undefined), false, run);
  }
  // Two names far apart: the second one's secret, after the longest separator and a
  // 256-character value under the first.
  const value = "v".repeat(256);
  const far = `api_key=${value}${" ".repeat(5_000)}token:${" ".repeat(40)}${secret}`;
  assert.equal(detectApiKeyAssignment(far, undefined), true);
  assert.equal(detectApiKeyAssignment(far.slice(0, -secret.length) + "short", undefined), false);
});

Deno.test("detectHttpAuthorization() takes any scheme word only after an Authorization name", () => {
  const token = "00QCjAl4MlV-WPXM9Y4p7m2kLrT0e8b3nH6zX1Yq";
  assert.equal(detectHttpAuthorization(`Authorization: SSWS ${token}`, undefined), true);
  assert.equal(detectHttpAuthorization(`SSWS ${token}`, "Proxy-Authorization"), true);
  assert.equal(detectHttpAuthorization(`SSWS ${token}`, undefined), false);
  assert.equal(detectHttpAuthorization(`SSWS ${token}`, "headers"), false);
  assert.equal(detectHttpAuthorization(`Authorization: SSWS\t\t${token}`, undefined), true);
});

Deno.test("the secret detectors stay linear on inputs shaped against their new patterns", () => {
  const N = 1024 * 1024;
  const inputs = [
    "token=http://x?".repeat(N / 15),
    "token=a?".repeat(N / 8),
    "--password ".repeat(N / 11),
    '"password", '.repeat(N / 12),
    "<apiKey>".repeat(N / 8),
    "api_key:a".repeat(N / 9),
    "api_key" + " value".repeat(N / 6),
    "api_key" + "\\".repeat(N),
    "Authorization: ".repeat(N / 15),
    "Authorization: Token " + "a1".repeat(N / 2) + "=x",
    ("a".repeat(39) + "_").repeat(N / 40) + "token",
    "_".repeat(N) + "key1",
    "key " + ".".repeat(N),
    "-".repeat(N / 2) + "password" + "-".repeat(N / 2),
    "key ".repeat(N / 4),
  ];
  const slow: string[] = [];
  for (const [i, text] of inputs.entries()) {
    for (const key of ["password", "Authorization", undefined]) {
      for (const detect of [detectApiKeyAssignment, detectHttpAuthorization]) {
        const ms = threadCpu(() => detect(text, key)).cpuMs;
        if (ms > SLOW_MS) slow.push(`${detect.name} on input ${i}: ${ms.toFixed(0)} ms of CPU`);
      }
    }
  }
  assert.deepEqual(slow, []);
});

Deno.test("detectApiKeyAssignment() takes no key published by design for a secret", () => {
  const next = seeded(2612);
  for (let i = 0; i < 50; i++) {
    const posthog = `phc_${randomText(next, BASE62, 43)}`;
    const stripe = `pk_live_${randomText(next, BASE62, 99)}`;
    assert.equal(detectApiKeyAssignment(`POSTHOG_KEY=${posthog}`, undefined), false, posthog);
    assert.equal(detectApiKeyAssignment(posthog, "POSTHOG_API_KEY"), false, posthog);
    assert.equal(detectApiKeyAssignment(`publishable: ${stripe}`, undefined), false, stripe);
    assert.equal(detectApiKeyAssignment(stripe, "stripe_api_key"), false, stripe);
    // The same random text without the public prefix is a secret under the same names.
    const secret = posthog.slice(4);
    assert.equal(detectApiKeyAssignment(`POSTHOG_KEY=${secret}`, undefined), true, secret);
    assert.equal(detectApiKeyAssignment(`sk_live_${secret}`, "stripe_api_key"), true, secret);
  }
});
