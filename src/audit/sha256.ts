/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), synchronous and in plain
 * TypeScript. The audit log hashes every record on the relay's hot path; Web
 * Crypto answers asynchronously through a thread pool, and `node:crypto`
 * brings the whole Node compatibility layer into the sandboxed proxy core.
 * Checked against Web Crypto by the tests.
 *
 * @example
 * ```ts
 * const digest = sha256(new TextEncoder().encode("abc")); // ba7816bf…
 * const mac = hmacSha256(key, message);
 * ```
 */

const K = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

const INITIAL = [
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
];

const W = new Int32Array(64);

/**
 * Processes 64-byte blocks of `data` from `offset` into the state `hs`.
 *
 * The rounds are written out eight at a time, each with the working
 * variables in the places the standard's renaming would move them to
 * (round i's `a` is round i+1's `b`, …), so no round copies seven values;
 * `ch` and `maj` use the equivalent forms `g ^ (e & (f ^ g))` and
 * `(a & b) | (c & (a | b))`. About 15% faster than one round per loop.
 */
function compress(hs: Int32Array, data: Uint8Array, offset: number, blocks: number): void {
  let h0 = hs[0]!,
    h1 = hs[1]!,
    h2 = hs[2]!,
    h3 = hs[3]!,
    h4 = hs[4]!,
    h5 = hs[5]!,
    h6 = hs[6]!,
    h7 = hs[7]!;
  for (let block = 0; block < blocks; block++) {
    const base = offset + block * 64;
    for (let t = 0; t < 16; t++) {
      const i = base + t * 4;
      W[t] = (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15]!;
      const w2 = W[t - 2]!;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7, t1 = 0;
    for (let t = 0; t < 64; t += 8) {
      t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        (g ^ (e & (f ^ g))) + K[t + 0]! + W[t + 0]!) | 0;
      d = (d + t1) | 0;
      h = (t1 + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) | (c & (a | b)))) | 0;
      t1 = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
        (f ^ (d & (e ^ f))) + K[t + 1]! + W[t + 1]!) | 0;
      c = (c + t1) | 0;
      g = (t1 + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
        ((h & a) | (b & (h | a)))) | 0;
      t1 = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
        (e ^ (c & (d ^ e))) + K[t + 2]! + W[t + 2]!) | 0;
      b = (b + t1) | 0;
      f = (t1 + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
        ((g & h) | (a & (g | h)))) | 0;
      t1 = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
        (d ^ (b & (c ^ d))) + K[t + 3]! + W[t + 3]!) | 0;
      a = (a + t1) | 0;
      e = (t1 + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
        ((f & g) | (h & (f | g)))) | 0;
      t1 = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
        (c ^ (a & (b ^ c))) + K[t + 4]! + W[t + 4]!) | 0;
      h = (h + t1) | 0;
      d = (t1 + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
        ((e & f) | (g & (e | f)))) | 0;
      t1 = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
        (b ^ (h & (a ^ b))) + K[t + 5]! + W[t + 5]!) | 0;
      g = (g + t1) | 0;
      c = (t1 + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
        ((d & e) | (f & (d | e)))) | 0;
      t1 = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
        (a ^ (g & (h ^ a))) + K[t + 6]! + W[t + 6]!) | 0;
      f = (f + t1) | 0;
      b = (t1 + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
        ((c & d) | (e & (c | d)))) | 0;
      t1 = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
        (h ^ (f & (g ^ h))) + K[t + 7]! + W[t + 7]!) | 0;
      e = (e + t1) | 0;
      a = (t1 + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
        ((b & c) | (d & (b | c)))) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  hs[0] = h0, hs[1] = h1, hs[2] = h2, hs[3] = h3, hs[4] = h4, hs[5] = h5, hs[6] = h6, hs[7] = h7;
}

let scratch = new Uint8Array(1024);
/** The inner hash of an HMAC, consumed by the outer one at once. */
const INNER_DIGEST = new Uint8Array(32);
const STATE = new Int32Array(8);
const INITIAL_STATE = new Int32Array(INITIAL);

/**
 * Hashes `parts`, concatenated, starting from `initial`, the state after
 * `prefixBytes` bytes (whole blocks) were already compressed; the digest goes
 * into `out` (32 bytes), a new array unless the caller lends one.
 */
