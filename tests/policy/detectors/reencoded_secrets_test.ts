import assert from "node:assert/strict";
import { hexText } from "../../../src/policy/detectors/hex_text.ts";
import {
  leftUnicodeEscaped,
  unicodeEscapesDecoded,
} from "../../../src/policy/detectors/unicode_escapes.ts";
import { evaluated, found, HEAD, hex, scan, TAIL, TOKEN } from "./_reencoded_token.ts";
import { threadCpu } from "../../_thread_cpu.ts";
import { SLOW_MS } from "./_slow_ms.ts";

// A secret a model re-encodes before passing it on. Built from parts, so no whole
// credential sits in the source.
const SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** As `xxd -p` writes it: 60 digits a line, each line ended. */
function xxdPlain(text: string): string {
  return hex(text).replace(/.{1,60}/g, "$&\n");
}

/** Each character as a `\uXXXX` escape written out as text. */
function escaped(text: string): string {
  return [...text].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("");
}

function decide(args: Record<string, unknown>): string {
  return evaluated(args).decision;
}

Deno.test("scanArguments() reads a run of hex digits that decodes to text as that text", () => {
  assert.deepEqual(found({ m: hex(TOKEN) }), ["github_token@m"]);
  assert.deepEqual(found({ m: hex(TOKEN).toUpperCase() }), ["github_token@m"]);
  assert.deepEqual(found({ m: "0x" + hex(TOKEN) }), ["github_token@m"]);
  // As `xxd -p` prints it, wrapped at 60 digits, and inside prose.
  assert.deepEqual(found({ m: xxdPlain(TOKEN) }), ["github_token@m"]);
  assert.deepEqual(found({ m: `payload: ${hex(TOKEN)} (hex)` }), ["github_token@m"]);
  // Hex of a .env line, and hex of base64 of it.
  assert.ok(found({ m: hex(`GITHUB_TOKEN=${TOKEN}\n`) }).includes("github_token@m"));
  assert.ok(found({ m: hex(btoa(`GITHUB_TOKEN=${TOKEN}`)) }).includes("github_token@m"));
  assert.equal(decide({ m: hex(TOKEN) }), "block");
});

Deno.test("scanArguments() finds nothing in ordinary hex ids, and hexText() gives them up", () => {
  const ids = {
    sha256: SHA256,
    sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    uuid: "9b2f6a1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c",
    compact: "9b2f6a1c3d4e4f5a8b6c7d8e9f0a1b2c",
    prefixed: "sha256:" + SHA256,
    digests: [SHA256, "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"],
  };
  const result = scan(ids);
  assert.deepEqual(result.findings, []);
  assert.equal(result.capped, false);
  assert.equal(hexText(SHA256, 0, SHA256.length), undefined);
  // An odd number of digits, too few, or a character that is no digit: no hex of text.
  const text = hex("api_key=9fQ2xL7vR4tZ8mK1pW3s");
  assert.equal(hexText(text, 0, text.length), "api_key=9fQ2xL7vR4tZ8mK1pW3s");
  assert.equal(hexText(text + "a", 0, text.length + 1), undefined);
  assert.equal(hexText(text.slice(0, 22), 0, 22), undefined);
  assert.equal(hexText(text + "zz", 0, text.length + 2), undefined);
});

Deno.test("scanArguments() reads \\uXXXX escapes written as text as their characters", () => {
  assert.deepEqual(found({ m: escaped(TOKEN) }), ["github_token@m"]);
  assert.ok(
    found({ m: `GITHUB_TOKEN=${escaped("ghp_")}${TOKEN.slice(4)}` }).includes(
      "github_token@m",
    ),
  );
  // Escaped twice: \u005c is the backslash.
  assert.deepEqual(found({ m: escaped(escaped(TOKEN)) }), ["github_token@m"]);
  // Read by every detector, as percent escapes are.
  assert.deepEqual(found({ note: `patient SSN ${escaped("078-05-1120")}` }), ["us_ssn@note"]);
  assert.equal(decide({ m: escaped(TOKEN) }), "block");
  // A Windows path holds "\u" with no escape after it.
  const path = scan({ path: "C:\\users\\ana\\u1\\notes.txt" });
  assert.deepEqual(path.findings, []);
  assert.equal(path.capped, false);
});

