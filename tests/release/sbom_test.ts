import assert from "node:assert/strict";
import {
  cycloneDxFromLock,
  integrityToHash,
  npmPurl,
  splitLockKey,
} from "../../src/release/sbom.ts";
import { npmImportsOf, npmPackageOf } from "../../src/release/shipped_packages.ts";

Deno.test("splitLockKey() and npmPurl() handle scopes and peer suffixes", () => {
  assert.deepEqual(splitLockKey("@hono/node-server@2.1.9_hono@4.13.19"), {
    name: "@hono/node-server",
    version: "2.1.9",
  });
  assert.deepEqual(splitLockKey("zod@4.6.7"), { name: "zod", version: "4.6.7" });
  assert.equal(npmPurl("@hono/node-server", "2.1.9"), "pkg:npm/%40hono/node-server@2.1.9");
  assert.equal(npmPurl("zod", "4.6.7"), "pkg:npm/zod@4.6.7");
});

Deno.test("integrityToHash() turns SRI base64 into CycloneDX hex", () => {
  // sha256 of "abc".
  const hash = integrityToHash("sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  assert.deepEqual(hash, {
    alg: "SHA-256",
    content: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  });
  assert.equal(integrityToHash("md5-xxxx"), undefined);
});

Deno.test("cycloneDxFromLock() covers every npm package of the real deno.lock", async () => {
  const lock = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.lock", import.meta.url)),
  ) as { npm: Record<string, { integrity?: string }> };
  const bom = cycloneDxFromLock(lock, {
    name: "thoth",
    version: "0.1.0",
    timestamp: "2026-01-01T00:00:00.000Z",
    serialSeed: "0f".repeat(32),
  });
  assert.equal(bom.bomFormat, "CycloneDX");
  assert.equal(bom.specVersion, "1.5");
  assert.equal(bom.version, 1);
  assert.match(
    bom.serialNumber,
    /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(bom.metadata.timestamp, "2026-01-01T00:00:00.000Z");

  const purls = new Set(bom.components.map((c) => c.purl));
  for (const key of Object.keys(lock.npm)) {
    const { name, version } = splitLockKey(key);
    assert.ok(purls.has(npmPurl(name, version)), `missing ${key}`);
  }
  const refs = new Set(bom.components.map((c) => c["bom-ref"]));
  assert.equal(refs.size, bom.components.length, "bom-refs are unique");
  for (const c of bom.components) {
    assert.equal(c.type, "library");
    assert.match(c.purl ?? "", /^pkg:npm\/(%40[^/]+\/)?[^@/]+@[^@]+$/);
    assert.equal(c["bom-ref"], c.purl);
    assert.equal(c.hashes?.length, 1, `${c.purl} has its integrity hash`);
    assert.match(c.hashes?.[0]?.content ?? "", /^[0-9a-f]{128}$/);
    if (c.group !== undefined) assert.match(c.group, /^@/);
  }
  const zod = bom.components.find((c) => c.purl === "pkg:npm/zod@4.6.7");
  assert.equal(zod?.name, "zod");
  const sdk = bom.components.find((c) => c.name === "sdk" && c.group === "@modelcontextprotocol");
  assert.equal(sdk?.version, "1.32.2");

  // The dependency graph only points at components, and the root lists direct deps.
  for (const d of bom.dependencies.slice(1)) {
    assert.ok(refs.has(d.ref));
    for (const target of d.dependsOn) assert.ok(refs.has(target), `${d.ref} -> ${target}`);
  }
  assert.ok(bom.dependencies[0]?.dependsOn.includes("pkg:npm/zod@4.6.7"));
  assert.ok(
    bom.dependencies.find((d) => d.ref === "pkg:npm/%40commander-js/extra-typings@15.1.0")
      ?.dependsOn.includes("pkg:npm/commander@15.1.0"),
  );
  // Deterministic for the same lock and inputs.
  assert.deepEqual(
    cycloneDxFromLock(lock, {
      name: "thoth",
      version: "0.1.0",
      timestamp: "2026-01-01T00:00:00.000Z",
      serialSeed: "0f".repeat(32),
    }),
    bom,
  );
});

