/**
 * Finds a JSON number too large for any double (`1e400`). Readers disagree on
 * it: JavaScript reads `Infinity`, Python `inf`, Go refuses the message, and
 * what thoth writes back when it must re-serialize a message (an element of a
 * batch it splits) is `null`. A rule would decide on one value while the
 * server acts on another, so a client line with one is refused (see
 * `relay_session.ts`). Pure.
 *
 * @example
 * ```ts
 * const text = '{"limit":1e400}';
 * hasOverflowingNumber(text, JSON.parse(text)); // true
 * ```
 */

/** An exponent of three or more digits, or a run of 309 digits: what can overflow. */
const MAY_OVERFLOW = /[eE]\+?\d{3}|\d{309}/;

/** Whether `value`, parsed from `text`, holds a number that overflowed to ±Infinity. */
export function hasOverflowingNumber(text: string, value: unknown): boolean {
  if (!MAY_OVERFLOW.test(text)) return false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "number") {
      if (!Number.isFinite(item)) return true;
    } else if (item !== null && typeof item === "object") {
      for (const member of Array.isArray(item) ? item : Object.values(item)) stack.push(member);
    }
  }
  return false;
}
