import assert from "node:assert/strict";
import { duplicateKey } from "../../src/protocol/duplicate_key.ts";

Deno.test("duplicateKey finds a key repeated in one object, at any depth", () => {
  assert.equal(duplicateKey('{"method":"tools/call","id":1,"method":"ping"}'), "method");
  assert.equal(duplicateKey('{"params":{"arguments":{"a":{"b":1,"b":2}}}}'), "b");
  assert.equal(duplicateKey('[1,{"x":[{"k":1},{"k":2,"k":3}]}]'), "k");
  assert.equal(duplicateKey('{ "a" : 1 , "a"\n:\t2 }'), "a", "whitespace around the colon");
});

Deno.test("duplicateKey compares keys as decoded text", () => {
  assert.equal(duplicateKey('{"a":1,"\\u0061":2}'), "a");
  assert.equal(duplicateKey('{"\\"q\\"":1,"\\u0022q\\u0022":2}'), '"q"');
  assert.equal(duplicateKey('{"a\\\\":1,"a\\u005c":2}'), "a\\");
  assert.equal(duplicateKey('{"é":1,"\\u00e9":2}'), "é");
});

Deno.test("duplicateKey ignores the same name in different objects and in values", () => {
  assert.equal(duplicateKey('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}'), undefined);
  assert.equal(duplicateKey('{"a":"a","b":"a","c":["a","a"]}'), undefined);
  // Quotes, colons and braces inside strings are text, not structure.
  assert.equal(duplicateKey('{"a":"\\":{\\"a\\":1","b":"}{[","c":"\\\\"}'), undefined);
  assert.equal(duplicateKey('{"a":1}{"a":2}'), undefined, "two objects, one key each");
  assert.equal(duplicateKey("[]"), undefined);
  assert.equal(duplicateKey('"just a string"'), undefined);
});

Deno.test("duplicateKey stays linear for an object with many keys", () => {
  const keys = Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`);
  assert.equal(duplicateKey(`{${keys.join(",")}}`), undefined);
  assert.equal(duplicateKey(`{${keys.join(",")},"k49999":0}`), "k49999");
  assert.equal(duplicateKey(`{${keys.join(",")},"k3":0}`), "k3", "found after the switch to a set");
  const twenty = keys.slice(0, 20).join(",");
  assert.equal(duplicateKey(`{${twenty},"n":{"k1":1,"x":{}},"m":[{"k2":2}]}`), undefined);
  assert.equal(
    duplicateKey(`{${twenty},"n":{"k1":1},"k1":2}`),
    "k1",
    "the parent's set outlives a child",
  );
  assert.equal(duplicateKey(`{"a":{${twenty},"k19":0},"b":1}`), "k19", "a nested large object");
  assert.equal(duplicateKey(`{"\\u006b1":0,${twenty}}`), "k1", "escaped, then past the switch");
});
