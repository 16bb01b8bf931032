/**
 * How a note that a peer can cause without end is written: the first
 * {@linkcode NOTED_ONE_BY_ONE} as they come (the last of them saying that
 * further ones are only counted), then only a running count at 100, 1,000,
 * 10,000 and so on, so that a hostile or broken server cannot fill the
 * client's log. Pure.
 *
 * @example
 * ```ts
 * const note = throttledNote(++state.unmatchedAnswers, text, {
 *   further: "further such responses are counted, not noted",
 *   total: (count) => `dropped ${count} such responses so far`,
 * });
 * if (note !== undefined) state.ports.note(note);
 * ```
 */

/** How many notes of one kind are written one by one. */
export const NOTED_ONE_BY_ONE = 5;

/** What a throttled note says once its events are only counted. */
export interface ThrottledWords {
  /** Added to the last note written one by one: that further ones are counted. */
  further: string;
  /** The running count's note, for `count` events so far. */
  total: (count: number) => string;
}

/**
 * The note to write for the `count`th event of one kind (counted from 1):
 * `text` itself for the first few, a running count at each power of ten
 * from 100 on, else undefined (only counted).
 */
export function throttledNote(
  count: number,
  text: string,
  words: ThrottledWords,
): string | undefined {
  if (count < NOTED_ONE_BY_ONE) return text;
  if (count === NOTED_ONE_BY_ONE) return `${text}; ${words.further}`;
  return count >= 100 && isPowerOfTen(count) ? words.total(count) : undefined;
}

/** Whether `count` (a positive integer) is 10, 100, 1,000, … */
function isPowerOfTen(count: number): boolean {
  let rest = count;
  while (rest >= 10 && rest % 10 === 0) rest /= 10;
  return rest === 1 && count >= 10;
}
