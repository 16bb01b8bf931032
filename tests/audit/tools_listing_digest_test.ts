/**
 * What a `tools_snapshot` record keeps of a listing: every tool's entry up
 * to 10,000 tools or about 1 MiB, then only the first ones with `partial`,
 * while the root and count cover every tool; a definition nested too deep
 * is named in `undigested` and still counted in the root. The digest of a
 * definition is the SHA-256 of its canonical JSON, as earlier releases wrote.
 */
import assert from "node:assert/strict";
import { CANONICAL_JSON_MAX_DEPTH } from "../../src/audit/canonical_json.ts";
import { sha256Json } from "../../src/audit/session_digests.ts";
import {
  SNAPSHOT_MAX_BYTES,
  SNAPSHOT_MAX_TOOLS,
  ToolsListingDigest,
} from "../../src/audit/tools_listing_digest.ts";

async function listing(definitions: unknown[]) {
  const digest = new ToolsListingDigest();
  for (const definition of definitions) digest.add(definition);
  return await digest.finish();
}

function nested(depth: number): unknown {
  let value: unknown = { type: "string" };
  for (let i = 0; i < depth; i++) value = { type: "object", properties: { x: value } };
  return value;
}

Deno.test("ToolsListingDigest keeps every entry of a small listing, digested as before", async () => {
  const definitions = [
    { name: "b", inputSchema: { type: "object" } },
    { name: "a", description: "x" },
    { notATool: true },
  ];
  const got = await listing(definitions);
  assert.equal(got.count, 2);
  assert.equal(got.partial, false);
  assert.deepEqual(got.tools, [
    { name: "b", digest: await sha256Json(definitions[0]) },
    { name: "a", digest: await sha256Json(definitions[1]) },
  ]);
  assert.match(got.root, /^[0-9a-f]{64}$/);
  // Order matters: the same tools listed the other way round are another listing.
  assert.notEqual((await listing([definitions[1], definitions[0]])).root, got.root);
  assert.equal((await listing(definitions.slice())).root, got.root);
});

Deno.test("ToolsListingDigest keeps the first 10,000 of 10,001 tools; the root covers the last", async () => {
  const tools = Array.from({ length: SNAPSHOT_MAX_TOOLS + 1 }, (_, i) => ({ name: `a${i}` }));
  const got = await listing(tools);
  assert.equal(got.count, SNAPSHOT_MAX_TOOLS + 1);
  assert.equal(got.partial, true);
  assert.equal(got.tools.length, SNAPSHOT_MAX_TOOLS);
  assert.equal(got.tools.at(-1)!.name, `a${SNAPSHOT_MAX_TOOLS - 1}`);
  const changed = await listing([...tools.slice(0, -1), { name: "other" }]);
  assert.deepEqual(changed.tools, got.tools);
  assert.notEqual(changed.root, got.root);
});

Deno.test("ToolsListingDigest keeps about 1 MiB of long names", async () => {
  const long = "n".repeat(100_000);
  const got = await listing(Array.from({ length: 30 }, (_, i) => ({ name: `${i}${long}` })));
  assert.equal(got.count, 30);
  assert.equal(got.partial, true);
  assert.equal(got.tools.length, Math.floor(SNAPSHOT_MAX_BYTES / (100_000 + 90)));
  assert.ok(JSON.stringify(got.tools).length < SNAPSHOT_MAX_BYTES);
});

Deno.test("ToolsListingDigest names a definition nested too deep and keeps it in the root", async () => {
  const deep = { name: "deep", inputSchema: nested(CANONICAL_JSON_MAX_DEPTH) };
  const got = await listing([{ name: "plain" }, deep]);
  assert.deepEqual(got.tools.map((t) => t.name), ["plain"]);
  assert.deepEqual(got.undigested, ["deep"]);
  assert.equal(got.undigestedCount, 1);
  assert.equal(got.count, 2);
  assert.match(String(got.why), /nested deeper/);
  assert.notEqual((await listing([{ name: "plain" }])).root, got.root);
});