Deno.test("unicodeEscapesDecoded() decodes exact escapes level by level, and says when some are left", () => {
  assert.equal(unicodeEscapesDecoded("a\\u0041b\\u00e9\\ud83d\\ude00"), "aAb\u00e9\u{1f600}");
  assert.equal(unicodeEscapesDecoded("\\u004"), undefined);
  assert.equal(unicodeEscapesDecoded("no escape"), undefined);
  // Five levels: four are decoded, and what is left still holds an escape.
  let deep = "A";
  for (let i = 0; i < 5; i++) deep = escaped(deep);
  const reading = unicodeEscapesDecoded(deep)!;
  assert.equal(leftUnicodeEscaped(reading), true);
  assert.equal(unicodeEscapesDecoded(reading), "A");
  assert.ok(scan({ m: deep }).cappedBy.includes("encoding"));
});

Deno.test("scanArguments() reads adjacent strings of an array joined, reported at the array", () => {
  const at = (first: number, last: number) =>
    `github_token@m (elements ${first}\u2013${last} read joined)`;
  assert.deepEqual(found({ m: [HEAD, TAIL] }), [at(0, 1)]);
  assert.deepEqual(found({ m: ["ghp_", "ZRwYhCxzScmYCnVo", TAIL] }), [at(0, 2)]);
  assert.ok(
    found({ m: ["GITHUB_TOKEN=", TOKEN.slice(0, 9), TOKEN.slice(9)] }).includes(
      at(1, 2),
    ),
  );
  // Split after encoding: hex and base64 pieces.
  const digits = hex(TOKEN);
  assert.deepEqual(found({ m: [digits.slice(0, 30), digits.slice(30)] }), [at(0, 1)]);
  const b64 = btoa(`${TOKEN}\n`);
  assert.deepEqual(found({ m: [b64.slice(0, 10), b64.slice(10)] }), [at(0, 1)]);
  // In JSON a string holds: reported at the string.
  assert.deepEqual(found({ body: JSON.stringify({ parts: [HEAD, TAIL] }) }), [
    "github_token@body",
  ]);
  assert.equal(decide({ m: [HEAD, TAIL] }), "block");
  // A token an element holds whole is reported there, once.
  assert.deepEqual(found({ m: ["see", TOKEN, "x"] }), ["github_token@m[1]"]);
});

Deno.test("scanArguments() finds no secret in ordinary arrays of strings read joined", () => {
  const ordinary = {
    argv: ["psql", "-h", "db.internal", "-U", "admin", "-d", "orders", "--password-file", "/run/x"],
    flags: ["--token-file", "/etc/app/token", "--password", "--no-password"],
    regions: ["ASIA", "PACIFIC2NORTHEAST", "EUROPE"],
    digests: [SHA256, SHA256.split("").reverse().join("")],
    ids: ["9b2f6a1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c", "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"],
    words: ["api", "key", "rotation", "guide", "secret", "token", "v2", "2026"],
    paths: ["/data/reports/2026/q1.md", "/data/reports/2026/q2.md"],
    base64: [btoa("report-2026-q1"), btoa("report-2026-q2")],
    headers: ["Authorization", "Content-Type", "Accept"],
  };
  const result = scan(ordinary);
  assert.deepEqual(result.findings, []);
  assert.equal(result.capped, false);
});

Deno.test("scanArguments() reads arrays' strings joined up to maxChars of decoded readings, then is capped", () => {
  // Hex of base64 of base64 of text, split at an odd digit: neither piece decodes on its own;
  // joined, its three levels decode to more characters than the text holds.
  const digits = hex(btoa(btoa("lorem ipsum dolor sit amet ".repeat(20))));
  const pieces = [digits.slice(0, 301), digits.slice(301)];
  assert.deepEqual(scan({ m: pieces }, digits.length * 2).cappedBy, []);
  assert.deepEqual(scan({ m: pieces }, digits.length + 10).cappedBy, ["encoding"]);
  // Apart, within the same maxChars, they are read whole.
  assert.deepEqual(scan({ a: [pieces[0]], b: [pieces[1]] }, digits.length + 10).cappedBy, []);
});

Deno.test("scanArguments() stays linear on a megabyte of hex, of \\u escapes and of short strings", () => {
  const n = 1024 * 1024;
  const inputs: Record<string, unknown> = {
    "hex of text": hex("lorem ipsum dolor sit amet, ".repeat(n / 56)),
    "hex digests": (SHA256 + " ").repeat(n / 65),
    "escapes": "\\u0041".repeat(n / 6),
    "escaped backslashes": "\\u005c".repeat(n / 6),
    "backslash u alone": "\\u".repeat(n / 2),
    "short strings": Array.from({ length: n / 16 }, (_, i) => `ab${i}`.padEnd(16, "c")),
  };
  for (const [name, input] of Object.entries(inputs)) {
    const { cpuMs } = threadCpu(() => scan({ m: input }));
    assert.ok(cpuMs < SLOW_MS, `${name}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
});
