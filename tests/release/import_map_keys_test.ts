import assert from "node:assert/strict";
import { checkProject } from "../../src/release/project_check.ts";
import type { Finding } from "../../src/release/permission_finding.ts";

function findingsFor(config: Record<string, unknown>): Finding[] {
  return checkProject({
    config: { nodeModulesDir: "none", ...config },
    files: [],
    lock: { version: "5", specifiers: {} },
    links: [],
  }, {}).filter((f) => f.code === "config_override");
}

Deno.test("checkProject() refuses an import map key that swaps a module by its path or URL", () => {
  for (
    const key of [
      "./src/release/permission_check.ts",
      "../src/release/permission_check.ts",
      "/abs/permission_check.ts",
      "file:///work/src/release/permission_check.ts",
      "node:util",
      "npm:zod@4.6.7",
      "https://deno.land/x/mod.ts",
      "C:\\src\\x.ts",
      "./",
    ]
  ) {
    const found = findingsFor({ imports: { [key]: "./src/release/finds_nothing.ts" } });
    assert.equal(found.length, 1, key);
    assert.equal(found[0]?.where, 'deno.json "imports"');
    assert.match(found[0]?.message ?? "", /a path or URL, so every import of that module/);
  }
  const scoped = findingsFor({ scopes: { "./vendor/": { "node:fs": "./fake_fs.ts" } } });
  assert.deepEqual(scoped.map((f) => f.where), ['deno.json "scopes" "./vendor/"']);
});

Deno.test("checkProject() lets bare import map names through", () => {
  assert.deepEqual(
    findingsFor({
      imports: {
        zod: "npm:zod@4.6.7",
        "@/": "./src/",
        "@modelcontextprotocol/sdk/": "npm:/@modelcontextprotocol/sdk@1.32.2/",
        "$std/": "./vendor/std/",
      },
      scopes: { "./vendor/": { zod: "npm:zod@4.6.7" } },
    }),
    [],
  );
});
