/**
 * Builds the proof that one record is in the log: its stored line, its RFC
 * 6962 leaf hash, the inclusion proof against the newest signed checkpoint
 * that covers it, and that checkpoint note. Anyone with the public key can
 * check it without the rest of the log.
 *
 * @example
 * ```ts
 * const proof = await proveRecord("/home/ana/.thoth", 42);
 * proof.proof; // ["ab12…", …]
 * ```
 */
import { readLogLeaves } from "./log_leaves.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import { HASH_SIZE } from "./merkle_hash.ts";
import { AppError } from "../errors.ts";
import { statedCheckpoint } from "./checkpoint.ts";
import { bytesEqual, toBase64, toHex } from "./encoding.ts";
import { verifyInclusion } from "./merkle_verify.ts";
import { readCheckpointNotes } from "./log_files.ts";
import { auditPaths } from "./log_paths.ts";

/** A record with its inclusion proof. */
export interface RecordProof {
  seq: number;
  record: string;
  leafHash: string;
  treeSize: number;
  rootHash: string;
  /** Hex hashes of the RFC 6962 audit path, leaf upward. */
  proof: string[];
  checkpoint: string;
}

/** Proves record `seq` against the newest checkpoint that covers it. */
export async function proveRecord(thothHome: string, seq: number): Promise<RecordProof> {
  const paths = auditPaths(thothHome);
  const held = await readLogLeaves(paths.dir, { keep: seq });
  const line = held.kept;
  if (line === undefined || line.record?.["seq"] !== seq) {
    throw new AppError("audit.no_record", `there is no record with seq ${seq}`, {
      hints: [
        held.count === 0
          ? 'the log is empty: it holds no records yet; run "thoth audit verify" if it should'
          : `the log holds seq 0..${held.count - 1}; run "thoth audit verify" if one is missing`,
      ],
    });
  }
  const notes = (await readCheckpointNotes(paths.checkpoints))
    .map((n) => ({
      note: n.note,
      body: statedCheckpoint(n.note),
    }))
    .filter((n) => n.body !== undefined && n.body.size > seq && n.body.size <= held.count)
    .sort((a, b) => b.body!.size - a.body!.size);
  const chosen = notes[0];
  if (chosen === undefined || chosen.body === undefined) {
    throw new AppError("audit.no_checkpoint", `no signed checkpoint covers seq ${seq} yet`, {
      hints: [
        seq === held.count - 1 && line.record?.["type"] === "checkpoint"
          ? newestCheckpointHint(seq, line.record["ts"])
          : 'run "thoth audit checkpoint" to sign one, then prove again',
      ],
    });
  }
  const size = chosen.body.size;
  const tree = await MerkleLevels.build(held.leaves.subarray(0, size * HASH_SIZE));
  const root = await tree.root(size);
  if (!bytesEqual(root, chosen.body.root)) {
    throw new AppError("audit.tampered", `the log does not match its checkpoint at size ${size}`, {
      hints: ['run "thoth audit verify" to see what changed'],
    });
  }
  const path = await tree.inclusionProof(seq, size);
  const leaf = tree.leaf(seq);
  if (!await verifyInclusion(leaf, seq, size, path, root)) {
    throw new Error("internal: an inclusion proof did not verify");
  }
  return {
    seq,
    record: new TextDecoder().decode(line.bytes),
    leafHash: toHex(leaf),
    treeSize: size,
    rootHash: toBase64(root),
    proof: path.map(toHex),
    checkpoint: chosen.note,
  };
}

/**
 * What covers the newest record when it is a checkpoint record: a checkpoint
 * signs only the records before it, and a writer signs the next one over a
 * lone checkpoint record only once the checkpoint interval (60 s) has passed
 * since it, or when a later record is written. `thoth audit checkpoint`
 * signs nothing new before then, so the hint names the time.
 */
function newestCheckpointHint(seq: number, ts: unknown): string {
  const at = Date.parse(String(ts));
  const from = Number.isNaN(at)
    ? "60 s after it was signed"
    : `from ${new Date(at + CHECKPOINT_INTERVAL_MS).toISOString()} on (60 s after it)`;
  return `seq ${seq} is the newest record and is itself a checkpoint record, which only a later checkpoint covers: ` +
    `"thoth audit checkpoint" signs one ${from}, and any session that writes a record signs one when it ends; then prove again`;
}

/** How long a writer waits after a checkpoint before it signs one over nothing but that checkpoint's record. */
const CHECKPOINT_INTERVAL_MS = 60_000;
