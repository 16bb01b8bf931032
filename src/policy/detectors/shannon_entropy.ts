/**
 * Shannon entropy of a string in bits per character: about 4 for random hex,
 * about 6 for random base64, under 3.5 for most words and placeholders.
 *
 * @example
 * ```ts
 * shannonEntropy("aaaa"); // 0
 * shannonEntropy("abcd"); // 2
 * ```
 */

/** Bits per character of `text` (0 for the empty string). */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
