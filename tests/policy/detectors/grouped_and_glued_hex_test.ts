import assert from "node:assert/strict";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import type { DetectorKind } from "../../../src/policy/detectors/finding.ts";
import { base64Texts } from "../../../src/policy/detectors/encoded_readings.ts";
import { groupedHexReading } from "../../../src/policy/detectors/grouped_hex.ts";
import { unicodeEscapesDecoded } from "../../../src/policy/detectors/unicode_escapes.ts";
import { threadCpu } from "../../_thread_cpu.ts";
import { SLOW_MS } from "./_slow_ms.ts";

// Hex and escapes a model could write a secret in that earlier readings missed: bytes glued
// to a word by a dash, `0x` bytes between spaces, xxd's default dump, hex after a `/` or
// glued to a word, `\U00000067` and `\u{67}`; and the ordinary text they must leave alone.

const ALL = new Set<DetectorKind>(["secret", "phi", "pii"]);
// Built from parts, so no whole credential sits in the source.
const GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const BYTES = [...new TextEncoder().encode(GITHUB)];
const PAIRS = BYTES.map((b) => b.toString(16).padStart(2, "0"));
const HEX = PAIRS.join("");

function types(args: unknown): string[] {
  return [...new Set(scanArguments(args, { kinds: ALL }).findings.map((f) => f.type))].sort();
}

/** `text` as `xxd` writes it by default (groups of `group` bytes), or without its columns. */
function xxd(text: string, group = 2, columns = true): string {
  const bytes = [...new TextEncoder().encode(text)];
  let out = "";
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.slice(at, at + 16).map((b) => b.toString(16).padStart(2, "0"));
    const groups: string[] = [];
    for (let i = 0; i < row.length; i += group) groups.push(row.slice(i, i + group).join(""));
    const width = 32 + 16 / group - 1;
    out += columns
      ? at.toString(16).padStart(8, "0") + ": " + groups.join(" ").padEnd(width) + "  " +
        text.slice(at, at + 16).replace(/[^ -~]/g, ".") + "\n"
      : groups.join(" ") + "\n";
  }
  return out;
}

Deno.test("scanArguments() reads hex glued to a word by a dash, 0x bytes between spaces and xxd dumps", () => {
  const forms: Record<string, string> = {
    "dashes after a word": "token-" + PAIRS.join("-"),
    "dashes after a path": "/keys/v1-" + PAIRS.join("-") + ".txt",
    "0x between spaces": PAIRS.map((p) => "0x" + p).join(" "),
    "0x between spaces, lines": PAIRS.map((p, i) => "0x" + p + (i % 8 === 7 ? "\n" : " ")).join(""),
    "xxd": xxd(GITHUB),
    "xxd, CRLF": xxd(GITHUB).replaceAll("\n", "\r\n"),
    "xxd -g 4": xxd(GITHUB, 4),
    "xxd, no columns": xxd(GITHUB, 2, false),
  };
  for (const [name, text] of Object.entries(forms)) {
    assert.deepEqual(types({ m: `dump: ${text} end` }), ["github_token"], name);
  }
  assert.equal(groupedHexReading(xxd(GITHUB), 10)?.text, GITHUB);
});

Deno.test("scanArguments() reads hex after a path's slash or glued to a word", () => {
  const forms = [
    `/v1/${HEX}`,
    `https://x.example/paste/${HEX}`,
    `cfg${HEX}`,
    `code${HEX}`,
    `${HEX}eof`,
    `key_${HEX}_end`,
  ];
  for (const text of forms) assert.deepEqual(types({ m: text }), ["github_token"], text);
});

Deno.test("scanArguments() reads \\U00000067 and \\u{67} escapes", () => {
  const long = [...GITHUB].map((c) => "\\U" + c.charCodeAt(0).toString(16).padStart(8, "0"));
  const braced = [...GITHUB].map((c) => "\\u{" + c.charCodeAt(0).toString(16) + "}");
  assert.deepEqual(types({ m: long.join("") }), ["github_token"]);
  assert.deepEqual(types({ m: braced.join("") }), ["github_token"]);
  assert.deepEqual(types({ m: "t=" + braced.map((e) => "\\" + e).join("") }), ["github_token"]);
  assert.equal(
    unicodeEscapesDecoded("\\U0001F600 \\u{1f600} \\u{41}\\u0042"),
    "\u{1F600} \u{1F600} AB",
  );
  // Past U+10FFFF, too many digits, no digits or no closing brace: no escape.
  assert.equal(
    unicodeEscapesDecoded("\\U00110000 \\u{110000} \\u{} \\u{1234567} \\u{41"),
    undefined,
  );
});

