import assert from "node:assert/strict";
import { newIdNonce, ownIdPrefix, underOwnPrefix } from "../../src/protocol/own_ids.ts";

const PREFIXES = [ownIdPrefix("5f0c"), ownIdPrefix("a91e")];

Deno.test("underOwnPrefix knows thoth's ids and what a loose peer takes for them", () => {
  for (
    const id of [
      "thoth-5f0c-1",
      "thoth-a91e-server-3",
      "thoth-5f0c-",
      " THOTH-5F0C-2 ",
      "\uff54\uff48\uff4f\uff54\uff48-5f0c-2", // fullwidth
      "thoth\u200b-5f0c-2", // zero-width space
      "thoth-\u00ad5f0c-2", // soft hyphen
      "x thoth-5f0c-2",
    ]
  ) {
    assert.equal(underOwnPrefix(id, PREFIXES), true, JSON.stringify(id));
  }
  for (const id of ["thoth-approval", "thoth-0000-1", "thoth-5f0-1", "5f0c", 1, null, ""]) {
    assert.equal(underOwnPrefix(id, PREFIXES), false, JSON.stringify(id));
  }
});

Deno.test("newIdNonce gives 16 fresh hex digits", () => {
  const a = newIdNonce();
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.notEqual(a, newIdNonce());
});
