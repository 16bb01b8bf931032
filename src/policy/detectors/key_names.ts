/**
 * A detector's test of the key a value sits under (`ssn`, `patientDob`),
 * remembered per key: a call's arguments and a session's calls repeat a few
 * key names, and each detector would otherwise run its key patterns on every
 * one of them for every value. The answer depends on the key alone, so
 * remembering it never changes one. Only keys up to 256 characters are
 * remembered, and at most 1,024 of them at a time.
 *
 * @example
 * ```ts
 * const isSsnKey = keyNamed((key) => /^ssn$/i.test(key));
 * isSsnKey("SSN"); // true, and the next "SSN" costs a map look-up
 * ```
 */

const MAX_REMEMBERED = 1024;
const MAX_KEY_LENGTH = 256;

/** `test`, remembered per key (see the module doc). `test` must depend on the key alone. */
export function keyNamed(test: (key: string) => boolean): (key: string) => boolean {
  const known = new Map<string, boolean>();
  return (key) => {
    const answer = known.get(key);
    if (answer !== undefined) return answer;
    const found = test(key);
    if (key.length <= MAX_KEY_LENGTH) {
      if (known.size >= MAX_REMEMBERED) known.clear();
      known.set(key, found);
    }
    return found;
  };
}