Deno.test("npmImportsOf() finds the npm packages of static and dynamic imports through the import map", () => {
  const map = {
    zod: "npm:zod@4.6.7",
    "@commander-js/extra-typings": "npm:@commander-js/extra-typings@15.1.0",
    "@modelcontextprotocol/sdk/": "npm:/@modelcontextprotocol/sdk@1.32.2/",
    local: "./src/local.ts",
  };
  const sources = [
    'import { z } from "zod";\nimport { join } from "node:path";\nimport x from "./x.ts";',
    'export { Command } from "@commander-js/extra-typings";',
    'const m = await import("@modelcontextprotocol/sdk/client/index.js");\nimport "local";',
    '// a comment that says from "zod" is not an import, nor is this: "import(\\"nope\\")"',
  ];
  assert.deepEqual(npmImportsOf(sources, map), [
    { name: "@commander-js/extra-typings", version: "15.1.0" },
    { name: "@modelcontextprotocol/sdk", version: "1.32.2" },
    { name: "zod", version: "4.6.7" },
  ]);
  assert.equal(npmPackageOf("npm:zod"), undefined, "no exact version, no package");
  assert.equal(npmPackageOf("jsr:@std/path@1.0.0"), undefined);
});

Deno.test("the release SBOM lists what the binaries ship: their npm packages, the Deno runtime, each asset", async () => {
  const root = new URL("../../", import.meta.url);
  const lock = JSON.parse(await Deno.readTextFile(new URL("deno.lock", root)));
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const sources: string[] = [await Deno.readTextFile(new URL("mod.ts", root))];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".ts")) sources.push(await Deno.readTextFile(url));
    }
  };
  await walk(new URL("src/", root));
  const npm = npmImportsOf(sources, config.imports);
  // The test-only servers and SDK are imported from tests/ alone.
  assert.deepEqual(npm.map((p) => p.name), ["@commander-js/extra-typings", "jsonc-parser", "zod"]);
  const bom = cycloneDxFromLock(lock, {
    name: "thoth",
    version: "0.1.0",
    timestamp: "2026-01-01T00:00:00.000Z",
    serialSeed: "0f".repeat(32),
  }, {
    npm,
    denoVersion: "2.9.6",
    assets: [{ name: "thoth-linux-x86_64", sha256: "ab".repeat(32) }],
  });
  const names = bom.components.map((c) => c.name).sort();
  assert.ok(names.includes("commander"), "a dependency of a shipped package is listed");
  for (const unshipped of ["server-everything", "sdk", "express"]) {
    assert.ok(!names.includes(unshipped), `${unshipped} is not shipped: ${names.join(", ")}`);
  }
  const runtime = bom.components.find((c) => c.name === "denort");
  assert.deepEqual(
    [runtime?.type, runtime?.version, runtime?.purl],
    ["framework", "2.9.6", "pkg:github/denoland/deno@v2.9.6"],
  );
  const asset = bom.components.find((c) => c.type === "file");
  assert.deepEqual(asset?.hashes, [{ alg: "SHA-256", content: "ab".repeat(32) }]);
  const root_ = bom.dependencies.find((d) => d.ref === bom.metadata.component["bom-ref"]);
  assert.ok(root_?.dependsOn.includes(runtime!["bom-ref"]), "the app depends on the runtime");
  // Every dependency edge points at a listed component.
  const refs = new Set(bom.components.map((c) => c["bom-ref"]));
  for (const d of bom.dependencies) for (const to of d.dependsOn) assert.ok(refs.has(to), to);
  assert.throws(
    () =>
      cycloneDxFromLock(lock, { name: "t", version: "1", timestamp: "", serialSeed: "" }, {
        npm: [{ name: "left-pad", version: "1.3.0" }],
        denoVersion: "2.9.6",
        assets: [],
      }),
    /imports npm:left-pad@1\.3\.0, which deno\.lock does not hold/,
  );
});
