/**
 * The Merkle roots and frontiers the verifier compares with checkpoints and
 * witnesses, over the leaf hashes of the records read (see
 * `record_facts.ts`): the tree over a log read from its start is built once
 * and serves both. Pure.
 *
 * @example
 * ```ts
 * const roots = await new RecordRoots(facts).rootsAt(start, [1000, 2000]);
 * ```
 */
import { fromHex, toHex } from "./encoding.ts";
import { HASH_SIZE } from "./merkle_hash.ts";
import { MerkleFrontier } from "./merkle_frontier.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import type { RecordFacts } from "./record_facts.ts";
import type { LocalTraces } from "./local_traces.ts";
import type { VerifyStart } from "./verify_report.ts";

/** The records' tree, at the sizes checks ask for. */
export class RecordRoots {
  readonly #facts: RecordFacts;
  /** The tree over every record read (from the log's start), once built. */
  #levels: MerkleLevels | undefined;

  constructor(facts: RecordFacts) {
    this.#facts = facts;
  }

  /**
   * The records' Merkle frontiers (hex) at the sizes a witness (the state
   * file, a state_rebuilt record) keeps a frontier for, to compare with it.
   * Only for a log read from its start, whose records up to that size are
   * in seq order. Uses the tree `rootsAt` built when there is one.
   */
  async witnessFrontiers(
    startSize: number,
    local: LocalTraces | undefined,
  ): Promise<Map<number, string[]>> {
    const frontiers = new Map<number, string[]>();
    const facts = this.#facts;
    if (startSize !== 0) return frontiers;
    const state = local?.state;
    const witnesses = [
      ...facts.stateWitnesses.map((w) => ({ size: w.counted, frontier: w.frontier })),
      ...(typeof state === "object" ? [{ size: state.size, frontier: state.frontier }] : []),
    ];
    const sizes = witnesses.filter((w) =>
      w.frontier !== undefined && w.size > 0 && w.size <= facts.count
    ).map((w) => w.size);
    if (sizes.length === 0) return frontiers;
    // Every seq up to the largest is where it belongs, or the frontier is not the log's.
    const largest = sizes.reduce((max, size) => size > max ? size : max, 0);
    for (let p = 0; p < largest; p++) if (facts.seqs[p] !== p) return frontiers;
    this.#levels ??= await MerkleLevels.build(facts.leaves.subarray(0, facts.count * HASH_SIZE));
    for (const size of sizes) frontiers.set(size, this.#levels.frontier(size).map(toHex));
    return frontiers;
  }

  /** The roots of the records' tree at `sizes` (ascending), over the tree `start` begins. */
  async rootsAt(start: VerifyStart, sizes: number[]): Promise<Map<number, Uint8Array>> {
    const roots = new Map<number, Uint8Array>();
    const facts = this.#facts;
    if (sizes.length === 0) return roots;
    if (start.size === 0) {
      const levels = this.#levels ??= await MerkleLevels.build(
        facts.leaves.subarray(0, facts.count * HASH_SIZE),
      );
      for (const size of sizes) roots.set(size, await levels.root(size));
      return roots;
    }
    const hashes = start.frontier.map((h) => fromHex(h) ?? new Uint8Array(HASH_SIZE));
    let tree: MerkleFrontier;
    try {
      tree = new MerkleFrontier(start.size, hashes);
    } catch {
      return roots;
    }
    let next = 0;
    for (let p = 0; p < facts.count && next < sizes.length; p++) {
      await tree.append(facts.leaves.subarray(p * HASH_SIZE, (p + 1) * HASH_SIZE));
      if (tree.size === sizes[next]) {
        roots.set(tree.size, await tree.root());
        next++;
      }
    }
    return roots;
  }
}

/** The root of the tree a bundle starts from; undefined when the frontier is not one. */
export async function frontierRoot(start: VerifyStart): Promise<Uint8Array | undefined> {
  const hashes = start.frontier.map((h) => fromHex(h) ?? new Uint8Array(0));
  try {
    return await new MerkleFrontier(start.size, hashes).root();
  } catch {
    return undefined;
  }
}
