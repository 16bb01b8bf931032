/**
 * Test helper: writes a one-entry zip archive, stored or deflated, the way
 * Deno's `denort-<target>.zip` release assets are laid out. Written from the
 * zip format (local header, data, central directory, end record) so the
 * build's reader is checked against an independent writer.
 *
 * @example
 * ```ts
 * await writeZip("/tmp/d.zip", "denort", new Uint8Array([1, 2, 3]), { deflate: true });
 * ```
 */

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("deflate-raw"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Writes `data` as the only entry `name` of a zip at `path`; `crc` overrides the stored CRC-32. */
export async function writeZip(
  path: string,
  name: string,
  data: Uint8Array,
  options: { deflate?: boolean; crc?: number } = {},
): Promise<void> {
  const nameBytes = new TextEncoder().encode(name);
  const packed = options.deflate === true ? await deflateRaw(data) : data;
  const crc = options.crc ?? crc32(data);
  const method = options.deflate === true ? 8 : 0;
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint16(8, method, true);
  local.setUint32(14, crc, true);
  local.setUint32(18, packed.length, true);
  local.setUint32(22, data.length, true);
  local.setUint16(26, nameBytes.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(10, method, true);
  central.setUint32(16, crc, true);
  central.setUint32(20, packed.length, true);
  central.setUint32(24, data.length, true);
  central.setUint16(28, nameBytes.length, true);
  central.setUint32(42, 0, true);
  const dirOffset = 30 + nameBytes.length + packed.length;
  const dirSize = 46 + nameBytes.length;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, dirSize, true);
  end.setUint32(16, dirOffset, true);
  const parts = [
    new Uint8Array(local.buffer),
    nameBytes,
    packed,
    new Uint8Array(central.buffer),
    nameBytes,
    new Uint8Array(end.buffer),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  await Deno.writeFile(path, out);
}

/** A fake executable: an ELF header for `arch` (x86_64 or aarch64), then `body`. */
export function fakeElf(arch: "x86_64" | "aarch64", body = ""): Uint8Array {
  const text = new TextEncoder().encode(body);
  const out = new Uint8Array(64 + text.length);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  out[18] = arch === "x86_64" ? 62 : 183;
  out.set(text, 64);
  return out;
}
