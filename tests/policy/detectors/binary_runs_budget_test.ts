import assert from "node:assert/strict";
import {
  base64Reading,
  MAX_BASE64_RUNS,
  MAX_STRETCH_RUNS,
} from "../../../src/policy/detectors/encoded_readings.ts";
import { evaluated, found, scan, TOKEN } from "./_reencoded_token.ts";

// Binary data in base64 (inline images, a notebook's plots) holds stretches of text: a PNG's
// `tEXt` chunks name the program that wrote it. Those stretches are read for secrets within a
// count of their own, not the count of runs that decode to text, and binary data left unread
// past that count does not make the scan incomplete.

/** The CRC-32 of `bytes`, as a PNG chunk carries it. */
function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A PNG chunk: its length, type, data and CRC. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * A 1×1 grey PNG of shade `shade`, with the `tEXt` chunks image tools write
 * (`Software`, `date:create`): a real PNG, stored without compression.
 */
function png(shade: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, 1);
  new DataView(ihdr.buffer).setUint32(4, 1);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8 bits, greyscale
  const text = (key: string, value: string) =>
    chunk("tEXt", new TextEncoder().encode(`${key}\0${value}`));
  // zlib, one stored block: the row's filter byte and its one pixel, then the Adler-32.
  const raw = [0, shade];
  const a = (1 + raw[0]! + raw[1]!) % 65521;
  const b = (1 + (1 + raw[0]!) + a) % 65521;
  const idat = new Uint8Array([
    0x78,
    0x01,
    1,
    2,
    0,
    0xfd,
    0xff,
    ...raw,
    b >> 8,
    b & 255,
    a >> 8,
    a & 255,
  ]);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    text("Software", "matplotlib version3.8.0, https://matplotlib.org/"),
    text(
      "date:create",
      `2024-03-0${shade % 9 + 1}T10:15:${String(shade % 60).padStart(2, "0")}+00:00`,
    ),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** An HTML page with `count` inline PNG icons, then `tail`. */
function page(count: number, tail = ""): string {
  let html = "<html><body>\n";
  for (let i = 0; i < count; i++) {
    html += `<img alt="icon ${i}" src="data:image/png;base64,${base64(png(i * 5))}">\n`;
  }
  return `${html}${tail}</body></html>\n`;
}

Deno.test("a page with 40 inline PNG icons is read whole, and passes", () => {
  // Each PNG's base64 is a run whose bytes hold text (`matplotlib version…`) among binary.
  const one = base64Reading(base64(png(3)), 1 << 20);
  assert.equal(one.stretched, 1);
  assert.match(one.texts[0] ?? "", /matplotlib version3\.8\.0/);
  const args = { path: "/srv/site/index.html", content: page(40) };
  const read = scan(args);
  assert.deepEqual([read.findings, read.capped, read.cappedBy], [[], false, []]);
  assert.equal(evaluated(args).decision, "allow");
});

Deno.test("runs of text past the count of runs still make the scan incomplete beside binary", () => {
  // 40 images count toward no runs of text: a secret in the 32nd text run is read, one past is not.
  const runs = (n: number) =>
    Array.from({ length: n }, (_, i) => btoa(`hello world number ${i} is here`)).join(" ");
  const within = scan({
    content: page(40, `${runs(MAX_BASE64_RUNS - 1)} ${btoa(`t=${TOKEN}`)}\n`),
  });
  assert.deepEqual(
    [within.findings.map((f) => f.type), within.capped],
    [["github_token"], false],
  );
  const past = scan({ content: page(40, `${runs(MAX_BASE64_RUNS)} ${btoa(`t=${TOKEN}`)}\n`) });
  assert.deepEqual([past.findings.length, past.cappedBy], [0, ["encoding"]]);
});

Deno.test("a token in binary is found past the count of binary runs, and a page of 200 icons passes", () => {
  const blob = base64(new TextEncoder().encode(`\x7fELF\0\0\0${TOKEN}\0\0`));
  assert.deepEqual(found({ content: page(40, `${blob}\n`) }), ["github_token@content"]);
  // The text inside binary runs past MAX_STRETCH_RUNS is read too, as one text.
  for (const count of [MAX_STRETCH_RUNS, MAX_STRETCH_RUNS + 72]) {
    const late = scan({ content: page(count, `${blob}\n`) });
    assert.deepEqual([late.findings.map((f) => f.type), late.capped], [["github_token"], false]);
  }
  const icons = { path: "/srv/site/index.html", content: page(MAX_STRETCH_RUNS + 72) };
  const read = scan(icons);
  assert.deepEqual([read.findings, read.capped, read.cappedBy], [[], false, []]);
  assert.equal(evaluated(icons).decision, "allow");
});