function finish(
  initial: Int32Array,
  prefixBytes: number,
  parts: readonly Uint8Array[],
  out: Uint8Array = new Uint8Array(32),
): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const padded = Math.ceil((length + 9) / 64) * 64;
  if (scratch.length < padded) scratch = new Uint8Array(padded * 2);
  const buffer = scratch;
  let offset = 0;
  for (const part of parts) {
    buffer.set(part, offset);
    offset += part.length;
  }
  buffer.fill(0, length, padded);
  buffer[length] = 0x80;
  const total = length + prefixBytes;
  const high = Math.floor(total / 2 ** 29);
  const low = (total << 3) >>> 0;
  buffer[padded - 8] = high >>> 24;
  buffer[padded - 7] = high >>> 16;
  buffer[padded - 6] = high >>> 8;
  buffer[padded - 5] = high;
  buffer[padded - 4] = low >>> 24;
  buffer[padded - 3] = low >>> 16;
  buffer[padded - 2] = low >>> 8;
  buffer[padded - 1] = low;
  const h = STATE;
  h.set(initial);
  compress(h, buffer, 0, padded / 64);
  for (let i = 0; i < 8; i++) {
    const word = h[i]!;
    out[i * 4] = word >>> 24;
    out[i * 4 + 1] = word >>> 16;
    out[i * 4 + 2] = word >>> 8;
    out[i * 4 + 3] = word;
  }
  return out;
}

/** SHA-256 of one or more byte arrays, concatenated (one pass, no per-call state). */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  return finish(INITIAL_STATE, 0, parts);
}

/**
 * {@linkcode sha256} written into `out` (32 bytes), which may overlap the
 * input: every part is read before the digest is written.
 */
export function sha256Into(out: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  return finish(INITIAL_STATE, 0, parts, out);
}

/**
 * An HMAC-SHA256 key whose two padded key blocks are compressed once, here,
 * instead of in every MAC: half the work for the short values the audit log
 * digests on every call.
 */
export class HmacSha256Key {
  readonly #inner: Int32Array;
  readonly #outer: Int32Array;

  constructor(key: Uint8Array) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? sha256(key) : key);
    const pad = (byte: number) => {
      const state = new Int32Array(INITIAL_STATE);
      compress(state, block.map((b) => b ^ byte), 0, 1);
      return state;
    };
    this.#inner = pad(0x36);
    this.#outer = pad(0x5c);
  }

  /**
   * HMAC-SHA256 of `message` under this key (RFC 2104), written into `out`
   * when given (a caller that only reads the digest at once can reuse one
   * array: each new array costs the runtime about half a microsecond).
   */
  mac(message: Uint8Array, out?: Uint8Array): Uint8Array {
    const inner = finish(this.#inner, 64, [message], INNER_DIGEST);
    return finish(this.#outer, 64, [inner], out);
  }

  /**
   * The MACs of messages that all start with `prefix`: its whole blocks are
   * compressed once, here, and each MAC hashes only the rest, `rest`.
   */
  after(prefix: Uint8Array): (rest: Uint8Array, out?: Uint8Array) => Uint8Array {
    const whole = prefix.length - (prefix.length % 64);
    const inner = new Int32Array(this.#inner);
    if (whole > 0) compress(inner, prefix, 0, whole / 64);
    const held = prefix.slice(whole);
    const outer = this.#outer;
    return (rest, out) =>
      finish(outer, 64, [finish(inner, 64 + whole, [held, rest], INNER_DIGEST)], out);
  }

  /** The same MAC over a message given in pieces. */
  begin(): HmacSha256Stream {
    const inner = new Sha256Stream(this.#inner, 64);
    const outer = this.#outer;
    return {
      update: (bytes) => inner.update(bytes),
      mac: () => finish(outer, 64, [inner.digest()]),
    };
  }
}

/**
 * A SHA-256 fed piece by piece, for input too large to hash in one call:
 * whole blocks are compressed straight from each piece, only a partial
 * block is held.
 */
class Sha256Stream {
  readonly #h: Int32Array;
  readonly #block = new Uint8Array(64);
  #held = 0;
  #compressed: number;

  /** Starts from `initial`, the state after `prefixBytes` (whole blocks) were compressed. */
  constructor(initial: Int32Array, prefixBytes: number) {
    this.#h = new Int32Array(initial);
    this.#compressed = prefixBytes;
  }

  update(bytes: Uint8Array): void {
    let offset = 0;
    if (this.#held > 0) {
      offset = Math.min(64 - this.#held, bytes.length);
      this.#block.set(bytes.subarray(0, offset), this.#held);
      this.#held += offset;
      if (this.#held < 64) return;
      compress(this.#h, this.#block, 0, 1);
      this.#compressed += 64;
      this.#held = 0;
    }
    const blocks = Math.floor((bytes.length - offset) / 64);
    if (blocks > 0) {
      compress(this.#h, bytes, offset, blocks);
      this.#compressed += blocks * 64;
      offset += blocks * 64;
    }
    if (offset < bytes.length) {
      this.#block.set(bytes.subarray(offset));
      this.#held = bytes.length - offset;
    }
  }

  digest(): Uint8Array {
    return finish(this.#h, this.#compressed, [this.#block.subarray(0, this.#held)]);
  }
}

/** An HMAC-SHA256 computed piece by piece (see {@linkcode HmacSha256Key.begin}). */
export interface HmacSha256Stream {
  update(bytes: Uint8Array): void;
  /** The MAC of everything given to `update`. */
  mac(): Uint8Array;
}

/** HMAC-SHA256 of `message` under `key` (RFC 2104). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new HmacSha256Key(key).mac(message);
}
