// Helpers for the older-bundle tests: a log as a thoth that wrote
// "thoth-audit-bundle/1" bundles wrote it. Its checkpoint records carried no
// Merkle frontier (thoth added it after it began signing export statements),
// so a bundle an older thoth exported holds none.
import { deviceSigner } from "./_bundle_helpers.ts";
import { readLines, rechain, segmentPath, writeLines } from "./_log_helpers.ts";
import { listSegments } from "../../src/audit/log_files.ts";
import { formatCheckpoint } from "../../src/audit/checkpoint.ts";
import { leafHash } from "../../src/audit/merkle_hash.ts";
import { MerkleLevels } from "../../src/audit/merkle_levels.ts";
import { signNote } from "../../src/audit/signed_note.ts";
import { removeOnUnload } from "../_temp_dirs.ts";

/**
 * Rewrites the log under `home` (one segment) from line `from` on as an older
 * thoth wrote it: checkpoint records without their frontier, the chain
 * recomputed, the checkpoints re-signed with the device's current key (the
 * one that signed them). The state file is left as it was: export and
 * verify bundles from the log, open no writer on it.
 */
export async function asOlderLog(home: string, from = 0): Promise<void> {
  const segments = await listSegments(`${home}/audit`);
  if (segments.length !== 1) throw new Error(`expected one segment, found ${segments.length}`);
  const path = await segmentPath(home);
  const lines = (await readLines(path)).map((line, i) => {
    if (i < from) return line;
    const record = JSON.parse(line);
    if (record.type !== "checkpoint") return line;
    delete record.frontier;
    return JSON.stringify(record);
  });
  await writeLines(path, await rechain(lines, from, { resign: await deviceSigner(home), home }));
}

/**
 * A checkpoint over every record of the log under `home`, signed with the
 * device's current key and written to a temp file, as `thoth audit
 * checkpoint --export` gives one, but without opening a writer (see
 * {@linkcode asOlderLog}); returns its path.
 */
export async function signedAnchor(home: string): Promise<string> {
  const lines = await readLines(await segmentPath(home));
  const leaves = await Promise.all(lines.map((l) => leafHash(new TextEncoder().encode(l))));
  const root = await (await MerkleLevels.build(leaves)).root(lines.length);
  const signer = await deviceSigner(home);
  const note = await signNote(
    formatCheckpoint({ origin: signer.name, size: lines.length, root }),
    signer,
  );
  const path = await Deno.makeTempFile({ prefix: "thoth-anchor-", suffix: ".note" });
  removeOnUnload(path);
  await Deno.writeTextFile(path, note);
  return path;
}
