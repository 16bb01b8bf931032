import assert from "node:assert/strict";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { textStretches } from "../../../src/policy/detectors/text_stretches.ts";
import { ALL, evaluated, found, TOKEN } from "./_reencoded_token.ts";
import { threadCpu } from "../../_thread_cpu.ts";
import { SLOW_MS } from "./_slow_ms.ts";

// Bytes that are not all text (a token ended by a NUL, a binary holding one) read as the text
// inside them, in hex, bytes between separators, dumps and base64; and dumps as `xxd -g 1`
// writes them. Dumps of real binaries, images, digests and random bytes stay clean.

const encoder = new TextEncoder();
const hex2 = (b: number) => b.toString(16).padStart(2, "0");
const hexOf = (bytes: Uint8Array) => [...bytes].map(hex2).join("");
const base64Of = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};

/** `bytes` as `xxd -g <group>` writes them: offset, 16 bytes a line in groups, text column. */
function xxd(bytes: Uint8Array, group: number): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const line = bytes.subarray(at, at + 16);
    const groups: string[] = [];
    for (let g = 0; g < line.length; g += group) groups.push(hexOf(line.subarray(g, g + group)));
    const width = 16 * 2 + 16 / group - 1;
    const column = [...line].map((b) => b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".");
    lines.push(
      `${at.toString(16).padStart(8, "0")}: ${groups.join(" ").padEnd(width)}  ${column.join("")}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** A binary's start that holds `text` ended by a NUL, as a compiled program holds a string. */
function binaryHolding(text: string): Uint8Array {
  return new Uint8Array([
    0x7f,
    0x45,
    0x4c,
    0x46,
    2,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0x90,
    0xff,
    0x10,
    0x03,
    ...encoder.encode(text),
    0,
    0,
    0xe8,
    0xa1,
    0,
    0x48,
    0x89,
    0xe5,
  ]);
}

Deno.test("a token ended by a NUL is read in its hex, bytes, base64 and dumps", () => {
  const withNul = encoder.encode(TOKEN + "\0");
  const binary = binaryHolding(TOKEN);
  const cases: Record<string, string> = {
    "hex": hexOf(withNul),
    "dashed bytes": [...withNul].map(hex2).join("-"),
    "base64": base64Of(withNul),
    "xxd -p of a binary": hexOf(binary).replace(/(.{60})/g, "$1\n"),
    "xxd of a binary": xxd(binary, 2),
    "xxd -g 1 of a binary": xxd(binary, 1),
    "base64 of a binary": base64Of(binary),
  };
  for (const [name, d] of Object.entries(cases)) {
    assert.deepEqual(found({ d }), ["github_token@d"], name);
    assert.equal(evaluated({ d }).decision, "block", name);
  }
});

Deno.test("xxd -g 1 lines are read across their offset and text columns", () => {
  const dump = xxd(encoder.encode(`ELF ${TOKEN} trailing text`), 1);
  assert.deepEqual(found({ d: dump }), ["github_token@d"]);
  // A text column that starts with what reads as a byte (`5B` then a space): still a column.
  const column = xxd(encoder.encode(`a line of text: 5B ${TOKEN}`), 1);
  assert.deepEqual(found({ d: column }), ["github_token@d"]);
});

Deno.test("stretches of text shorter than 16 bytes are not read", () => {
  const bytes = encoder.encode("\0short text here\0");
  assert.equal(textStretches(bytes, bytes.length), undefined);
  const longer = new Uint8Array([
    0,
    0xff,
    ...encoder.encode("a text of 16 bytes\0\x01another one, longer"),
  ]);
  assert.equal(textStretches(longer, longer.length), "a text of 16 bytes\nanother one, longer");
  // A UTF-8 character broken off by a byte that is no text is left out; the byte starts the next.
  const broken = new Uint8Array([0xe2, 0x82, ...encoder.encode("abcdefghijklmnopq")]);
  assert.equal(textStretches(broken, broken.length), "abcdefghijklmnopq");
});

Deno.test("dumps of binaries, images, digests and random bytes are not flagged", () => {
  // A real program's first 48 KiB: its header, tables and strings.
  const program = Deno.readFileSync(Deno.execPath()).subarray(0, 48 * 1024);
  // A PNG's start: signature, header chunk, compressed data.
  const png = new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    0,
    0,
    0,
    0x0d,
    0x49,
    0x48,
    0x44,
    0x52,
    0,
    0,
    1,
    0,
    0,
    0,
    1,
    0,
    8,
    6,
    0,
    0,
    0,
    0x5c,
    0x72,
    0xa8,
    0x66,
    ...crypto.getRandomValues(new Uint8Array(4096)),
  ]);
  const random = crypto.getRandomValues(new Uint8Array(16 * 1024));
  const digests = Array.from(
    { length: 64 },
    () => hexOf(crypto.getRandomValues(new Uint8Array(32))),
  );
  const uuids = Array.from({ length: 64 }, () => crypto.randomUUID());
  const cases: Record<string, unknown> = {
    "xxd of a program": xxd(program, 2),
    "xxd -g 1 of a program": xxd(program.subarray(0, 16 * 1024), 1),
    "xxd -p of a program": hexOf(program).replace(/(.{60})/g, "$1\n"),
    "base64 of a program": base64Of(program),
    "base64 of a PNG": base64Of(png),
    "xxd of random bytes": xxd(random, 2),
    "hex of random bytes": hexOf(random),
    "base64 of random bytes": base64Of(random),
    "sha-256 digests": digests.join("\n"),
    "uuids": uuids.join(" "),
  };
  for (const [name, d] of Object.entries(cases)) {
    const result = scanArguments({ d }, { kinds: new Set(["secret", "phi"]) });
    assert.deepEqual(result.findings, [], name);
  }
});

Deno.test("reading the text inside bytes costs one pass over adversarial input", () => {
  const mib = 1 << 20;
  const inputs: Record<string, string> = {
    // A NUL after every 15 bytes of text: stretches one byte short, all of it hex.
    "hex of short stretches": hexOf(encoder.encode("abcdefghijklmno\0".repeat(mib / 32))),
    // The same in base64, and a dump.
    "base64 of short stretches": base64Of(encoder.encode("abcdefghijklmno\0".repeat(mib / 22))),
    "xxd of short stretches": xxd(encoder.encode("abcdefghijklmno\0".repeat(mib / 72)), 1),
    // Stretches just long enough, each read.
    "hex of stretches": hexOf(encoder.encode("abcdefghijklmnop\0".repeat(mib / 34))),
  };
  for (const [name, d] of Object.entries(inputs)) {
    const { cpuMs } = threadCpu(() => scanArguments({ d }, { kinds: ALL }));
    assert.ok(cpuMs < SLOW_MS, `${name}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
});