/** `size` bytes of binary that hold no stretch of text, with `inside` in the middle. */
function binary(size: number, inside = ""): Uint8Array {
  const bytes = new Uint8Array(size).map((_, i) => (i * 7) % 32);
  bytes.set(new TextEncoder().encode(inside), size >> 1);
  return bytes;
}

Deno.test("binary with text inside left unread past the decoded readings' budget caps the scan", () => {
  // Unit: past `limit`, a binary run with a stretch of text caps the reading; one without does not.
  const secret = base64(binary(600, `\0${TOKEN}\0`));
  const pixels = base64(binary(600));
  assert.deepEqual(base64Reading(secret, 1 << 20).texts, [TOKEN]);
  assert.deepEqual(base64Reading(pixels, 1 << 20).texts, []);
  // A run is charged by the text read inside it (the token's 40 characters), not its length.
  assert.deepEqual(base64Reading(secret, 100), { texts: [TOKEN], stretched: 1, capped: false });
  assert.deepEqual([base64Reading(secret, 20).capped, base64Reading(pixels, 20).capped], [
    true,
    false,
  ]);
  // A call: base64 three levels deep spends most of the budget, then a binary blob outgrows it.
  const maxChars = 64 * 1024;
  const prose = "lorem ipsum dolor sit amet, ".repeat(520);
  const deep = btoa(btoa(btoa(prose)));
  // The text inside it (7 KB of words, then the token) outgrows what the budget has left.
  const blob = base64(binary(15_000, `\0${"lorem ipsum ".repeat(600)}${TOKEN}\0`));
  const quiet = base64(binary(15_000));
  assert.ok(deep.length + blob.length < maxChars * 0.9);
  const capped = scan({ notes: deep, attachment: blob }, maxChars);
  assert.deepEqual([capped.findings, capped.cappedBy], [[], ["encoding"]]);
  const clean = scan({ notes: deep, attachment: quiet }, maxChars);
  assert.deepEqual([clean.findings, clean.cappedBy], [[], []]);
  // With the budget left, the token is found.
  assert.deepEqual(found({ attachment: blob }), ["github_token@attachment"]);
  // The token alone, charged its 40 characters, fits what the budget has left.
  const token = scan({ notes: deep, attachment: base64(binary(15_000, `\0${TOKEN}\0`)) }, maxChars);
  assert.deepEqual([token.findings.map((f) => f.type), token.cappedBy], [["github_token"], []]);
});

/** `bytes` in base64, a chunk at a time (an argument list holds only so many). */
function base64Long(bytes: Uint8Array): string {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 8192) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 8192));
  }
  return btoa(binary);
}

Deno.test("an e-mail in base64url with a large binary attachment passes, not capped", () => {
  // A PDF's objects: lines of text between binary streams. The attachment's base64 is charged
  // by the text read inside it, not its length, so the budget left after the message's own
  // reading holds it.
  const parts: string[] = [];
  for (let n = 0; parts.length * 280 < 100 * 1024; n++) {
    const stream = Array.from(
      { length: 200 },
      (_, i) => String.fromCharCode(128 + (i * 37 + n) % 120),
    );
    parts.push(
      `${n} 0 obj\n<< /Type /Page /MediaBox [0 0 612 792] >>\nstream\n${
        stream.join("")
      }\nendstream\n`,
    );
  }
  const pdf = Uint8Array.from(parts.join(""), (c) => c.charCodeAt(0) & 255);
  const attachment = base64Long(pdf).replace(/(.{76})/g, "$1\r\n");
  const message = "From: a@example.com\r\nSubject: report\r\nMIME-Version: 1.0\r\n" +
    "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\n" +
    "See attached.\r\n--XX\r\nContent-Type: application/pdf\r\n" +
    `Content-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--XX--\r\n`;
  const raw = btoa(message).replaceAll("+", "-").replaceAll("/", "_");
  const maxChars = 256 * 1024;
  assert.ok(raw.length < maxChars && raw.length + attachment.length > maxChars);
  const read = scan({ raw }, maxChars);
  assert.deepEqual([read.findings, read.cappedBy], [[], []]);
});
