/**
 * Checks RFC 6962 proofs without the tree, following the verification
 * algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency).
 * Pure; never throws on bad input, answers `false`.
 *
 * @example
 * ```ts
 * const ok = await verifyInclusion(leaf, 5, 8, proof, root);
 * const grew = await verifyConsistency(6, 8, proof, oldRoot, newRoot);
 * ```
 */
import { bytesEqual } from "./encoding.ts";
import { nodeHashSync } from "./merkle_hash.ts";

const odd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** Whether `proof` shows leaf `index` with hash `leaf` in the tree of `size` with `root`. */
// deno-lint-ignore require-await -- the API stays async; hashing is synchronous
export async function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0) return false;
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHashSync(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHashSync(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/** Whether `proof` shows the tree of `size2` with `root2` extends the tree of `size1` with `root1`. */
// deno-lint-ignore require-await -- the API stays async; hashing is synchronous
export async function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): Promise<boolean> {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2)) return false;
  if (size1 < 1 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (proof.length === 0) return false;
  const path = [...proof];
  if (Number.isInteger(Math.log2(size1))) path.unshift(root1);
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHashSync(c, fr);
      sr = nodeHashSync(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHashSync(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}
