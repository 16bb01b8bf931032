/**
 * utf8FileText() and policyFileText(): a policy or intent map is read as
 * UTF-8 or refused, never decoded with replacement characters; the refusal
 * names the first byte that is not UTF-8 by line and column, or says the
 * file is UTF-16.
 */
import assert from "node:assert/strict";
import { isAppError } from "../../src/errors.ts";
import { utf8FileText } from "../../src/policy/utf8_file_text.ts";
import { policyFileText } from "../../src/policy/policy_shape.ts";
import { lineColumnAt, lineStarts } from "../../src/policy/line_column.ts";

const POLICY = { code: "policy.invalid", name: 'policy "p.jsonc"' } as const;

function bytes(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    out.push(...(typeof part === "string" ? new TextEncoder().encode(part) : part));
  }
  return Uint8Array.from(out);
}

function refusal(data: Uint8Array): { message: string; hints: readonly string[] } {
  try {
    utf8FileText(data, POLICY);
  } catch (error) {
    assert.ok(isAppError(error, "policy.invalid"), String(error));
    return error;
  }
  assert.fail("the bytes were read as UTF-8");
}

Deno.test("utf8FileText() reads UTF-8, with or without its byte-order mark", () => {
  assert.equal(
    utf8FileText(bytes('{ "a": "Müller 名前 😀" }'), POLICY),
    '{ "a": "Müller 名前 😀" }',
  );
  assert.equal(utf8FileText(bytes([0xef, 0xbb, 0xbf], "{}"), POLICY), "{}");
  assert.equal(utf8FileText(bytes([0xef, 0xbb, 0xbf], "{}"), POLICY, true), "\uFEFF{}");
  assert.equal(policyFileText(bytes([0xef, 0xbb, 0xbf], "{}"), "p.jsonc", true), "\uFEFF{}");
  assert.equal(utf8FileText(bytes(""), POLICY), "");
});

Deno.test("utf8FileText() refuses a Latin-1 byte, naming its line and column", () => {
  const latin1 = bytes('{\n  "glob": "/srv/patienten/M', [0xfc], 'ller/**"\n}');
  const e = refusal(latin1);
  assert.equal(
    e.message,
    'policy "p.jsonc" line 2 column 28: the byte 0xFC is not UTF-8: the file is saved in ' +
      "another encoding (such as Windows-1252 or Latin-1)",
  );
  assert.match(e.hints[0]!, /^save the file as UTF-8 .*Set-Content -Encoding utf8/);
});

Deno.test("utf8FileText() counts lines ending in \\r, \\r\\n or \\n, after a byte-order mark", () => {
  const at = (data: Uint8Array) => /line (\d+) column (\d+)/.exec(refusal(data).message)!.slice(1);
  assert.deepEqual(at(bytes("a\rb\r\nc\nde", [0x80])), ["4", "3"]);
  assert.deepEqual(at(bytes([0xef, 0xbb, 0xbf], "ab", [0xff])), ["1", "3"]);
  // A sequence cut short or overlong: named at its first byte.
  assert.deepEqual(at(bytes("x", [0xe2, 0x82], "y")), ["1", "2"]);
  assert.deepEqual(at(bytes("xy", [0xc0, 0xaf])), ["1", "3"]);
  assert.deepEqual(at(bytes("é", [0xed, 0xa0, 0x80])), ["1", "2"]);
  assert.deepEqual(at(bytes("😀", [0xf4, 0x90, 0x80, 0x80])), ["1", "3"]);
  assert.deepEqual(at(bytes("ab", [0xf0, 0x9f, 0x98])), ["1", "3"]);
});

Deno.test("utf8FileText() says a UTF-16 file is UTF-16, with its byte-order mark or without", () => {
  const utf16 = (text: string, little: boolean) => {
    const out: number[] = [];
    for (const ch of text) {
      const c = ch.charCodeAt(0);
      out.push(...(little ? [c & 0xff, c >> 8] : [c >> 8, c & 0xff]));
    }
    return out;
  };
  const cases: [Uint8Array, string][] = [
    [bytes([0xff, 0xfe], utf16('{"v', true)), "little-endian"],
    [bytes([0xfe, 0xff], utf16('{"v', false)), "big-endian"],
    [bytes(utf16('{\r\n  "version": 1', true)), "little-endian"],
    [bytes(utf16("{}", false)), "big-endian"],
  ];
  for (const [data, order] of cases) {
    const e = refusal(data);
    assert.equal(e.message, `policy "p.jsonc" is saved as UTF-16 (${order}), not as UTF-8`);
    assert.match(e.hints[0]!, /save the file as UTF-8.*Out-File -Encoding utf8.*"Unicode"/);
  }
  // A NUL byte elsewhere is no UTF-16 shape: it is left to the policy's own reading.
  assert.equal(utf8FileText(bytes("{}", [0]), POLICY), "{}\0");
});

Deno.test("lineColumnAt() counts a lone \\r as a line break, \\r\\n as one", () => {
  const text = "a\rb\r\nc\nd";
  const starts = lineStarts(text);
  assert.deepEqual(starts, [0, 2, 5, 7]);
  assert.deepEqual(lineColumnAt(starts, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumnAt(starts, 3), { line: 2, column: 2 });
  assert.deepEqual(lineColumnAt(starts, 8), { line: 4, column: 2 });
});
