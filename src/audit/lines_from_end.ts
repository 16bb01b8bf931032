/**
 * Splits a file into lines read from its end backwards, a chunk at a time,
 * for `thoth audit tail`: the newest lines of a 64 MiB segment cost the
 * chunks that hold them, not the segment. The lines are those
 * `splitLogLines` finds reading forwards: every newline ends one (an empty
 * one too), and the bytes after the last newline (a line a writer is still
 * appending) are none. Lines are split on the newline byte only, which no
 * multibyte UTF-8 character holds, so a character cut by a chunk boundary is
 * whole again in its line. Pure.
 *
 * @example
 * ```ts
 * // The file "a\nbc\npart" (10 bytes), read 8 bytes at a time from its end.
 * const bytes = new TextEncoder().encode("a\nbc\npart");
 * const split = new LinesFromEnd();
 * split.push(bytes.subarray(2), 2); // [] ("bc" may start earlier; "part" is no line)
 * split.end;                        // 5, just past the last newline
 * split.push(bytes.subarray(0, 2), 0); // ["bc"]
 * split.finish();                   // "a"
 * ```
 */

/** The lines of a file read backwards, newest first. */
export class LinesFromEnd {
  /** The bytes of the line being gathered (after a newline seen), earliest first. */
  #pieces: Uint8Array[] = [];
  #end: number | undefined;

  /**
   * Where the last complete line ends (just past its newline), once a
   * chunk holding that newline was pushed; `undefined` before (and for a
   * file with no newline at all).
   */
  get end(): number | undefined {
    return this.#end;
  }

  /**
   * Takes `chunk`, the file's bytes from `at` up to the bytes pushed before
   * it (the first chunk pushed is the file's end), and returns the lines it
   * completes, newest first. A returned line is a view into a chunk or a
   * joined copy; the chunk must not be changed afterwards.
   */
  push(chunk: Uint8Array, at: number): Uint8Array[] {
    const lines: Uint8Array[] = [];
    let stop = chunk.length;
    for (let i = chunk.lastIndexOf(10); i >= 0; i = i === 0 ? -1 : chunk.lastIndexOf(10, i - 1)) {
      if (this.#end === undefined) {
        // The bytes after the last newline are no line yet: dropped.
        this.#end = at + i + 1;
        this.#pieces = [];
      } else lines.push(this.#take(chunk.subarray(i + 1, stop)));
      stop = i;
    }
    // Before any newline, the bytes are all after the last one: not kept.
    if (this.#end !== undefined && stop > 0) this.#pieces.unshift(chunk.subarray(0, stop));
    return lines;
  }

  /**
   * At the file's start (every chunk pushed): the first line, which no
   * newline precedes, if the file holds a newline at all.
   */
  finish(): Uint8Array | undefined {
    return this.#end === undefined ? undefined : this.#take(new Uint8Array(0));
  }

  /** `head` followed by the pieces gathered, as one line; the pieces are let go. */
  #take(head: Uint8Array): Uint8Array {
    const pieces = this.#pieces;
    this.#pieces = [];
    if (pieces.length === 0) return head;
    if (head.length === 0 && pieces.length === 1) return pieces[0]!;
    const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, head.length));
    out.set(head, 0);
    let offset = head.length;
    for (const piece of pieces) {
      out.set(piece, offset);
      offset += piece.length;
    }
    return out;
  }
}
