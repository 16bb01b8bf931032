/**
 * The readings of an array's adjacent strings joined, for one scan of a call's
 * arguments: each run of strings that are a token's pieces (`joinedRuns` in
 * `joined_strings.ts`: a token split across elements, or its hex or base64 in
 * pieces) read joined ({@linkcode readJoined}), with no key, by the secret
 * detectors that found nothing in the array's elements. A match that crosses
 * from one element into the next is reported at the array, naming the elements
 * it needs (`m (elements 0–1 read joined)`). These readings read the scan's
 * `maxChars` characters of strings in all, and as many of their decoded
 * readings, past which the scan is capped (`encoding`). Pure.
 *
 * @example
 * ```ts
 * const items = ["ghp_ZRwYhCxzScmYCnVo", "6e5BZSV4M3x0dI4N4KDQ"];
 * const runs = joinedRuns(items)!; // [{ start: 0, end: 2 }]
 * // The scan at the array, `m`, with nothing found in its elements:
 * new JoinedRunsReading(scan).read(items, runs, 0, 0); // scan: its `ScanContext`
 * state.findings; // [{ kind: "secret", type: "github_token", path: "m (elements 0–1 read joined)" }]
 * ```
 */
import type { DetectorSpec } from "./detector_spec.ts";
import type { ScanContext } from "./scan_context.ts";
import { type JoinedRoom, type JoinedRun, joinedSpecs, readJoined } from "./joined_strings.ts";
import { capBy } from "./scan_result.ts";
import { pathText } from "./scan_path.ts";
import { MAX_BASE64_LEVELS } from "./scan_limits.ts";

/**
 * Reads arrays' runs of strings joined, and keeps these readings' budgets:
 * characters read, and of their decoded readings (the same as a string's).
 */
export class JoinedRunsReading {
  // What is left of the budgets of arrays' strings read joined.
  readonly #room: JoinedRoom;
  // The secret detectors that read strings joined.
  #joiners: DetectorSpec[] | undefined;
  /**
   * The scan (see `scan_context.ts`): its secret detectors read strings
   * joined, its `state` is capped when the budget (its `maxChars`) leaves a
   * run unread.
   */
  constructor(readonly scan: ScanContext) {
    this.#room = { read: scan.budget, decoded: scan.budget };
  }

  /**
   * Reads each of `runs` (see `joinedRuns`) of `items` joined
   * ({@linkcode readJoined}: `["ghp_ZRwY…", "6e5B…"]`), with the secret
   * detectors that found nothing in the array already (its findings start at
   * `before`), the scan `held` levels deep in JSON strings hold. A finding is
   * reported at the array, naming the elements it needs. What the budget
   * leaves unread caps the scan.
   */
  read(items: unknown[], runs: readonly JoinedRun[], before: number, held: number) {
    const { path, seen, state } = this.scan;
    const found = new Set<string>();
    for (let f = before; f < state.findings.length; f++) found.add(state.findings[f]!.type);
    // Only secret detectors read strings joined: joinedSpecs keeps those of the scan's detectors.
    const specs = (this.#joiners ??= joinedSpecs(this.scan.detectors)).filter((d) =>
      !found.has(d.type)
    );
    if (specs.length === 0) return;
    const joinedRoom = this.#room;
    for (const { start, end } of runs) {
      if (joinedRoom.read <= 0) {
        capBy(state, "encoding");
        return;
      }
      const pieces = items.slice(start, end) as string[];
      const read = readJoined(pieces, specs, joinedRoom, MAX_BASE64_LEVELS);
      joinedRoom.read -= read.read;
      joinedRoom.decoded -= read.decoded;
      if (read.capped) capBy(state, "encoding");
      for (const { type, first, last } of read.findings) {
        // In JSON a string holds, at the string.
        const where = pathText(path, false) +
          (held === 0 ? ` (elements ${start + first}\u2013${start + last} read joined)` : "");
        const id = `${type}\u0000${where}`;
        if (seen.has(id)) continue;
        seen.add(id);
        state.findings.push({ kind: "secret", type, path: where });
      }
    }
  }
}
