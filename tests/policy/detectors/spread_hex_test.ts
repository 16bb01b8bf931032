import assert from "node:assert/strict";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import type { DetectorKind } from "../../../src/policy/detectors/finding.ts";
import { base64Texts } from "../../../src/policy/detectors/encoded_readings.ts";
import { separatedHexReading, wrappedHexReading } from "../../../src/policy/detectors/hex_text.ts";
import { unicodeEscapesDecoded } from "../../../src/policy/detectors/unicode_escapes.ts";
import { threadCpu } from "../../_thread_cpu.ts";
import { SLOW_MS } from "./_slow_ms.ts";

const ALL = new Set<DetectorKind>(["secret", "phi", "pii"]);
// Built from parts, so no whole credential sits in the source.
const GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const PAIRS = [...new TextEncoder().encode(GITHUB)].map((b) => b.toString(16).padStart(2, "0"));

function types(args: unknown): string[] {
  return [...new Set(scanArguments(args, { kinds: ALL }).findings.map((f) => f.type))].sort();
}

/** `PAIRS` in lines of `perLine` bytes, joined by `separator` within a line. */
function lines(perLine: number, separator: string, lineBreak = "\n"): string {
  const out: string[] = [];
  for (let i = 0; i < PAIRS.length; i += perLine) {
    out.push(PAIRS.slice(i, i + perLine).join(separator));
  }
  return out.join(lineBreak);
}

/** `PAIRS` as `hexdump -C` writes them: offsets, two groups of 8, the text column. */
function hexdump(): string {
  let out = "";
  for (let at = 0; at < PAIRS.length; at += 16) {
    const row = PAIRS.slice(at, at + 16);
    const bytes = row.slice(0, 8).join(" ") + "  " + row.slice(8).join(" ");
    out += at.toString(16).padStart(8, "0") + "  " + bytes.padEnd(48) + "  |" +
      GITHUB.slice(at, at + 16) + "|\n";
  }
  return out + PAIRS.length.toString(16).padStart(8, "0") + "\n";
}

Deno.test("scanArguments() reads hex wrapped in short lines of one width", () => {
  for (const perLine of [8, 12, 16]) {
    assert.deepEqual(types({ m: lines(perLine, "") }), ["github_token"], `${perLine} a line`);
  }
  assert.deepEqual(types({ m: lines(16, "", "\r\n") }), ["github_token"], "CRLF");
  // Lines of two widths are no wrapped hex.
  const ragged = PAIRS.slice(0, 8).join("") + "\n" + PAIRS.slice(8, 20).join("") + "\n" +
    PAIRS.slice(20).join("");
  assert.equal(wrappedHexReading(ragged, 0)?.text, undefined);
});

Deno.test("scanArguments() reads hex written a byte at a time between separators", () => {
  const forms: Record<string, string> = {
    "colons": PAIRS.join(":"),
    "spaces": PAIRS.join(" "),
    "dashes": PAIRS.join("-"),
    "\\x": PAIRS.map((p) => "\\x" + p).join(""),
    "0x, ": PAIRS.map((p) => "0x" + p).join(", "),
    "0x,": PAIRS.map((p) => "0X" + p.toUpperCase()).join(","),
    "xxd -i": "unsigned char t[] = {\n  " + lines(12, ", 0x", ",\n  0x").replace(/^/, "0x") +
      "\n};",
    "od -An -tx1": " " + lines(16, " ", "\n ") + "\n",
    "hexdump -C": hexdump(),
  };
  for (const [name, text] of Object.entries(forms)) {
    assert.ok(types({ m: `dump: ${text} end` }).includes("github_token"), name);
  }
});

Deno.test("scanArguments() reads \\uXXXX escapes behind an escaped backslash", () => {
  const escaped = [...GITHUB].map((c) => "\\\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"))
    .join("");
  assert.deepEqual(types({ m: escaped }), ["github_token"]);
  assert.equal(unicodeEscapesDecoded("a\\\\u0041b"), "aAb");
  assert.equal(unicodeEscapesDecoded("C:\\\\users\\\\udo \\u0041"), "C:\\users\\udo A");
});

Deno.test("hex readings leave MAC addresses, colours, digests, ids and paths alone", () => {
  const ordinary = [
    "aa:bb:cc:dd:ee:ff",
    "41:42:43:44:45:46",
    "01:23:45:67:89:ab and 01-23-45-67-89-ab",
    "#ff00aa #00ff00 #333333",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "SHA256 Fingerprint=E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4",
    "550e8400-e29b-41d4-a716-446655440000",
    "0x52908400098527886E0F7030069857D4E2C9F8FA",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "C:\\users\\udo",
    "C:\\\\users\\\\udo\\\\notes.txt",
    "12:30:45 10:20:30 2026-01-02",
  ];
  for (const text of ordinary) {
    assert.deepEqual(base64Texts(text, 4096), [], text);
    assert.equal(unicodeEscapesDecoded(text), undefined, text);
    assert.deepEqual(types({ m: text }), [], text);
  }
  // 6 bytes of text are too few to read.
  assert.equal(separatedHexReading("41:42:43:44:45:46", 0)?.text, undefined);
});

Deno.test("hex readings that are no text leave the text around them to the other readings", () => {
  // Bytes that are text up to one that is not, again and again: one reading, of the text in them.
  const long = (PAIRS.join(":") + ":ff:").repeat(2000);
  const read = base64Texts(long, 1 << 20);
  assert.equal(read.length, 1);
  assert.deepEqual(new Set(read[0]!.split("\n")), new Set([GITHUB]));
  assert.deepEqual(base64Texts((PAIRS.slice(0, 15).join(":") + ":ff:").repeat(2000), 1 << 20), []);
  // A base64 line after lines of hex is still read.
  const b64 = btoa(`GITHUB_TOKEN=${GITHUB}`);
  const after = "0123456789abcdef\n0123456789abcdef\n" + b64;
  assert.ok(types({ m: after }).includes("github_token"));
});

Deno.test("hex readings cost one pass over adversarial input", () => {
  const inputs: Record<string, string> = {
    // Bytes cut short by a bar that would open a dump's text column, no line break after.
    "bars": "41 42 |".repeat(150_000),
    // Bytes that are text up to one that is not, again and again.
    "text then ff": (PAIRS.join(":") + ":ff:").repeat(8_000),
    // Lines of hex that are no text, and lines that are.
    "wrapped": ("0123456789abcdef\n".repeat(64) + lines(8, "") + "\n").repeat(500),
  };
  for (const [name, input] of Object.entries(inputs)) {
    const { cpuMs } = threadCpu(() => scanArguments({ m: input }, { kinds: ALL }));
    assert.ok(cpuMs < SLOW_MS, `${name}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
});
