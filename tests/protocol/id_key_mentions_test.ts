import assert from "node:assert/strict";
import { idKeyMentions } from "../../src/protocol/id_key_mentions.ts";

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
