/**
 * The error a launcher's command-line reader (`command_reader.ts`) throws
 * when it gives up: the line is nested deeper, or read again more, than it
 * follows. Its caller then fails closed and asks.
 *
 * @example
 * ```ts
 * try {
 *   reader.commandAt(words, 0);
 * } catch (error) {
 *   if (!(error instanceof TooDeepToRead)) throw error;
 *   // not understood: ask rather than guess
 * }
 * ```
 */

/** The reader gave up: the line is nested deeper, or read again more, than it follows. */
export class TooDeepToRead extends Error {
  constructor() {
    super("a command line too deeply nested to read");
    this.name = "TooDeepToRead";
  }
}
