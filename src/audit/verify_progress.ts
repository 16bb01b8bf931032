/**
 * How far a verification has got, told after each segment it reads and
 * once more before the checks that need every record (see
 * `verify_files.ts`), and the words a person reads for it. Pure.
 *
 * @example
 * ```ts
 * verifyProgressText({
 *   phase: "reading", segmentsRead: 2, segments: 5, bytesRead: 180_355_072,
 *   bytes: 451_936_256, records: 400_000,
 * });
 * // "2 of 5 segments read: 400,000 records, 172.0 MiB of 431.0 MiB (39%)"
 * ```
 */
import { formatBytes, groupDigits } from "../size_text.ts";

/** A verification's progress. */
export interface VerifyProgress {
  /** `reading` segments, then `checking` what needs them all (checkpoints, signatures, the state). */
  readonly phase: "reading" | "checking";
  /** Segments read so far, of {@linkcode segments}. */
  readonly segmentsRead: number;
  readonly segments: number;
  /** Bytes read so far, of {@linkcode bytes} (never below what was read). */
  readonly bytesRead: number;
  readonly bytes: number;
  /** Records read so far. */
  readonly records: number;
}

/** One line that says how far the verification has got. */
export function verifyProgressText(progress: VerifyProgress): string {
  const { segmentsRead, segments, bytesRead, bytes, records } = progress;
  const counted = `${groupDigits(records)} record${records === 1 ? "" : "s"}`;
  if (progress.phase === "checking") {
    return `${segments === 1 ? "the segment" : `all ${groupDigits(segments)} segments`} read ` +
      `(${counted}, ${formatBytes(bytesRead)}); checking checkpoints, signatures and the state`;
  }
  const share = bytes === 0 ? 100 : Math.floor((bytesRead * 100) / bytes);
  return `${groupDigits(segmentsRead)} of ${groupDigits(segments)} segment${
    segments === 1 ? "" : "s"
  } read: ${counted}, ${formatBytes(bytesRead)} of ${formatBytes(bytes)} (${share}%)`;
}
