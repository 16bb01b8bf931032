/**
 * The first grapheme segmenter a process makes loads the runtime's break
 * rules (tens of milliseconds): the modules every session and the status
 * table load make theirs only for a text that needs one. Counted by a
 * segmenter class that stands in for the runtime's while they load; the
 * modules are imported here after it is in place, so this file must import
 * neither of them statically.
 */
// thoth-test: own isolate: it counts the segmenters these modules make from their first load,
// and replaces Intl.Segmenter for the whole isolate.
import assert from "node:assert/strict";

let made = 0;
const Runtime = Intl.Segmenter;
class Counted extends Runtime {
  constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
    super(...args);
    made++;
  }
}
Object.defineProperty(Intl, "Segmenter", { value: Counted, configurable: true, writable: true });

Deno.test("soft breaks make a segmenter only for a run long enough to break", async () => {
  made = 0;
  const { withSoftBreaks, SOFT_BREAK } = await import("../../src/approval/soft_breaks.ts");
  assert.equal(made, 0, "made on load");
  assert.equal(withSoftBreaks("thoth approvals list"), "thoth approvals list");
  assert.equal(made, 0, "made for a text without a long run");
  assert.equal(withSoftBreaks("a".repeat(20)), `${"a".repeat(16)}${SOFT_BREAK}aaaa`);
  assert.equal(withSoftBreaks("b".repeat(20)).length, 21);
  assert.equal(made, 1, "one segmenter for the process");
});

Deno.test("displayWidth() makes a segmenter only for a text beyond printable ASCII", async () => {
  made = 0;
  const { displayWidth } = await import("../../src/config/display_width.ts");
  assert.equal(made, 0, "made on load");
  const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
  assert.equal(displayWidth(ascii.join("")), ascii.length);
  assert.equal(made, 0, "made for printable ASCII");
  // The clusters' own reading gives each printable ASCII character one column too.
  for (const c of ascii) assert.equal(displayWidth(`${c}\u00e9`), 2, JSON.stringify(c));
  assert.equal(displayWidth("\u4e2d\u6587"), 4);
  assert.equal(displayWidth("a\tb"), displayWidth("a") + displayWidth("\t") + displayWidth("b"));
  assert.equal(made, 1, "one segmenter for the process");
});
