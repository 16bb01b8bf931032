/**
 * An anchor given with a bundle that is byte for byte one of the bundle's
 * own checkpoint notes: checked against it, the bundle only agrees with
 * itself. An anchor proves the records up to its size were not rewritten
 * because it was kept apart from them; one taken from the bundle proves
 * nothing beyond it. An older thoth's anchor, copied off the device before
 * the export, can read the same, so this is a fact to weigh (info), not a
 * verdict. Pure.
 *
 * @example
 * ```ts
 * anchorCopyFinding(anchor.note, [{ source: "cp-000000000027.note", note }]);
 * // { kind: "anchor_in_bundle", severity: "info", seq: 27, … }
 * ```
 */
import { statedCheckpoint } from "./checkpoint.ts";
import type { Finding } from "./finding.ts";

/** The finding when `anchor` is the text of one of `checkpoints` (a bundle's notes); else undefined. */
export function anchorCopyFinding(
  anchor: string,
  checkpoints: readonly { source: string; note: string }[],
): Finding | undefined {
  const same = checkpoints.find((c) => c.note === anchor);
  if (same === undefined) return undefined;
  const size = statedCheckpoint(anchor)?.size;
  return {
    kind: "anchor_in_bundle",
    severity: "info",
    ...(size !== undefined ? { seq: size } : {}),
    source: `checkpoints/${same.source}`,
    message: `the anchor is byte for byte this bundle's own checkpoints/${same.source}: ` +
      "checked against it, the bundle only agrees with itself. If it was taken from the " +
      "bundle it proves nothing beyond the bundle; only a checkpoint exported off the device " +
      "and kept apart from the bundle (thoth audit checkpoint --export FILE) proves the " +
      "records up to its size were not rewritten",
  };
}
