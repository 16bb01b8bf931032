import assert from "node:assert/strict";
import {
  groupModuleText,
  OWN_ISOLATE_MARK,
  testGroups,
  wantsOwnIsolate,
} from "../../scripts/test/test_groups.ts";

const names = (count: number, folder: string) =>
  Array.from({ length: count }, (_, i) => `${folder}/t${String(i).padStart(3, "0")}_test.ts`);

Deno.test("testGroups() puts every file in exactly one group of its top folder", () => {
  const files = [...names(95, "cli"), ...names(3, "audit"), "edit_distance_test.ts"];
  const groups = testGroups([...files].reverse(), new Set(), 40);
  assert.deepEqual(groups.map((g) => [g.name, g.files.length]), [
    ["audit-1", 3],
    ["cli-1", 31],
    ["cli-2", 32],
    ["cli-3", 32],
    ["top-1", 1],
  ]);
  assert.deepEqual(groups.flatMap((g) => g.files), [...files].sort());
  for (const group of groups) {
    const folder = group.name.slice(0, group.name.lastIndexOf("-"));
    for (const file of group.files) {
      assert.equal(file.includes("/") ? file.split("/")[0] : "top", folder, file);
    }
  }
});

Deno.test("testGroups() splits evenly and never makes an empty group", () => {
  for (const [count, max] of [[41, 40], [7, 2], [10, 3], [1, 1], [5, 1], [40, 40], [81, 40]]) {
    const sizes = testGroups(names(count!, "p"), new Set(), max!).map((g) => g.files.length);
    assert.equal(sizes.reduce((a, b) => a + b, 0), count, `${count} files, at most ${max}`);
    assert.ok(Math.max(...sizes) <= max!, `${sizes} over ${max}`);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${sizes} uneven`);
  }
});

Deno.test("testGroups() gives a file that asks for it a group of its own", () => {
  const files = names(4, "platform");
  const groups = testGroups([...files, files[1]!], new Set([files[1]!, files[3]!]), 40);
  assert.deepEqual(groups, [
    { name: "platform-1", files: [files[0], files[2]] },
    { name: "alone-1", files: [files[1]] },
    { name: "alone-2", files: [files[3]] },
  ]);
});

Deno.test("testGroups() refuses a group size that is not a whole number above 0", () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => testGroups(["a_test.ts"], new Set(), bad), RangeError);
  }
});

Deno.test("wantsOwnIsolate() reads the mark only at the start of a line", () => {
  assert.equal(wantsOwnIsolate(`import x;\n${OWN_ISOLATE_MARK}: replaces Deno.open\n`), true);
  assert.equal(wantsOwnIsolate(`  ${OWN_ISOLATE_MARK}\n`), true);
  assert.equal(wantsOwnIsolate(`const s = "${OWN_ISOLATE_MARK}";\n`), false);
  assert.equal(wantsOwnIsolate("// thoth-test: shared\n"), false);
});

Deno.test("groupModuleText() imports each member by its file URL, and nothing else", () => {
  const tests = new URL("file:///repo/tests/");
  const text = groupModuleText({ name: "cli-1", files: ["cli/a b_test.ts", "x_test.ts"] }, tests);
  assert.deepEqual(text.split("\n").filter((l) => l.startsWith("import")), [
    'import "file:///repo/tests/cli/a%20b_test.ts";',
    'import "file:///repo/tests/x_test.ts";',
  ]);
});
