/**
 * A byte sequence held as the pieces it arrived in (a long line read in
 * many chunks), with the few operations the relay needs on it without
 * copying the whole: its length, its first and last bytes, and, only when
 * unavoidable, one joined array. Pure.
 *
 * @example
 * ```ts
 * const parts = [new Uint8Array([1, 2]), new Uint8Array([3, 4, 5])];
 * partsLength(parts); // 5
 * firstBytes(parts, 3); // Uint8Array [1, 2, 3]
 * lastBytes(parts, 2); // Uint8Array [4, 5]
 * ```
 */

/** The total length of `parts`. */
export function partsLength(parts: readonly Uint8Array[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  return total;
}

/** The first `n` bytes of `parts` (fewer when they are shorter). */
export function firstBytes(parts: readonly Uint8Array[], n: number): Uint8Array {
  if (parts.length > 0 && parts[0]!.length >= n) return parts[0]!.subarray(0, n);
  const out = new Uint8Array(Math.min(n, partsLength(parts)));
  let offset = 0;
  for (const part of parts) {
    if (offset === out.length) break;
    const take = Math.min(part.length, out.length - offset);
    out.set(part.subarray(0, take), offset);
    offset += take;
  }
  return out;
}

/** The last `n` bytes of `parts` (fewer when they are shorter). */
export function lastBytes(parts: readonly Uint8Array[], n: number): Uint8Array {
  const last = parts[parts.length - 1];
  if (last !== undefined && last.length >= n) return last.subarray(last.length - n);
  const out = new Uint8Array(Math.min(n, partsLength(parts)));
  let end = out.length;
  for (let i = parts.length - 1; i >= 0 && end > 0; i--) {
    const part = parts[i]!;
    const take = Math.min(part.length, end);
    out.set(part.subarray(part.length - take), end - take);
    end -= take;
  }
  return out;
}

/** `parts` as one array (a copy unless there is only one part). */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(partsLength(parts));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The length of the line terminator that ends `parts`: 2 for CRLF, 1 for LF, 0 for none. */
export function terminatorLength(parts: readonly Uint8Array[]): number {
  const ending = lastBytes(parts, 2);
  if (ending[ending.length - 1] !== 0x0a) return 0;
  return ending.length === 2 && ending[0] === 0x0d ? 2 : 1;
}
