import assert from "node:assert/strict";
import { groupedHexReading } from "../../../src/policy/detectors/grouped_hex.ts";
import { evaluated, found, scan, TOKEN } from "./_reencoded_token.ts";

// `hexdump` (its default format) and `od -x` write bytes as 16-bit words, and a little-endian
// machine writes each word's two bytes swapped (`ghp_` is `6867 5f70`); `od -t x4` writes
// 32-bit words the same way. A secret dumped so is read as a dump by `xxd` is.

/**
 * `bytes` as `od` and `hexdump` write them on a little-endian machine: an
 * offset column (`radix` 8 for `od`, 16 for `hexdump`, none for `od -An`),
 * 16 bytes a line in words of `size` bytes (the last padded with zero
 * bytes), and a last line with the offset alone; `hexdump` pads its last
 * line with spaces.
 */
function wordDump(bytes: Uint8Array, radix: 8 | 16 | 0, size = 2): string {
  const offset = (at: number) => radix === 0 ? "" : at.toString(radix).padStart(7, "0");
  let out = "";
  for (let at = 0; at < bytes.length; at += 16) {
    const words: string[] = [];
    for (let w = at; w < Math.min(at + 16, bytes.length); w += size) {
      let word = "";
      for (let k = w + size - 1; k >= w; k--) word += (bytes[k] ?? 0).toString(16).padStart(2, "0");
      words.push(word);
    }
    let line = `${offset(at)} ${words.join(" ")}`;
    if (radix === 16) line = line.padEnd(7 + 8 * (size * 2 + 1) * 2 / size);
    out += line + "\n";
  }
  return radix === 0 ? out : out + offset(bytes.length) + "\n";
}

const encoder = new TextEncoder();

Deno.test("a token dumped by hexdump, od -x, od -An -x or od -t x4 is found", () => {
  for (const text of [TOKEN, `${TOKEN}x`, `GITHUB_TOKEN=${TOKEN}\n`]) {
    const bytes = encoder.encode(text);
    const dumps: Record<string, string> = {
      "hexdump": wordDump(bytes, 16),
      "od -x": wordDump(bytes, 8),
      "od -An -x": wordDump(bytes, 0),
      "od -t x4": wordDump(bytes, 8, 4),
      "od -x, CRLF": wordDump(bytes, 8).replaceAll("\n", "\r\n"),
    };
    for (const [name, dump] of Object.entries(dumps)) {
      const types = found({ content: `$ ${name} token.txt\n${dump}` }).map((f) => f.split("@")[0]);
      assert.ok(types.includes("github_token"), `${name} of ${text.length} bytes: ${types}`);
    }
  }
  assert.equal(evaluated({ content: wordDump(encoder.encode(TOKEN), 16) }).decision, "block");
  // A binary that holds one: the text inside the swapped words.
  const binary = new Uint8Array(96).map((_, i) => (i * 7) % 32);
  binary.set(encoder.encode(`\0${TOKEN}\0`), 33);
  assert.deepEqual(found({ content: wordDump(binary, 16) }), ["github_token@content"]);
  assert.deepEqual(found({ content: wordDump(binary, 8) }), ["github_token@content"]);
});

Deno.test("groupedHexReading() reads 16-bit words in both byte orders, xxd's as written", () => {
  assert.equal(
    groupedHexReading("0000000 7061 5f69 656b 3d79 6639 3251", 8)?.text,
    "pa_iek=yf92Q\napi_key=9fQ2",
  );
  assert.equal(
    groupedHexReading("00000000: 6170 695f 6b65 793d 3966 5132", 10)?.text,
    "api_key=9fQ2",
  );
  // An odd count of bytes: od pads the last word with a zero byte, taken off (as written, the
  // zero byte ends the text, and 13 bytes are too few to read as a stretch).
  const odd = wordDump(encoder.encode("api_key=9fQ2x"), 8);
  assert.equal(groupedHexReading(odd, 8)?.text, "api_key=9fQ2x");
});

