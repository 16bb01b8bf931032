/**
 * A line on standard error that says how far long work has got, for a
 * person at a terminal: shown only once the work has taken a second (quick
 * work stays silent), rewritten in place at most every tenth of a second,
 * and wiped when the work ends, so what the command prints next starts on a
 * clean line. When standard error is no terminal (a script, a log file), or
 * one that says it cannot move the cursor (`TERM=dumb`), it writes nothing:
 * its output stays what it was.
 *
 * @example
 * ```ts
 * const line = progressLine(io, "thoth: verifying the audit log");
 * try {
 *   await verifyLocalLog(home, { progress: (p) => line.show(verifyProgressText(p)) });
 * } finally {
 *   line.end();
 * }
 * ```
 */
import type { CliIo } from "./cli_io.ts";

/** Shows and wipes one progress line. */
export interface ProgressLine {
  /** Says how far the work has got (`now` shows it even within the tenth of a second). */
  show(text: string, now?: boolean): void;
  /** Wipes the line, if one was shown. */
  end(): void;
}

/** How long work runs before its progress is shown, and how often it is rewritten, in ms. */
export const PROGRESS_DELAY_MS = 1000;
export const PROGRESS_EVERY_MS = 100;

/** A progress line under `label` on `io`'s standard error (nothing unless that is a terminal). */
export function progressLine(io: CliIo, label: string): ProgressLine {
  // A terminal that says it cannot move the cursor (`TERM=dumb`) would print the escapes as text.
  if (io.stderrIsTty !== true || io.env["TERM"] === "dumb") {
    return { show: () => {}, end: () => {} };
  }
  const clock = io.monotonicMs ?? (() => performance.now());
  const start = clock();
  let shownAt: number | undefined;
  return {
    show(text, now = false) {
      const at = clock();
      if (at - start < PROGRESS_DELAY_MS) return;
      if (!now && shownAt !== undefined && at - shownAt < PROGRESS_EVERY_MS) return;
      shownAt = at;
      // To the start of the line, the text, then erase whatever a longer text left after it.
      io.err(`\r${label}: ${oneLine(text)}\x1b[K`);
    },
    end() {
      if (shownAt !== undefined) io.err("\r\x1b[K");
      shownAt = undefined;
    },
  };
}

/** The text with any control character (a newline among them) shown as a space. */
function oneLine(text: string): string {
  // deno-lint-ignore no-control-regex -- control characters are what it replaces
  return text.replace(/[\x00-\x1f\x7f]/g, " ");
}
