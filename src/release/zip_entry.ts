/**
 * Reads one file out of a zip archive, the way Deno's `denort-<target>.zip`
 * release assets are laid out (stored or deflated, not ZIP64 or encrypted):
 * find the entry in the central directory, stream its unpacked bytes, and
 * unpack it to a file whose CRC-32 and size must match the archive's. The
 * build uses it to hand `deno compile` a cached denort as `DENORT_BIN`.
 *
 * @example
 * ```ts
 * const entry = await findZipEntry("denort-x86_64-unknown-linux-gnu.zip", ["denort"]);
 * const file = await unpackBase(
 *   { path: "denort-x86_64-unknown-linux-gnu.zip", entry },
 *   "dist/.stamp",
 *   "x86_64-unknown-linux-gnu",
 * ); // "dist/.stamp/denort-x86_64-unknown-linux-gnu"
 * ```
 */
import { join } from "node:path";
import type { TargetTriple } from "./targets.ts";
import { removeIfPresent } from "./build_host.ts";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 (as zip uses it) of `bytes`, continued from `crc`: start at 0 and
 * feed each chunk's result into the next.
 *
 * @example
 * ```ts
 * crc32Update(0, new TextEncoder().encode("123456789")).toString(16); // "cbf43926"
 * ```
 */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) {
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return ~c >>> 0;
}

/** One file inside a zip archive, from its central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly dataOffset: number;
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
}

async function readRange(file: Deno.FsFile, at: number, length: number): Promise<Uint8Array> {
  await file.seek(at, Deno.SeekMode.Start);
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(out.subarray(filled));
    if (n === null || n === 0) throw new Error("the archive ends early");
    filled += n;
  }
  return out;
}

/**
 * Finds one of `names` in a zip archive (stored or deflated, not ZIP64 or
 * encrypted). Throws an `Error` that says what is wrong with the archive.
 *
 * @example
 * ```ts
 * const entry = await findZipEntry("denort-x86_64-unknown-linux-gnu.zip", ["denort"]);
 * entry.size; // bytes once unpacked
 * ```
 */
export async function findZipEntry(path: string, names: readonly string[]): Promise<ZipEntry> {
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = await readRange(file, size - tailLength, tailLength);
    let eocd = -1;
    for (let at = tail.length - 22; at >= 0; at--) {
      if (u32(tail, at) === 0x06054b50) {
        eocd = at;
        break;
      }
    }
    if (eocd < 0) throw new Error("it is not a zip archive");
    const count = u16(tail, eocd + 10);
    const dirSize = u32(tail, eocd + 12);
    const dirOffset = u32(tail, eocd + 16);
    if (dirOffset === 0xffffffff || count === 0xffff) {
      throw new Error("it is a ZIP64 archive, which this build does not read");
    }
    const dir = await readRange(file, dirOffset, dirSize);
    let at = 0;
    for (let k = 0; k < count && at + 46 <= dir.length; k++) {
      if (u32(dir, at) !== 0x02014b50) throw new Error("its central directory is damaged");
      const nameLength = u16(dir, at + 28);
      const name = new TextDecoder().decode(dir.subarray(at + 46, at + 46 + nameLength));
      if (names.includes(name)) {
        if ((u16(dir, at + 8) & 1) !== 0) throw new Error(`"${name}" in it is encrypted`);
        const method = u16(dir, at + 10);
        if (method !== 0 && method !== 8) {
          throw new Error(`"${name}" in it uses compression method ${method}`);
        }
        const local = await readRange(file, u32(dir, at + 42), 30);
        if (u32(local, 0) !== 0x04034b50) throw new Error(`the header of "${name}" is damaged`);
        return {
          name,
          method,
          crc32: u32(dir, at + 16),
          compressedSize: u32(dir, at + 20),
          size: u32(dir, at + 24),
          dataOffset: u32(dir, at + 42) + 30 + u16(local, 26) + u16(local, 28),
        };
      }
      at += 46 + nameLength + u16(dir, at + 30) + u16(dir, at + 32);
    }
    throw new Error(`it holds no ${names.map((n) => `"${n}"`).join(" or ")}`);
  } finally {
    file.close();
  }
}

/**
 * The unpacked bytes of a zip entry, in chunks.
 *
 * @example
 * ```ts
 * const entry = await findZipEntry("denort.zip", ["denort"]);
 * for await (const chunk of await zipEntryStream("denort.zip", entry)) console.log(chunk.length);
 * ```
 */
export async function zipEntryStream(
  path: string,
  entry: ZipEntry,
): Promise<ReadableStream<Uint8Array>> {
  const file = await Deno.open(path, { read: true });
  let packed: Uint8Array;
  try {
    packed = await readRange(file, entry.dataOffset, entry.compressedSize);
  } finally {
    file.close();
  }
  const stream = new Blob([packed as Uint8Array<ArrayBuffer>]).stream();
  return entry.method === 8 ? stream.pipeThrough(new DecompressionStream("deflate-raw")) : stream;
}

/**
 * Makes a checked base usable as `DENORT_BIN`: a `DENORT_BIN` file as it is; a
 * cached zip unpacked into `dir` (its CRC-32 checked again). Returns the file
 * `deno compile` is given, so it never downloads one. `base` is a `Base` from
 * `runtime_base.ts` (typed here by the two fields read, so this module does
 * not import that one, which imports it).
 *
 * @example
 * ```ts
 * const file = await unpackBase(base, "dist/.stamp", "x86_64-unknown-linux-gnu");
 * ```
 */
export async function unpackBase<B extends { readonly path: string; readonly entry?: ZipEntry }>(
  base: B,
  dir: string,
  triple: TargetTriple,
): Promise<string> {
  if (base.entry === undefined) return base.path;
  const out = join(
    dir,
    `${base.entry.name.replace(/\.exe$/, "")}-${triple}${
      base.entry.name.endsWith(".exe") ? ".exe" : ""
    }`,
  );
  const file = await Deno.open(out, { write: true, create: true, truncate: true, mode: 0o755 });
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of await zipEntryStream(base.path, base.entry)) {
      crc = crc32Update(crc, chunk);
      size += chunk.length;
      let rest = chunk;
      while (rest.length > 0) rest = rest.subarray(await file.write(rest));
    }
  } finally {
    file.close();
  }
  if (crc !== base.entry.crc32 || size !== base.entry.size) {
    await removeIfPresent(out);
    throw new Error(`"${base.path}" changed after it was checked`);
  }
  return out;
}