Deno.test("word dumps of ordinary text and of binaries stay clean", () => {
  const ordinary = [
    "The quarterly report is attached; totals are in the second sheet.\n",
    '{"name": "build", "region": "eu-west-1", "replicas": 3, "image": "app:1.4.2"}\n',
    "#!/bin/sh\nset -eu\nexec /usr/bin/app --config /etc/app/config.yaml\n",
  ];
  const elf = new Uint8Array(256).map((_, i) => (i * 151 + 7) & 255);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  const inputs = [...ordinary.map((t) => encoder.encode(t)), elf];
  for (const bytes of inputs) {
    for (const dump of [wordDump(bytes, 16), wordDump(bytes, 8), wordDump(bytes, 8, 4)]) {
      const result = scan({ content: dump });
      assert.deepEqual([result.findings, result.cappedBy], [[], []], dump);
      assert.equal(evaluated({ content: dump }).decision, "allow", dump);
    }
  }
});

/**
 * `bytes` as `xxd -e` writes them: an offset column with a colon, 16 bytes a
 * line in 4 little-endian 32-bit words, a narrower last word right-aligned
 * in its column, then the text column.
 */
function xxdLittleEndian(bytes: Uint8Array): string {
  let out = "";
  for (let at = 0; at < bytes.length; at += 16) {
    const words: string[] = [];
    for (let w = at; w < Math.min(at + 16, bytes.length); w += 4) {
      let word = "";
      for (let k = Math.min(w + 4, bytes.length) - 1; k >= w; k--) {
        word += bytes[k]!.toString(16).padStart(2, "0");
      }
      words.push(word.padStart(8));
    }
    const column = [...bytes.subarray(at, at + 16)]
      .map((b) => b >= 32 && b < 127 ? String.fromCharCode(b) : ".").join("");
    out += `${at.toString(16).padStart(8, "0")}: ${words.join(" ").padEnd(35)}  ${column}\n`;
  }
  return out;
}

Deno.test("xxd -e with a narrower last word, od -Ax -x, and dumps indented or quoted are read", () => {
  const bytes = encoder.encode(`GITHUB_TOKEN=${TOKEN}\n`);
  // 54 bytes: the last 32-bit word holds 2 of them, the token's last character among them.
  assert.equal(bytes.length % 4, 2);
  const xxd = xxdLittleEndian(bytes);
  assert.match(xxd, / {5}0a51 /);
  // `od -Ax -x`: 6-digit hex offsets.
  const od = wordDump(bytes, 16).replace(/^0(?=[0-9a-f]{6}\b)/gm, "").trimEnd() + "\n";
  assert.match(od, /^000010 /m);
  const dumps: Record<string, string> = {
    "xxd -e": xxd,
    "od -Ax -x": od,
    "od -x, indented": wordDump(bytes, 8).replace(/^/gm, "    "),
    "hexdump, quoted": wordDump(bytes, 16).replace(/^/gm, "> "),
    "xxd -e, quoted": xxd.replace(/^/gm, "> "),
  };
  for (const [name, content] of Object.entries(dumps)) {
    assert.deepEqual(found({ content }).includes("github_token@content"), true, name);
    assert.equal(evaluated({ content }).decision, "block", name);
  }
});

/**
 * `bytes` as `hexdump -x` writes them on a little-endian machine: a 7-digit
 * hex offset, 16 bytes a line in 16-bit words 4 spaces apart (each word's
 * bytes swapped, the last padded with a zero byte), the last line padded
 * with spaces, and a last line with the offset alone.
 */
function hexdumpX(bytes: Uint8Array): string {
  const offset = (at: number) => at.toString(16).padStart(7, "0");
  let out = "";
  for (let at = 0; at < bytes.length; at += 16) {
    let line = offset(at);
    for (let w = at; w < Math.min(at + 16, bytes.length); w += 2) {
      const word = ((bytes[w + 1] ?? 0) << 8) | bytes[w]!;
      line += `    ${word.toString(16).padStart(4, "0")}`;
    }
    out += line.padEnd(7 + 8 * 8) + "\n";
  }
  return out + offset(bytes.length) + "\n";
}

