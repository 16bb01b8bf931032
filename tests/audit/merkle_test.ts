import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/audit/encoding.ts";
import { emptyTreeHash, leafHash, leafHashSync } from "../../src/audit/merkle_hash.ts";
import { MerkleFrontier } from "../../src/audit/merkle_frontier.ts";
import { MerkleLevels } from "../../src/audit/merkle_levels.ts";
import { verifyConsistency, verifyInclusion } from "../../src/audit/merkle_verify.ts";

const vectors = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/audit/rfc6962_vectors.json", import.meta.url)),
) as {
  emptyRoot: string;
  leaves: string[];
  roots: string[];
  inclusion: { leaf: number; size: number; path: string[] }[];
  consistency: { size1: number; size2: number; proof: string[] }[];
};
const hex = (h: string) => fromHex(h)!;
const leaves = await Promise.all(vectors.leaves.map((l) => leafHash(hex(l))));

Deno.test("emptyTreeHash() is the RFC 6962 empty root", async () => {
  assert.equal(toHex(await emptyTreeHash()), vectors.emptyRoot);
  assert.equal(toHex(await new MerkleFrontier().root()), vectors.emptyRoot);
});

Deno.test("MerkleFrontier matches the RFC 6962 roots for sizes 1..8", async () => {
  const tree = new MerkleFrontier();
  for (const [i, leaf] of leaves.entries()) {
    await tree.append(leaf);
    assert.equal(toHex(await tree.root()), vectors.roots[i]);
    const restored = new MerkleFrontier(tree.size, tree.hashes);
    assert.equal(toHex(await restored.root()), vectors.roots[i]);
  }
});

Deno.test("MerkleFrontier copies each leaf: a caller may reuse one array for every append", async () => {
  const many = Array.from(
    { length: 300 },
    (_, i) => leafHashSync(new Uint8Array([i & 255, i >> 8])),
  );
  const levels = await MerkleLevels.build(many);
  const tree = new MerkleFrontier();
  const reused = new Uint8Array(32);
  for (const [i, leaf] of many.entries()) {
    reused.set(leaf);
    tree.appendSync(reused);
    reused.fill(0xee); // scribbled over before the next append, as a scratch array is
    const n = i + 1;
    assert.equal(toHex(await tree.root()), toHex(await levels.root(n)), `size ${n}`);
    assert.deepEqual(tree.hashes.map(toHex), levels.frontier(n).map(toHex), `frontier ${n}`);
  }
  const copy = tree.clone();
  copy.appendSync(many[0]!);
  assert.equal(tree.size, 300, "a clone does not share the original's storage");
  assert.equal(toHex(await tree.root()), toHex(await levels.root(300)));
});

Deno.test("MerkleFrontier refuses hashes that are not 32 bytes", () => {
  assert.throws(() => new MerkleFrontier().appendSync(new Uint8Array(31)), RangeError);
  assert.throws(() => new MerkleFrontier(1, [new Uint8Array(33)]), RangeError);
});

Deno.test("MerkleLevels matches the RFC 6962 roots and frontiers", async () => {
  const levels = await MerkleLevels.build(leaves);
  for (let n = 1; n <= 8; n++) {
    assert.equal(toHex(await levels.root(n)), vectors.roots[n - 1]);
    const frontier = new MerkleFrontier(n, levels.frontier(n));
    assert.equal(toHex(await frontier.root()), vectors.roots[n - 1]);
  }
});

Deno.test("MerkleLevels.inclusionProof() produces the RFC 6962 audit paths, and they verify", async () => {
  const levels = await MerkleLevels.build(leaves);
  for (const v of vectors.inclusion) {
    const path = await levels.inclusionProof(v.leaf, v.size);
    assert.deepEqual(path.map(toHex), v.path, `leaf ${v.leaf} size ${v.size}`);
    const root = hex(vectors.roots[v.size - 1]!);
    assert.ok(await verifyInclusion(leaves[v.leaf]!, v.leaf, v.size, path, root));
    assert.ok(!await verifyInclusion(leaves[v.leaf]!, v.size, v.size, path, root));
    if (v.size > 1) {
      const other = (v.leaf + 1) % v.size;
      assert.ok(!await verifyInclusion(leaves[other]!, v.leaf, v.size, path, root));
    }
    if (path.length > 0) {
      const bad = path.map((p) => p.slice());
      bad[0]![0]! ^= 1;
      assert.ok(!await verifyInclusion(leaves[v.leaf]!, v.leaf, v.size, bad, root));
    }
  }
  for (let n = 1; n <= 8; n++) {
    for (let m = 0; m < n; m++) {
      const path = await levels.inclusionProof(m, n);
      assert.ok(await verifyInclusion(leaves[m]!, m, n, path, hex(vectors.roots[n - 1]!)));
    }
  }
});

Deno.test("MerkleLevels.consistencyProof() produces the RFC 6962 proofs, and they verify", async () => {
  const levels = await MerkleLevels.build(leaves);
  for (const v of vectors.consistency) {
    const proof = await levels.consistencyProof(v.size1, v.size2);
    assert.deepEqual(proof.map(toHex), v.proof, `${v.size1} -> ${v.size2}`);
  }
  for (let n = 1; n <= 8; n++) {
    for (let m = 1; m <= n; m++) {
      const proof = await levels.consistencyProof(m, n);
      const r1 = hex(vectors.roots[m - 1]!);
      const r2 = hex(vectors.roots[n - 1]!);
      assert.ok(await verifyConsistency(m, n, proof, r1, r2), `${m} -> ${n}`);
      if (m < n) assert.ok(!await verifyConsistency(m, n, proof, r2, r2) || m === n);
    }
  }
});

Deno.test("verifyConsistency() rejects empty proofs and shrinking trees", async () => {
  const r = hex(vectors.roots[7]!);
  assert.ok(!await verifyConsistency(6, 8, [], r, r));
  assert.ok(!await verifyConsistency(8, 6, [], r, r));
  assert.ok(!await verifyConsistency(0, 8, [], r, r));
});
