/**
 * The shape every detector has: a pure test of one string value, told the key
 * it sits under (so `{"dob": "1961-03-04"}` can count as a date of birth).
 *
 * @example
 * ```ts
 * const never: TextDetector = (_text, _key) => false;
 * ```
 */

/**
 * Whether `text` (found under object key `key`, if any) holds what the
 * detector looks for. `siblings`, when the scan passes them, are the keys of
 * the object the value sits in (its own among them), the same array for
 * every value of that object: a detector may read what the value's
 * neighbours are (`{"ticket": "…", "employee": "…"}`).
 */
export type TextDetector = (
  text: string,
  key: string | undefined,
  siblings?: readonly string[],
) => boolean;