Deno.test("a secret dumped by hexdump -x, its words 4 spaces apart, is found", () => {
  // As the tool writes it: `printf 'api_key=9fQ2' | hexdump -x`.
  assert.equal(
    hexdumpX(encoder.encode("api_key=9fQ2")),
    "0000000    7061    5f69    656b    3d79    6639    3251" + " ".repeat(16) + "\n000000c\n",
  );
  assert.equal(
    groupedHexReading("0000000    7061    5f69    656b    3d79    6639    3251", 11)?.text,
    "pa_iek=yf92Q\napi_key=9fQ2",
  );
  const key = "AKIA" + "KZ7XQ2MNPLRSTUVW";
  const cases: [string, string][] = [
    [TOKEN, "github_token"],
    [`${TOKEN}x`, "github_token"],
    [`GITHUB_TOKEN=${TOKEN}\n`, "github_token"],
    [key, "aws_access_key_id"],
    ["api_key=9fQ2xL7vR4tZ8mK1pW3s", "api_key_assignment"],
  ];
  for (const [text, type] of cases) {
    const dump = hexdumpX(encoder.encode(text));
    const dumps: Record<string, string> = {
      "hexdump -x": dump,
      "hexdump -x, CRLF": dump.replaceAll("\n", "\r\n"),
      "hexdump -x, quoted": dump.replace(/^/gm, "> "),
      "hexdump -x, after its command": `$ hexdump -x secret.txt\n${dump}`,
    };
    for (const [name, content] of Object.entries(dumps)) {
      const types = found({ content }).map((f) => f.split("@")[0]);
      assert.ok(types.includes(type), `${name} of ${JSON.stringify(text)}: ${types}`);
      assert.equal(evaluated({ content }).decision, "block", name);
    }
  }
  // A binary that holds one: the text inside the swapped words.
  const binary = new Uint8Array(96).map((_, i) => (i * 7) % 32);
  binary.set(encoder.encode(`\0${TOKEN}\0`), 33);
  assert.deepEqual(found({ content: hexdumpX(binary) }), ["github_token@content"]);
});

Deno.test("hexdump -x of ordinary text and binaries, and tables 4 spaces apart, stay clean", () => {
  const ordinary = [
    "The quarterly report is attached; totals are in the second sheet.\n",
    '{"name": "build", "region": "eu-west-1", "replicas": 3, "image": "app:1.4.2"}\n',
    "#!/bin/sh\nset -eu\nexec /usr/bin/app --config /etc/app/config.yaml\n",
  ];
  const elf = new Uint8Array(256).map((_, i) => (i * 151 + 7) & 255);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  const tables = [
    "year    2019    2020    2021    2022\n2001    1200    1350    1410    1505\n",
    "0000000    2019    2020    2021    2022    2023    2024    2025    2026\n",
    "port    8080    8443    9090    3000    5432    6379    2379    9200\n",
  ];
  const inputs = [
    ...[...ordinary.map((t) => encoder.encode(t)), elf].map(hexdumpX),
    ...tables,
  ];
  for (const content of inputs) {
    const result = scan({ content });
    assert.deepEqual([result.findings, result.cappedBy], [[], []], content);
    assert.equal(evaluated({ content }).decision, "allow", content);
  }
});

Deno.test("hexdump -x as BSD and busybox write it, each line ending in a space, is read", () => {
  // Their format, `"%07.7_ax " 8/2 "   %04x " "\n"`: the same words, and a space before each
  // line break, the last line's missing words written as spaces.
  const bsd = (bytes: Uint8Array) =>
    hexdumpX(bytes).split("\n").map((line) => line.length > 7 ? `${line} ` : line).join("\n");
  assert.equal(
    bsd(encoder.encode("api_key=9fQ2")),
    "0000000    7061    5f69    656b    3d79    6639    3251" + " ".repeat(17) + "\n000000c\n",
  );
  const cases: [string, string][] = [
    [`GITHUB_TOKEN=${TOKEN}\n`, "github_token"],
    [`${TOKEN}\n`, "github_token"],
    ["api_key=9fQ2xL7vR4tZ8mK1pW3s\n", "api_key_assignment"],
  ];
  for (const [text, type] of cases) {
    const dump = bsd(encoder.encode(text));
    assert.ok(dump.split("\n").length >= 4, dump);
    for (const content of [dump, dump.replaceAll("\n", "\r\n"), dump.replace(/^/gm, "> ")]) {
      const types = found({ content }).map((f) => f.split("@")[0]);
      assert.ok(types.includes(type), `${JSON.stringify(content)}: ${types}`);
      assert.equal(evaluated({ content }).decision, "block", JSON.stringify(content));
    }
  }
  const ordinary = bsd(
    encoder.encode("The quarterly report is attached; totals are in sheet 2.\n"),
  );
  const clean = scan({ content: ordinary });
  assert.deepEqual([clean.findings, clean.cappedBy], [[], []]);
});
