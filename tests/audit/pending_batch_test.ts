// The batch intent a writer leaves before writing its lines vouches only for
// the records it names, built on the very state it names, under its MAC.
import assert from "node:assert/strict";
import {
  encodePendingBatch,
  parsePendingBatch,
  type PendingBatch,
  pendingMacKey,
  pendingVouch,
} from "../../src/audit/pending_batch.ts";

const key = pendingMacKey(new Uint8Array(32).fill(7));
const leaf = (i: number) => i.toString(16).padStart(64, "0");
const batch: PendingBatch = {
  base: { size: 10, last: leaf(9) },
  start: { size: 12, last: leaf(11) },
  done: { size: 12, last: leaf(11) },
  end: { size: 15, last: leaf(14) },
  leaves: [leaf(12), leaf(13), leaf(14)],
};
const text = () => new TextDecoder().decode(encodePendingBatch(key, batch));

Deno.test("an intent vouches for the log ending where it ends, where its writer's records start, or at a leaf it lists", () => {
  const read = parsePendingBatch(key, text());
  assert.deepEqual(read, batch);
  for (const size of [12, 13, 14, 15]) {
    assert.equal(pendingVouch(read, batch.base, { size, last: leaf(size - 1) }), size);
  }
});

Deno.test("an intent vouches for nothing past its end, on another base, with a leaf it does not list, or with its MAC broken", () => {
  const read = parsePendingBatch(key, text());
  assert.equal(pendingVouch(read, batch.base, { size: 16, last: leaf(15) }), undefined);
  assert.equal(
    pendingVouch(read, { size: 11, last: leaf(10) }, { size: 15, last: leaf(14) }),
    undefined,
  );
  assert.equal(pendingVouch(read, batch.base, { size: 14, last: leaf(99) }), undefined);
  const changed = text().replace(`"size":15`, `"size":16`);
  assert.equal(parsePendingBatch(key, changed), undefined);
  assert.equal(parsePendingBatch(pendingMacKey(new Uint8Array(32)), text()), undefined);
});
