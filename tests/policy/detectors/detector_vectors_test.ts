import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";

interface Vector {
  text: string;
  key?: string;
}
interface VectorFile {
  type: string;
  kind: string;
  positives: Vector[];
  negatives: Vector[];
}

const dir = new URL("../../fixtures/policy/detectors/", import.meta.url);
const files: VectorFile[] = [];
for (const entry of Deno.readDirSync(dir)) {
  if (entry.name.endsWith(".json") && entry.name !== "clean.json") {
    files.push(JSON.parse(Deno.readTextFileSync(new URL(entry.name, dir))) as VectorFile);
  }
}
files.sort((a, b) => a.type.localeCompare(b.type));

Deno.test("detector vectors cover every built-in detector", () => {
  assert.deepEqual(files.map((f) => f.type), DETECTORS.map((d) => d.type).sort());
});

for (const file of files) {
  const spec = DETECTORS.find((d) => d.type === file.type);
  Deno.test(`${file.type} detector fires on its true positives and not on its negatives`, () => {
    assert.ok(spec, `no detector named ${file.type}`);
    assert.equal(spec.kind, file.kind);
    assert.ok(file.positives.length >= 2 && file.negatives.length >= 3, "too few vectors");
    for (const v of file.positives) {
      assert.equal(spec.detect(v.text, v.key), true, `missed: ${JSON.stringify(v)}`);
    }
    for (const v of file.negatives) {
      assert.equal(spec.detect(v.text, v.key), false, `false positive: ${JSON.stringify(v)}`);
    }
  });
}

Deno.test("no detector fires on the clean corpus", () => {
  const clean = JSON.parse(
    Deno.readTextFileSync(new URL("clean.json", dir)),
  ) as { texts: string[] };
  assert.ok(clean.texts.length >= 10);
  for (const text of clean.texts) {
    for (const d of DETECTORS) {
      assert.equal(d.detect(text, undefined), false, `${d.type} fired on: ${text}`);
    }
  }
});
