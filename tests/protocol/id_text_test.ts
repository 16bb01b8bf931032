import assert from "node:assert/strict";
import { idTextOf } from "../../src/protocol/id_text.ts";
import { idKey, idText, spelledId } from "../../src/protocol/jsonrpc_id.ts";

Deno.test("idTextOf() gives the top-level id as written, wherever it stands", () => {
  assert.equal(idTextOf('{"jsonrpc":"2.0","id":2,"result":{}}'), "2");
  assert.equal(idTextOf('{"jsonrpc":"2.0","id" : 2.0 ,"result":{}}'), "2.0");
  assert.equal(idTextOf('{"result":{"content":[]},"jsonrpc":"2.0","id":2e0}'), "2e0");
  assert.equal(idTextOf('{"id":1152921504606847000,"result":{}}'), "1152921504606847000");
  assert.equal(idTextOf('{"id":"a\\"b","result":{}}'), '"a\\"b"');
  // A nested id, before or after, is not the message's.
  assert.equal(idTextOf('{"result":{"id":2,"items":[{"id":5}]},"id":2.0}'), "2.0");
  assert.equal(idTextOf('{"id":2.0,"result":{"id":2}}'), "2.0");
  // Inside a string, "id" is text.
  assert.equal(idTextOf('{"result":{"text":"\\"id\\":2"},"id":7.0}'), "7.0");
  assert.equal(idTextOf('{"result":{"text":"id"},"id":7.0}'), "7.0");
  // A key written with escapes is `id` all the same.
  assert.equal(idTextOf('{"\\u0069d":2.0,"result":{"id":2}}'), "2.0");
  assert.equal(idTextOf('{"i\\u0064":2.0,"result":{}}'), "2.0");
  // A top-level value that reads "id" is no key: the id before it stands.
  assert.equal(idTextOf('{"jsonrpc":"2.0","id":1,"result":{},"note":"id"}'), "1");
  assert.equal(idTextOf('{"jsonrpc":"2.0","id":6,"result":{},"m":"\\u0069d"}'), "6");
  assert.equal(idTextOf('{"note":"id","id":3.0}'), "3.0");
  assert.equal(idTextOf('{"a":["id","x"],"id":4,"b":"id"}'), "4");
});

Deno.test("idTextOf() reads a plain integer id as the full pattern does, up to its end", () => {
  assert.equal(idTextOf('{"jsonrpc":"2.0","id":503,"result":{}}'), "503");
  assert.equal(idTextOf('{"result":{},"id":-7}'), "-7");
  assert.equal(idTextOf('{"result":{},"id":0}'), "0");
  // A fraction, an exponent or a space after the digits: the whole number, as written.
  assert.equal(idTextOf('{"id":12.50,"result":{}}'), "12.50");
  assert.equal(idTextOf('{"id":-3E+2,"result":{}}'), "-3E+2");
  assert.equal(idTextOf('{"id":12 ,"result":{}}'), "12");
  assert.equal(idTextOf('{"id": 12,"result":{}}'), "12");
  // No digits after the colon: not a plain integer.
  assert.equal(idTextOf('{"id":-,"result":{}}'), undefined);
  assert.equal(idTextOf('{"id":"12","result":{}}'), '"12"');
  assert.equal(idTextOf('{"id":null,"result":{}}'), "null");
});

Deno.test("idTextOf() gives the last of a repeated id, as JSON.parse keeps it; never a structure", () => {
  assert.equal(idTextOf('{"id":2,"result":{},"id":2.0}'), "2.0");
  assert.equal(idTextOf('{"id":2.0,"result":{"id":3},"id":2}'), "2");
  assert.equal(idTextOf('{"id":2,"result":{},"id":2}'), "2");
  assert.equal(idTextOf('{"id":{"a":1},"result":{}}'), undefined);
});

Deno.test("spelledId() keeps a number's spelling only when String() would change it", () => {
  assert.equal(spelledId(2, "2"), 2);
  assert.equal(spelledId(2, undefined), 2);
  assert.equal(spelledId("2", "2.0"), "2");
  assert.equal(spelledId(2, "3"), 2, "a text of another number is not the id's");
  for (const text of ["2.0", "2e0", "20e-1", "2.00"]) {
    const id = spelledId(2, text);
    assert.equal(JSON.stringify({ id }), `{"id":${text}}`);
    assert.equal(idKey(id), "n:2");
    assert.equal(idText(id), text);
  }
  assert.equal(idText(spelledId(0, "-0")), "-0");
  assert.equal(idText(7), "7");
  assert.equal(idText("7"), undefined);
});
