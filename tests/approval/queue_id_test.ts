import assert from "node:assert/strict";
import { QUEUE_ID, QUEUE_ID_ALPHABET, QUEUE_ID_LENGTH } from "../../src/approval/queue_record.ts";

Deno.test("QUEUE_ID is built from the alphabet ids are made of", () => {
  assert.equal(QUEUE_ID_ALPHABET, "abcdefghjkmnpqrstuvwxyz23456789");
  assert.equal(QUEUE_ID_LENGTH, 8);
  for (const id of ["k3f9x2qa", "zzzzzzzz", "22222222"]) assert.ok(QUEUE_ID.test(id), id);
  for (const id of ["abcd1234", "12345678", "abcdefgi", "ABCDEFGH", "abcdefg", "abcdefghj"]) {
    assert.ok(!QUEUE_ID.test(id), id);
  }
});
