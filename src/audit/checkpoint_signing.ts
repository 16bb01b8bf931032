/**
 * The audit writer's hand-off of a checkpoint: the note it signs over the
 * tree's root (with the line saying the writer keeps a MAC on every state
 * it writes, see `state_mac_signal.ts`), and that note stored whole under
 * `audit/checkpoints/` (written to a temporary name, synced, renamed, and
 * the folder synced), once the records it covers are on disk.
 *
 * @example
 * ```ts
 * const note = await signCheckpointRoot(keys.signer, 1000, root);
 * await storeCheckpointNote(paths.checkpoints, 1000, note);
 * ```
 */
import { formatCheckpoint } from "./checkpoint.ts";
import type { DeviceKeys } from "./device_keys.ts";
import { toHex } from "./encoding.ts";
import { checkpointName } from "./log_paths.ts";
import { signNote } from "./signed_note.ts";
import { STATE_MAC_EXTENSION } from "./state_mac_signal.ts";
import { syncFolder, writeFileSynced } from "../platform/durable_file.ts";

const encoder = new TextEncoder();

/** The signed note of a checkpoint of `size` records with root `root`, signed by `signer`. */
export async function signCheckpointRoot(
  signer: DeviceKeys["signer"],
  size: number,
  root: Uint8Array,
): Promise<string> {
  // Signed with the root: this writer keeps a MAC on every state it writes.
  const body = formatCheckpoint({
    origin: signer.name,
    size,
    root,
    extensions: [STATE_MAC_EXTENSION],
  });
  return await signNote(body, signer);
}

/**
 * Stores the checkpoint `note` of `size` records in the folder `checkpoints`
 * whole or not at all: a temporary file synced, then renamed.
 */
export async function storeCheckpointNote(
  checkpoints: string,
  size: number,
  note: string,
): Promise<void> {
  // Made again if it was removed while this writer ran (the log says what was lost).
  await Deno.mkdir(checkpoints, { recursive: true, mode: 0o700 });
  const path = `${checkpoints}/${checkpointName(size)}`;
  const temp = `${path}.tmp-${toHex(crypto.getRandomValues(new Uint8Array(4)))}`;
  await writeFileSynced(temp, encoder.encode(note), 0o600);
  await Deno.rename(temp, path);
  syncFolder(checkpoints);
}
