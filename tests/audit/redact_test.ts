import assert from "node:assert/strict";
import { redactValue } from "../../src/audit/redact.ts";
import { canonicalJson } from "../../src/audit/canonical_json.ts";

const key = await crypto.subtle.importKey(
  "raw",
  new Uint8Array(32).fill(1),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["sign"],
);

Deno.test("redactValue() keeps a digest and the shape, never the values", async () => {
  const value = { path: "/data/patient-jones.txt", lines: [1, 2], opts: { force: true } };
  const r = await redactValue(key, value);
  assert.match(r.digest, /^[0-9a-f]{64}$/);
  assert.deepEqual(r.shape, {
    t: "object",
    keys: {
      lines: { t: "array", n: 2, items: [{ t: "number" }, { t: "number" }] },
      opts: { t: "object", keys: { force: { t: "boolean" } } },
      path: { t: "string", n: 23 },
    },
  });
  assert.equal(r.clear, undefined);
  assert.ok(!JSON.stringify(r).includes("jones"));
});

Deno.test("redactValue() digests equal values equally whatever the key order", async () => {
  const a = await redactValue(key, { a: 1, b: "x" });
  const b = await redactValue(key, { b: "x", a: 1 });
  const c = await redactValue(key, { a: 2, b: "x" });
  assert.equal(a.digest, b.digest);
  assert.notEqual(a.digest, c.digest);
  assert.equal(
    canonicalJson({ b: [1, { d: null, c: "é" }], a: true }),
    '{"a":true,"b":[1,{"c":"é","d":null}]}',
  );
});

Deno.test("redactValue() logs in clear only the fields named safe", async () => {
  const r = await redactValue(key, { mode: "w", path: "/x", o: { limit: 5 } }, [
    "mode",
    "o.limit",
    "nope",
  ]);
  assert.deepEqual(r.clear, { mode: "w", "o.limit": 5 });
});
