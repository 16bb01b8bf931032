/**
 * The HMAC-SHA256 of a long message held in pieces (a large response, as
 * it was read), computed a slice at a time with a pause between slices:
 * hashing 20 MiB takes tens of milliseconds, and the relay that shares the
 * thread must keep moving meanwhile. Pure apart from the injected pause.
 *
 * @example
 * ```ts
 * const pause = () => new Promise<void>((r) => setTimeout(r, 0));
 * const mac = await macParts(key.begin(), parts, 1_000_000, pause);
 * ```
 */
import type { HmacSha256Stream } from "./sha256.ts";

/** Bytes hashed between two pauses. */
export const MAC_SLICE_BYTES = 1024 * 1024;

/** Feeds the first `length` bytes of `parts` to `stream` and returns its MAC. */
export async function macParts(
  stream: HmacSha256Stream,
  parts: readonly Uint8Array[],
  length: number,
  pause: () => Promise<void>,
  sliceBytes = MAC_SLICE_BYTES,
): Promise<Uint8Array> {
  let left = length;
  let slice = 0;
  for (const part of parts) {
    let offset = 0;
    while (offset < part.length && left > 0) {
      if (slice === sliceBytes) {
        await pause();
        slice = 0;
      }
      const take = Math.min(part.length - offset, left, sliceBytes - slice);
      stream.update(part.subarray(offset, offset + take));
      offset += take;
      left -= take;
      slice += take;
    }
  }
  return stream.mac();
}
