import assert from "node:assert/strict";
import { idKeyMentions, keyMentions } from "../../src/protocol/id_key_mentions.ts";

const enc = new TextEncoder();
/** The text's bytes in every split into two parts, and one byte a part. */
function splits(text: string): Uint8Array[][] {
  const bytes = enc.encode(text);
  const all: Uint8Array[][] = [[bytes], [...bytes].map((b) => Uint8Array.of(b))];
  for (let i = 1; i < bytes.length; i++) all.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return all;
}

Deno.test("idKeyMentions() counts each spelling of the id key, across parts", () => {
  const cases: [string, number][] = [
    ['{"jsonrpc":"2.0","id":3,"result":{}}', 1],
    ['{"id":3,"result":{},"id":2}', 2],
    ['{"id":3,"result":{},"i\\u0064":2}', 3],
    ['{"id":3,"result":{},"\\u0069d":2}', 3],
    ['{"id":3,"result":{"text":"\\u0065"}}', 1],
    ['{"result":{"text":"é\\"id\\""}}', 0],
    ['"id""id"', 2],
  ];
  for (const [text, count] of cases) {
    for (const parts of splits(text)) assert.equal(idKeyMentions(parts), count, text);
  }
});

Deno.test("keyMentions() counts each key-looking spelling of method, across parts", () => {
  const cases: [string, number, number][] = [
    ['{"jsonrpc":"2.0","id":3,"result":{}}', 1, 0],
    ['{"id":3,"result":{},"method":"sampling/createMessage"}', 1, 1],
    ['{"id":3,"result":{},"method" \t:"x"}', 1, 1],
    ['{"id":3,"result":{"words":["method","get"]}}', 1, 0],
    ['{"id":3,"result":{"text":"{\\"method\\":\\"x\\"}"}}', 1, 0],
    ['{"id":3,"result":{},"m\\u0065thod":"x"}', 1, 1],
    ['{"id":3,"result":{},"\\u006Dethod":"x"}', 1, 1],
    ['{"id":3,"result":{},"metho\\u0064":"x"}', 3, 1],
    ['{"id":3,"result":{"text":"\\u001b"}}', 1, 0],
    ['"method":"method":', 0, 2],
  ];
  for (const [text, id, method] of cases) {
    const whole = keyMentions([enc.encode(text)]);
    assert.deepEqual({ id: whole.id, method: whole.method }, { id, method }, text);
    // A part that ends just after "method" leaves its colon unseen: counted then (errs high).
    for (const parts of splits(text)) {
      const counted = keyMentions(parts);
      assert.equal(counted.id, id, text);
      assert.ok(counted.method >= method && counted.method <= method + 1, text);
    }
  }
  const value = enc.encode('{"id":3,"result":{"words":["method","get"]}}');
  assert.equal(keyMentions([value.subarray(0, 30), value.subarray(30)]).method, 0);
});

Deno.test("keyMentions() counts a method key whose colon is in the next part", () => {
  const parts = [enc.encode('{"id":3,"result":{},"method"'), enc.encode(' : "x"}')];
  assert.deepEqual(keyMentions(parts), { id: 1, method: 1, variant: false });
});

Deno.test("keyMentions() tells whether a key may differ from a JSON-RPC key only by case", () => {
  const cases: [string, boolean][] = [
    ['{"jsonrpc":"2.0","id":3,"result":{"text":"id method ID"}}', false],
    ['{"jsonrpc":"2.0","id":3,"result":{},"ID":2}', true],
    ['{"jsonrpc":"2.0","id":3,"Result":{}}', true],
    ['{"JSONRPC":"2.0","id":3,"result":{}}', true],
    ['{"jsonrpc":"2.0","\\u0049D":3,"result":{}}', true],
    ['{"jsonrpc":"2.0","id":3,"re\\u017fult":{}}', true],
    ['{"jsonrpc":"2.0","id":3,"reſult":{}}', true],
    ['{"jsonrpc":"2.0","id":3,"result":{"text":"\\u00e9"}}', false],
  ];
  for (const [text, variant] of cases) {
    assert.equal(keyMentions([enc.encode(text)]).variant, variant, text);
    // Across any split of the bytes: a key cut in two is still seen.
    for (const parts of splits(text)) assert.equal(keyMentions(parts).variant, variant, text);
  }
});
