import assert from "node:assert/strict";
import { idKey } from "../../src/protocol/jsonrpc_id.ts";

Deno.test('idKey() keeps the number 1 and the string "1" apart', () => {
  assert.notEqual(idKey(1), idKey("1"));
});
