/**
 * How many of a text's characters are 0-9, what `\d` matches in the
 * detectors' patterns, and the longest run of them: the gate that lets a scan
 * skip a detector whose every pattern needs more digits than the text holds
 * (a card number thirteen, an NPI ten in a row), instead of running its
 * expressions. Most text has no digit at all, and most text with digits has
 * a few short runs: a date, an amount, a version.
 *
 * @example
 * ```ts
 * digitCensus("invoice 100245, due 2026-04-02"); // { count: 14, run: 6 }
 * digitCensus("\u0663"); // { count: 0, run: 0 } (an Arabic-Indic digit is not \d)
 * meetsDigitNeed({ count: 14, run: 6 }, { count: 10, run: 10 }); // false
 * ```
 */

/** The ASCII digits of a text. */
export interface DigitCensus {
  /** How many characters are 0-9. */
  count: number;
  /** The most of them in a row. */
  run: number;
}

/**
 * The least a detector's patterns need to fire: every pattern it uses, on
 * every path through it, matches at least `count` ASCII digits, `run` of them
 * in a row. `tests/policy/detectors/detector_gates_test.ts` holds each
 * detector to its claim.
 */
export interface DigitNeed {
  count: number;
  run: number;
}

/** Counts the ASCII digits of `text` and its longest run of them. */
export function digitCensus(text: string): DigitCensus {
  let count = 0;
  let run = 0;
  let current = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      count++;
      if (++current > run) run = current;
    } else current = 0;
  }
  return { count, run };
}

/** Whether a text with `census` can hold what `need` asks for (no need: always). */
export function meetsDigitNeed(census: DigitCensus, need: DigitNeed | undefined): boolean {
  return need === undefined || (census.count >= need.count && census.run >= need.run);
}
