import assert from "node:assert/strict";
import { LooseIdIndex, LooseIndexedMap } from "../../src/protocol/loose_id_index.ts";

Deno.test("LooseIdIndex finds another key that reads the same, never the key itself", () => {
  const index = new LooseIdIndex();
  index.add("n:2");
  assert.equal(index.twinOf("s:2"), "n:2");
  assert.equal(index.twinOf("s: 2.0"), "n:2");
  assert.equal(index.twinOf("n:2"), undefined);
  assert.equal(index.twinOf("n:3"), undefined);
  index.add("s:3");
  assert.equal(index.twinOf("n:3"), "s:3");
  assert.equal(index.twinOf("s:0x3"), "s:3");
  assert.equal(index.twinOf("s:3"), undefined);
});

Deno.test("LooseIdIndex counts a key in use more than once until each use ends", () => {
  const index = new LooseIdIndex();
  index.add("s:2");
  index.add("s:2");
  index.delete("s:2");
  assert.equal(index.twinOf("n:2"), "s:2");
  index.delete("s:2");
  assert.equal(index.twinOf("n:2"), undefined);
  index.delete("s:2");
  index.add("n:2");
  assert.equal(index.twinOf("s:2"), "n:2", "an extra delete left no debt behind");
});

Deno.test("LooseIdIndex ignores strings that read as no number, and filters with accept", () => {
  const index = new LooseIdIndex();
  index.add("s:two");
  assert.equal(index.twinOf("s:two"), undefined);
  index.add("s:2");
  index.add("s:2.0");
  assert.equal(index.twinOf("n:2", (other) => other !== "s:2"), "s:2.0");
  assert.equal(index.twinOf("n:2", () => false), undefined);
  index.clear();
  assert.equal(index.twinOf("n:2"), undefined);
});

Deno.test("LooseIndexedMap counts its keys only while indexing, through every way in and out", () => {
  const index = new LooseIdIndex();
  const pending = new LooseIndexedMap<string>(index);
  const held = new LooseIndexedMap<string>(index);
  pending.set("n:1", "a");
  assert.equal(index.twinOf("s:1"), undefined, "not counted before indexing");
  pending.indexing = true;
  held.indexing = true;
  assert.equal(index.twinOf("s:1"), "n:1", "switched on, it counts the keys already in");
  pending.set("n:1", "again");
  pending.delete("n:1");
  assert.equal(index.twinOf("s:1"), undefined, "a key set twice is counted once");
  held.set("n:2", "b");
  pending.set("s:3", "c");
  assert.equal(index.twinOf("s:2"), "n:2");
  assert.equal(index.twinOf("n:3"), "s:3");
  assert.equal(pending.delete("n:9"), false);
  held.clear();
  assert.equal(index.twinOf("s:2"), undefined);
  assert.equal(index.twinOf("n:3"), "s:3");
  pending.indexing = false;
  assert.equal(index.twinOf("n:3"), undefined, "switched off, its keys are no longer counted");
  assert.deepEqual([...pending.keys()], ["s:3"]);
});
