/**
 * How `thoth audit show` and `tail` print: records a batch of lines at a
 * time, and a notice (with exit code 1) for records whose links do not hold.
 *
 * @example
 * ```ts
 * outLines(io, rows);
 * reportUnchained(io, unchainedRanges(lines, { startsLog: true }));
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import { unchainedNotice, type UnchainedRange } from "../audit/chain_links.ts";

/** How many lines `show` and `tail` hand to `io.out` at a time. */
const LINES_PER_WRITE = 1000;

/**
 * Prints `lines`, each with its newline, a batch at a time: the lines of a
 * large log joined into one string would pass the longest string
 * JavaScript can hold (about 512 MiB), failing as an internal error.
 */
export function outLines(io: CliIo, lines: Iterable<string>): void {
  const out = new LineWriter(io);
  for (const line of lines) out.line(line);
  out.flush();
}

/** Hands lines to `io.out` {@linkcode LINES_PER_WRITE} at a time, as they come. */
export class LineWriter {
  readonly #io: CliIo;
  #batch: string[] = [];

  constructor(io: CliIo) {
    this.#io = io;
  }

  line(line: string): void {
    this.#batch.push(line + "\n");
    if (this.#batch.length >= LINES_PER_WRITE) this.flush();
  }

  flush(): void {
    if (this.#batch.length === 0) return;
    const text = this.#batch.join("");
    this.#batch = [];
    this.#io.out(text);
  }
}

/**
 * After `show` or `tail` printed records: a stderr line naming the records
 * whose links do not hold (`ranges`: see `chain_links.ts`), and exit code 1,
 * as `verify` exits for a changed log. What was printed is the log as
 * stored; the exit code tells a script that it is not the log thoth wrote.
 */
export function reportUnchained(io: CliIo, ranges: readonly UnchainedRange[]): void {
  if (ranges.length === 0) return;
  io.err(unchainedNotice(ranges));
  io.exitCode = 1;
}
