/**
 * The last place a character stands before a point of one text, for callers
 * that ask of points in order (the codes of a text, left to right): each
 * occurrence is found once, so all the asks of one text cost one pass.
 *
 * @example
 * ```ts
 * const equals = new LastBefore("a=1, b=2", "=");
 * equals.before(3); // 1
 * equals.before(7); // 6
 * ```
 */

/**
 * The last place a character stands before a point of one text, the points
 * asked in order: each occurrence is found once, so the asks cost one pass.
 */
export class LastBefore {
  readonly #text: string;
  readonly #char: string;
  #last = -Infinity;
  #next: number;

  constructor(text: string, char: string) {
    this.#text = text;
    this.#char = char;
    this.#next = text.indexOf(char);
  }

  /** Where `char` last stands before `at` (-infinity for nowhere). */
  before(at: number): number {
    while (this.#next !== -1 && this.#next < at) {
      this.#last = this.#next;
      this.#next = this.#text.indexOf(this.#char, this.#next + 1);
    }
    return this.#last;
  }
}
