import assert from "node:assert/strict";
import { compileArgPath } from "../../src/policy/compile_arg_path.ts";
import { parseDuration } from "../../src/policy/parse_duration.ts";
import { selectArgValues } from "../../src/policy/select_arg_values.ts";

Deno.test("compileArgPath() reads keys, indexes, wildcards and quoted keys", () => {
  assert.deepEqual(compileArgPath("options.path"), [{ key: "options" }, { key: "path" }]);
  assert.deepEqual(compileArgPath("items[0].p"), [{ key: "items" }, { index: 0 }, { key: "p" }]);
  assert.deepEqual(compileArgPath("items[*]"), [{ key: "items" }, { any: true }]);
  assert.deepEqual(compileArgPath("items.*"), [{ key: "items" }, { any: true }]);
  assert.deepEqual(compileArgPath('h["x.y"]'), [{ key: "h" }, { key: "x.y" }]);
});

Deno.test("compileArgPath() rejects malformed paths", () => {
  const badEscapes = ['a["\\x"]', 'a["\\u12"]', 'a["\u0001"]'];
  for (const bad of ["", "a..b", ".a", "a.", "a[", "a[x]", "a]b", 'a["x]', ...badEscapes]) {
    assert.equal(compileArgPath(bad), undefined, bad);
  }
});

Deno.test("selectArgValues() fans out over wildcards and skips what is absent", () => {
  const args = { items: [{ p: "a" }, { q: 1 }, { p: "b" }], m: { x: 1, y: 2 } };
  assert.deepEqual(selectArgValues(args, compileArgPath("items[*].p")!), ["a", "b"]);
  assert.deepEqual(selectArgValues(args, compileArgPath("m.*")!), [1, 2]);
  assert.deepEqual(selectArgValues(args, compileArgPath("items[5]")!), []);
  assert.deepEqual(selectArgValues(args, compileArgPath("items.p")!), []);
  assert.deepEqual(selectArgValues(undefined, compileArgPath("a")!), []);
});

Deno.test("selectArgValues() steps into a string that holds a JSON array or object", () => {
  // The Python MCP SDK parses such strings before the tool sees them.
  const args = {
    paths: '["/etc/shadow", "/data/a"]',
    options: ' {"path": "/etc"} ',
    text: "[not json",
    plain: "just text",
  };
  assert.deepEqual(selectArgValues(args, compileArgPath("paths[*]")!), ["/etc/shadow", "/data/a"]);
  assert.deepEqual(selectArgValues(args, compileArgPath("options.path")!), ["/etc"]);
  assert.deepEqual(selectArgValues(args, compileArgPath("text[*]")!), []);
  assert.deepEqual(selectArgValues(args, compileArgPath("plain.x")!), []);
  // The string itself is still what a rule on the key sees.
  assert.deepEqual(selectArgValues(args, compileArgPath("paths")!), [args.paths]);
});

Deno.test("selectArgValues() does not read inherited properties", () => {
  assert.deepEqual(selectArgValues({}, compileArgPath("constructor")!), []);
  assert.deepEqual(selectArgValues({ a: "x" }, compileArgPath("a.length")!), []);
});

Deno.test("parseDuration() reads units and rejects the rest", () => {
  assert.equal(parseDuration("24h"), 86_400_000);
  assert.equal(parseDuration("30m"), 1_800_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("7d"), 604_800_000);
  for (const bad of ["", "24", "0h", "1y", "401d", "h", "-1h", "1.5h"]) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
});

Deno.test("selectArgValues() selects every element of a very long list", () => {
  const paths = Array.from({ length: 300_000 }, (_, i) => `/data/${i}`);
  const steps = compileArgPath("paths[*]")!;
  const selected = selectArgValues({ paths }, steps);
  assert.equal(selected.length, 300_000);
  assert.equal(selected.at(-1), "/data/299999");
  const keyed = Object.fromEntries(paths.map((p, i) => [`k${i}`, p]));
  assert.equal(selectArgValues({ paths: keyed }, steps).length, 300_000);
});
