/**
 * Tells which OS and CPU an executable is for from its first bytes (ELF,
 * Mach-O, fat Mach-O, PE). The build uses it to pick a `DENORT_BIN` only for
 * the target it was made for, and to confirm each compiled binary's format.
 * Pure.
 *
 * @example
 * ```ts
 * const head = await Deno.readFile(Deno.execPath()).then((b) => b.subarray(0, 4096));
 * executableTarget(head); // { os: "linux", arch: "x86_64" } on a Linux x86_64 machine
 * ```
 */

/** The OS and CPU of an executable; `"universal"` for a fat Mach-O. */
export interface ExecutableTarget {
  readonly os: "linux" | "darwin" | "windows";
  readonly arch: "x86_64" | "aarch64" | "universal" | "other";
}

function u16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}
function u32le(b: Uint8Array, at: number): number {
  return (u16le(b, at) | (u16le(b, at + 2) << 16)) >>> 0;
}
function u32be(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) |
    (b[at + 3] ?? 0)) >>> 0;
}

/** Reads the header; `undefined` when the bytes are no executable format it knows. */
export function executableTarget(head: Uint8Array): ExecutableTarget | undefined {
  if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) {
    const littleEndian = head[5] === 1;
    const machine = littleEndian ? u16le(head, 18) : (((head[18] ?? 0) << 8) | (head[19] ?? 0));
    return { os: "linux", arch: machine === 62 ? "x86_64" : machine === 183 ? "aarch64" : "other" };
  }
  const magicLe = u32le(head, 0);
  if (magicLe === 0xfeedfacf) {
    const cpu = u32le(head, 4);
    return {
      os: "darwin",
      arch: cpu === 0x01000007 ? "x86_64" : cpu === 0x0100000c ? "aarch64" : "other",
    };
  }
  if (u32be(head, 0) === 0xcafebabe && u32be(head, 4) > 0 && u32be(head, 4) < 20) {
    return { os: "darwin", arch: "universal" };
  }
  if (head[0] === 0x4d && head[1] === 0x5a) {
    const pe = u32le(head, 0x3c);
    if (pe + 6 <= head.length && u32le(head, pe) === 0x00004550) {
      const machine = u16le(head, pe + 4);
      return {
        os: "windows",
        arch: machine === 0x8664 ? "x86_64" : machine === 0xaa64 ? "aarch64" : "other",
      };
    }
  }
  return undefined;
}
