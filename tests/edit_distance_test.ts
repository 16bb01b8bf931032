import assert from "node:assert/strict";
import { editDistance } from "../src/edit_distance.ts";

Deno.test("editDistance() counts insertions, deletions and substitutions", () => {
  assert.equal(editDistance("", ""), 0);
  assert.equal(editDistance("abc", "abc"), 0);
  assert.equal(editDistance("THOTH_TENNANT_ID", "THOTH_TENANT_ID"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
});

Deno.test("editDistance() counts a swap of neighbours as one edit only with swaps", () => {
  assert.equal(editDistance("--agnet-id", "--agent-id"), 2);
  assert.equal(editDistance("--agnet-id", "--agent-id", { swaps: true }), 1);
  assert.equal(editDistance("ca", "abc", { swaps: true }), 3);
});

Deno.test("editDistance() stops past its limit with limit + 1, and is exact within it", () => {
  assert.equal(editDistance("--xyz", "--enforcement-mode", { limit: 2 }), 3);
  assert.equal(editDistance("abcdef", "ghijkl", { limit: 2 }), 3);
  assert.equal(editDistance("THOTH_TENNANT_ID", "THOTH_TENANT_ID", { limit: 2 }), 1);
  assert.equal(editDistance("THOTH_TENANT_DI", "THOTH_TENANT_ID", { limit: 2 }), 2);
  assert.equal(editDistance("THOTH_TENANT_DI", "THOTH_TENANT_ID", { limit: 2, swaps: true }), 1);
  // Every pair agrees with the unlimited distance wherever that is within the limit.
  const words = ["--agent-id", "--agnet-id", "--agent", "-agent-id", "--intent", "--policy"];
  for (const a of words) {
    for (const b of words) {
      for (const swaps of [false, true]) {
        const full = editDistance(a, b, { swaps });
        assert.equal(editDistance(a, b, { swaps, limit: 2 }), full <= 2 ? full : 3, `${a} ${b}`);
      }
    }
  }
});
