import assert from "node:assert/strict";
import { describeRedacted, redactValue, redactValueSync } from "../../src/audit/redact.ts";
import { canonicalJson } from "../../src/audit/canonical_json.ts";
import { parseExactIntegers } from "../../src/protocol/exact_integers.ts";

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

const rawKey = new Uint8Array(32).fill(1);

Deno.test("redactValue() shows a key that is data only as a digest, never in clear", async () => {
  const value = { recipients: { "jane.doe@example.org": "cc", "123-45-6789": 1, bcc: "x" } };
  const r = await redactValue(key, value);
  const text = JSON.stringify(r);
  for (const secret of ["jane", "example.org", "123-45-6789", "6789"]) {
    assert.ok(!text.includes(secret), `${secret} in ${text}`);
  }
  const inner = r.shape.t === "object" ? r.shape.keys["recipients"] : undefined;
  assert.ok(inner?.t === "object");
  const names = Object.keys(inner.keys).sort();
  assert.equal(names.length, 3);
  assert.equal(names[2], "bcc");
  for (const name of names.slice(0, 2)) assert.match(name, /^#k:[0-9a-f]{8}$/);
});

Deno.test("redactValue() names a hidden key by the digest its text gets as a value", async () => {
  const r = await redactValue(key, { "jane.doe@example.org": true });
  const asValue = await redactValue(key, "jane.doe@example.org");
  assert.deepEqual(r.shape, {
    t: "object",
    keys: { [`#k:${asValue.digest.slice(0, 8)}`]: { t: "boolean" } },
  });
});

Deno.test("redactValue() hides identifier-like keys a detector flags, and keys of any other form", async () => {
  const r = await redactValue(key, {
    AKIAQ3EGRBPSXLYH7TNU: 1,
    "4111111111111111": 2,
    "with space": 3,
    "#k:00000000": 4,
    ["x".repeat(65)]: 5,
    mrn: { A12345678: 6 },
    path: 7,
    "x-api-key": 8,
    "odd.key": 9,
  });
  assert.ok(r.shape.t === "object");
  const names = Object.keys(r.shape.keys);
  assert.deepEqual(names.filter((n) => !n.startsWith("#k:")).sort(), [
    "mrn",
    "odd.key",
    "path",
    "x-api-key",
  ]);
  assert.equal(names.length, 9);
  const mrn = r.shape.keys["mrn"];
  assert.ok(mrn?.t === "object");
  assert.match(Object.keys(mrn.keys)[0] ?? "", /^#k:[0-9a-f]{8}$/);
});

Deno.test("redactValueSync() and describeRedacted() hide keys as redactValue() does", async () => {
  const value = { to: { "jane.doe@example.org": "cc" }, n: [{ "123-45-6789": null }] };
  const slow = await redactValue(key, value);
  const fast = redactValueSync(rawKey, value);
  const described = describeRedacted(new Uint8Array(32), value, [], rawKey);
  assert.deepEqual(fast, slow);
  assert.deepEqual(described.shape, slow.shape);
  // Another device key digests the same key differently.
  const other = redactValueSync(new Uint8Array(32).fill(2), value);
  assert.notDeepEqual(other.shape, slow.shape);
});

Deno.test("an integer too large for a double counts in the digest with every digit", () => {
  const key = new Uint8Array(32).fill(7);
  const a = parseExactIntegers('{"card":6212345678901234569,"n":1}');
  const b = parseExactIntegers('{"card":6212345678901234568,"n":1}');
  assert.equal(canonicalJson(a), '{"card":6212345678901234569,"n":1}');
  // Parsed plainly, both are 6212345678901235000: one digest for two calls.
  assert.equal(
    redactValueSync(key, JSON.parse('{"card":6212345678901234569}')).digest,
    redactValueSync(key, JSON.parse('{"card":6212345678901234568}')).digest,
  );
  const ra = redactValueSync(key, a);
  const rb = redactValueSync(key, b);
  assert.notEqual(ra.digest, rb.digest);
  assert.deepEqual(ra.shape, {
    t: "object",
    keys: { card: { t: "number" }, n: { t: "number" } },
  });
});
