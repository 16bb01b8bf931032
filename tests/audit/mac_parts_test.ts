import assert from "node:assert/strict";
import { macParts } from "../../src/audit/mac_parts.ts";
import { HmacSha256Key } from "../../src/audit/sha256.ts";
import { nativeHmacStream } from "../../src/audit/native_hmac.ts";

const key = new HmacSha256Key(new Uint8Array(32).fill(9));

Deno.test("macParts() is the MAC of the first `length` bytes, however they are cut", async () => {
  const whole = new Uint8Array(10_000).map((_, i) => (i * 7) & 0xff);
  const parts = [
    whole.slice(0, 1),
    whole.slice(1, 4000),
    whole.slice(4000, 4000),
    whole.slice(4000),
  ];
  for (const length of [0, 1, 64, 3999, 4000, 9998, 10_000]) {
    const mac = await macParts(key.begin(), parts, length, () => Promise.resolve(), 512);
    assert.deepEqual(mac, key.mac(whole.subarray(0, length)), `first ${length} bytes`);
  }
});

/** Whether a timer due at once ran before a MAC over 8,000 bytes in slices of `sliceBytes` was done. */
async function timerRanFirst(sliceBytes: number): Promise<string[]> {
  const order: string[] = [];
  setTimeout(() => order.push("timer"), 0);
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  await macParts(
    key.begin(),
    [new Uint8Array(5000), new Uint8Array(3000)],
    8000,
    pause,
    sliceBytes,
  );
  order.push("done");
  await new Promise((resolve) => setTimeout(resolve, 5));
  return order;
}

Deno.test("macParts() pauses between slices, so other work runs while it hashes", async () => {
  let pauses = 0;
  const parts = [new Uint8Array(5000), new Uint8Array(3000)];
  await macParts(key.begin(), parts, 8000, () => (pauses++, Promise.resolve()), 1000);
  assert.equal(pauses, 7, "8,000 bytes in slices of 1,000: a pause between each two");
  assert.deepEqual(await timerRanFirst(1000), ["timer", "done"], "the timer ran meanwhile");
  assert.deepEqual(await timerRanFirst(8000), ["done", "timer"], "one slice: nothing in between");
});

Deno.test("the native HMAC stream, when it loads, agrees with the TypeScript one", async () => {
  const raw = new Uint8Array(32).map((_, i) => i * 11);
  const native = await nativeHmacStream(raw);
  assert.ok(native, "node:crypto loads under Deno");
  const ours = new HmacSha256Key(raw).begin();
  const data = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
  for (const [from, to] of [[0, 1], [1, 65], [65, 70_000], [70_000, 300_000]]) {
    native.update(data.subarray(from, to));
    ours.update(data.subarray(from, to));
  }
  assert.deepEqual(native.mac(), ours.mac());
  const again = await nativeHmacStream(raw);
  assert.deepEqual(
    await macParts(
      again!,
      [data.subarray(0, 5), data.subarray(5)],
      data.length,
      () => Promise.resolve(),
    ),
    new HmacSha256Key(raw).mac(data),
  );
});
