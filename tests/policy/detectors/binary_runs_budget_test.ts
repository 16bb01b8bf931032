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

Deno.test("a token in binary after 40 images is found; past the count of binary runs it is missed", () => {
  const blob = base64(new TextEncoder().encode(`\x7fELF\0\0\0${TOKEN}\0\0`));
  assert.deepEqual(found({ content: page(40, `${blob}\n`) }), ["github_token@content"]);
  // The trade: binary data past MAX_STRETCH_RUNS is left unread, and the scan is not capped.
  const late = scan({ content: page(MAX_STRETCH_RUNS, `${blob}\n`) });
  assert.deepEqual([late.findings, late.capped], [[], false]);
});
