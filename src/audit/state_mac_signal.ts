/**
 * The line a writer that keeps a MAC on every state file it writes (see
 * `state_mac.ts`) puts in each checkpoint it signs, as a C2SP checkpoint
 * extension line, and what `verify` reads from it. The line is signed with
 * the size and the root: whoever can edit the audit folder but not the keys
 * can neither add it to a note nor take it out of one a device key signed.
 * Removing the notes that carry it takes cutting the log back to before
 * them (the checkpoint records are in the chain, the notes' roots are over
 * the records), and cutting past one intact checkpoint still leaves the
 * one before it. So when the newest signed checkpoint the records reproduce
 * carries the line, a thoth that keeps a MAC on its state wrote the log up
 * to there and the state after it: a state file beside that log without a
 * MAC was written by someone else (see `state_mac_check.ts`). The newest
 * one, not any: a thoth of an earlier release that writes the log again
 * (a downgrade) signs checkpoints without the line and writes states
 * without a MAC. Checkpoints of earlier releases carry no extension line:
 * their logs read as before. Pure.
 *
 * @example
 * ```ts
 * formatCheckpoint({ origin, size, root, extensions: [STATE_MAC_EXTENSION] });
 * const signal = newestCheckpointSignal(byNote, (c) => reproduced(c));
 * signal?.keepsStateMac; // true for a log this release wrote last
 * ```
 */
import { statedCheckpoint } from "./checkpoint.ts";

/** The extension line: "this checkpoint's writer keeps a MAC on every state file it writes". */
export const STATE_MAC_EXTENSION = "thoth-state-mac v1";

/** What the newest intact checkpoint says about its writer's state file. */
export interface StateMacSignal {
  /** The checkpoint's size. */
  size: number;
  /** It carries {@linkcode STATE_MAC_EXTENSION}. */
  keepsStateMac: boolean;
}

/**
 * The newest checkpoint among `notes` (each valid note's exact text and its
 * size) that `intact` accepts (signed by a trusted key, its root reproduced
 * by the records), and whether it carries the line; undefined when none is
 * intact. Of several intact notes of the newest size, one that carries the
 * line counts.
 */
export function newestCheckpointSignal<C extends { size: number }>(
  notes: ReadonlyMap<string, C>,
  intact: (checkpoint: C) => boolean,
): StateMacSignal | undefined {
  let newest: StateMacSignal | undefined;
  for (const [text, checkpoint] of notes) {
    if (!intact(checkpoint)) continue;
    const keeps = carriesStateMacLine(text);
    if (newest === undefined || checkpoint.size > newest.size) {
      newest = { size: checkpoint.size, keepsStateMac: keeps };
    } else if (checkpoint.size === newest.size && keeps) {
      newest.keepsStateMac = true;
    }
  }
  return newest;
}

/** Whether the checkpoint body of the signed note `text` carries the line. */
function carriesStateMacLine(text: string): boolean {
  return statedCheckpoint(text)?.extensions?.includes(STATE_MAC_EXTENSION) === true;
}