Deno.test("hex and escape readings leave dates, ids, numbers, digests and paths alone", () => {
  const sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  const ordinary = [
    "released 2026-12-07, build 2026-12-07-1430, v1.2.3-rc.4+build.5, 10.0.19045",
    "550e8400-e29b-41d4-a716-446655440000 6ba7b810-9dad-11d1-80b4-00c04fd430c8",
    "call +1-555-867-5309, 555-867-5309 or +44 20 7946 0958",
    "aa:bb:cc:dd:ee:ff aa-bb-cc-dd-ee-ff 00-1A-2B-3C-4D-5E",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b /commit/3f786850e387550fdab836ed7e6dc881de23001b",
    "#ff00aa #00ff00 #333333 0xff 0x00 0xaa 0x10 0x20 0x30 0x40 0x50 0x60 0x70 0x80 0x90 0xa0",
    `sha256:${sha256} /blobs/sha256-${sha256} build-${sha256} ${sha256}.tar`,
    "tx-00-11-22-33-44-55-66-77-88-99-aa-bb-cc-dd-ee-ff-00-11",
    "dead beef cafe babe face feed f00d 1234 5678 9abc def0 1357 2468 aaaa bbbb",
    xxd("\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\x10\x10\0\0\0\0\0\0"),
    "C:\\Users\\udo\\Documents C:\\Ubuntu\\U0001 \\u{zz} \\U1234 \\Udeadbeef",
  ];
  for (const text of ordinary) {
    assert.deepEqual(base64Texts(text, 4096), [], text);
    const result = scanArguments({ m: text }, { kinds: ALL });
    assert.deepEqual(result.findings.filter((f) => f.type !== "phone_number"), [], text);
    assert.deepEqual(result.cappedBy, [], text);
  }
  // Fewer than 12 bytes of text are not read, however written.
  const short = PAIRS.slice(0, 11);
  for (
    const text of [
      "x-" + short.join("-"),
      short.map((p) => "0x" + p).join(" "),
      "/" + short.join(""),
    ]
  ) {
    assert.deepEqual(base64Texts(text, 4096), [], text);
  }
});

Deno.test("grouped, dashed and glued hex readings cost one pass over adversarial input", () => {
  const inputs: Record<string, string> = {
    // Groups that are text up to one that is not, again and again.
    "groups then ff": (PAIRS.join("").replace(/(.{4})/g, "$1 ") + "ffff ").repeat(8_000),
    // Lines whose text column never ends.
    "xxd lines": ("00000000: 6768 705f 4131  " + "x".repeat(300)).repeat(3_000),
    // A dash and a byte again and again in one run, no two bytes in a row.
    "dashes": ("q-67-" + "z".repeat(3)).repeat(100_000),
    // Hex digits glued to a word, no text.
    "glued": ("cfg" + "ff".repeat(20) + " ").repeat(20_000),
    // Hex of text with hex letters glued after it: each trim reads it again, 30 times at most.
    "text then hex letters": "x" + HEX.repeat(6_000) + "cafe",
    // Escapes that almost are.
    "escapes": "\\U0011ffff\\u{1234567}\\u{".repeat(40_000),
  };
  for (const [name, input] of Object.entries(inputs)) {
    const { cpuMs } = threadCpu(() => scanArguments({ m: input }, { kinds: ALL }));
    assert.ok(cpuMs < SLOW_MS, `${name}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
  // Arrays whose strings are all glued, read joined.
  const chars = Array.from({ length: 200_000 }, (_, i) => "abcdefgh"[i % 8]!);
  const { cpuMs } = threadCpu(() => scanArguments({ chars }, { kinds: ALL }));
  assert.ok(cpuMs < SLOW_MS, `glued strings: ${cpuMs.toFixed(0)} ms of CPU`);
});
