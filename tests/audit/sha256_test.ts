import assert from "node:assert/strict";
import { hmacSha256, HmacSha256Key, sha256, sha256Into } from "../../src/audit/sha256.ts";

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const enc = new TextEncoder();

/** The same key for Web Crypto's HMAC-SHA256, the reference these tests hold ours to. */
function webHmacKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

Deno.test("sha256() matches the FIPS 180-4 examples", () => {
  assert.equal(
    hex(sha256(new Uint8Array(0))),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(
    hex(sha256(enc.encode("abc"))),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    hex(sha256(enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("sha256() agrees with Web Crypto on every length around the block edges, in any split", async () => {
  for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097]) {
    const data = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
    const expected = hex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
    assert.equal(hex(sha256(data)), expected, `length ${length}`);
    const split = Math.floor(length / 3);
    const streamed = sha256(data.subarray(0, split), data.subarray(split));
    assert.equal(hex(streamed), expected, `length ${length} in two parts`);
  }
});

Deno.test("hmacSha256() agrees with Web Crypto, including keys longer than a block", async () => {
  for (const keyLength of [0, 16, 32, 64, 65, 200]) {
    const key = new Uint8Array(keyLength).map((_, i) => i + 7);
    const message = enc.encode(`message for a ${keyLength}-byte key`);
    const webKey = await crypto.subtle.importKey(
      "raw",
      keyLength === 0 ? new Uint8Array(1) : key,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    if (keyLength === 0) continue; // Web Crypto refuses empty HMAC keys; RFC 4231 covers the rest.
    const expected = hex(new Uint8Array(await crypto.subtle.sign("HMAC", webKey, message)));
    assert.equal(hex(hmacSha256(key, message)), expected, `key of ${keyLength} bytes`);
  }
  // RFC 4231 test case 2.
  assert.equal(
    hex(hmacSha256(enc.encode("Jefe"), enc.encode("what do ya want for nothing?"))),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});

Deno.test("HmacSha256Key reuses its padded key blocks across messages of every length", async () => {
  const raw = new Uint8Array(32).map((_, i) => 255 - i);
  const prepared = new HmacSha256Key(raw);
  const webKey = await webHmacKey(raw);
  // Around the block edges, where the length in the padding moves to a second block.
  for (const length of [0, 1, 54, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
    const message = new Uint8Array(length).map((_, i) => i * 7);
    const expected = hex(new Uint8Array(await crypto.subtle.sign("HMAC", webKey, message)));
    assert.equal(hex(prepared.mac(message)), expected, `message of ${length} bytes`);
    const out = new Uint8Array(32).fill(0xaa);
    assert.equal(prepared.mac(message, out), out, "the digest goes into the array lent");
    assert.equal(hex(out), expected, `message of ${length} bytes, into a lent array`);
  }
});

Deno.test("sha256Into() writes the digest over an input it has already read", async () => {
  for (const length of [0, 32, 55, 64, 200]) {
    const data = new Uint8Array(length + 32).map((_, i) => i * 13);
    const expected = hex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
    // The output overlaps the first input, as a Merkle node written over its left child does.
    const out = data.subarray(0, 32);
    sha256Into(out, [data.subarray(0, 32), data.subarray(32)]);
    assert.equal(hex(out), expected, `${length} bytes after the overlapped 32`);
  }
});

Deno.test("HmacSha256Key.begin() agrees with Web Crypto for a message fed in pieces of any size", async () => {
  const raw = new Uint8Array(32).map((_, i) => i * 3 + 1);
  const prepared = new HmacSha256Key(raw);
  const webKey = await webHmacKey(raw);
  let seed = 5;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const length of [0, 1, 63, 64, 65, 127, 128, 129, 1000, 70_000]) {
    const message = new Uint8Array(length).map((_, i) => (i * 13 + length) & 0xff);
    const expected = hex(new Uint8Array(await crypto.subtle.sign("HMAC", webKey, message)));
    for (const most of [1, 7, 64, 100, 5000]) {
      const stream = prepared.begin();
      let offset = 0;
      while (offset < length) {
        const size = 1 + Math.floor(next() * most);
        stream.update(message.subarray(offset, offset + size));
        offset += size;
      }
      if (next() < 0.5) stream.update(new Uint8Array(0));
      assert.equal(hex(stream.mac()), expected, `${length} bytes in pieces of up to ${most}`);
    }
  }
});
