import assert from "node:assert/strict";
import { lineDefect } from "../../src/protocol/line_defect.ts";

const enc = new TextEncoder();
const bytes = (text: string) => enc.encode(text);

/** Every way to cut `line` into two or three parts. */
function cuts(line: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[line]];
  for (let i = 0; i <= line.length; i++) {
    out.push([line.subarray(0, i), line.subarray(i)]);
    for (let j = i; j <= line.length; j += 3) {
      out.push([line.subarray(0, i), line.subarray(i, j), line.subarray(j)]);
    }
  }
  return out;
}

Deno.test("lineDefect accepts LF and CRLF lines and a last line without a terminator", () => {
  for (const text of ['{"a":1}\n', '{"a":1}\r\n', '{"a":1}', '{"a":1}\r', "\n", ""]) {
    for (const parts of cuts(bytes(text))) {
      assert.equal(
        lineDefect(parts),
        undefined,
        JSON.stringify([text, parts.map((p) => p.length)]),
      );
    }
  }
});

Deno.test("lineDefect finds a carriage return anywhere inside the line, however it is cut", () => {
  const smuggling = '{"method":"notifications/progress","params":{"x":\r' +
    '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"rm"}}\r}}\n';
  for (
    const text of [smuggling, '\r{"a":1}\n', '{"a":1}\r\r\n', '{"a":\r1}', '{"a":1}\r\n\r\n']
  ) {
    for (const parts of cuts(bytes(text))) {
      assert.equal(lineDefect(parts), "a carriage return inside it", JSON.stringify(text));
    }
  }
});

Deno.test("lineDefect finds a byte order mark at the start, however it is cut", () => {
  const line = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"id":1}\n')]);
  for (const parts of cuts(line)) {
    assert.equal(lineDefect(parts), "a byte order mark at its start");
  }
  // The same bytes elsewhere are a character inside a string, not a mark.
  const inside = bytes('{"a":"\ufeff"}\n');
  assert.equal(lineDefect([inside]), undefined);
});

Deno.test("lineDefect() skips the byte order mark check when asked (server lines)", () => {
  const line = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"id":1}\n')]);
  assert.equal(lineDefect([line], { bom: false }), undefined);
  assert.equal(lineDefect([bytes('{"id":\r1}\n')], { bom: false }), "a carriage return inside it");
});
