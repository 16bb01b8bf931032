/**
 * The known name a mistyped one most likely meant, for "did you mean" hints
 * on policy keys, values and intents: the same name but for case, else the
 * one at the least edit distance (a letter left out, added, changed, or two
 * neighbours swapped) when that is at most 2 (1 for a name of 3 letters or
 * fewer, or below `maxEdits`) and no other is as near. Never a name the
 * typed one negates or is negated by (`noallow`, `unblock`, `nglob` are not
 * `allow`, `block`, `glob`): a negation prefix (`n`, `no`, `not`, `non`,
 * `un`, `dis`) added or dropped says the opposite, not a slip. Pure.
 *
 * @example
 * ```ts
 * nearestName("decison", ["id", "match", "decision"]); // "decision"
 * nearestName("Block", ["allow", "step_up", "block"]);  // "block"
 * nearestName("noallow", ["allow", "step_up", "block"]); // undefined
 * nearestName("nglob", ["glob", "notGlob"]);             // "notGlob"
 * nearestName("xyz", ["allow", "step_up", "block"]);    // undefined
 * ```
 */
import { editDistance } from "./edit_distance.ts";

/** Prefixes that turn a name into its opposite. */
const NEGATIONS = ["n", "no", "not", "non", "un", "dis"];

/** The name of `known` that `typed` most likely meant, or undefined (see the module doc). */
export function nearestName(
  typed: string,
  known: readonly string[],
  options: { maxEdits?: number } = {},
): string | undefined {
  if (known.includes(typed)) return undefined;
  const lower = typed.toLowerCase();
  const candidates = known.filter((name) => !negates(lower, name.toLowerCase()));
  const sameButCase = candidates.filter((name) => name.toLowerCase() === lower);
  if (sameButCase.length === 1) return sameButCase[0];
  const limit = Math.min(typed.length <= 3 ? 1 : 2, options.maxEdits ?? 2);
  let best: string[] = [];
  let nearest = limit + 1;
  for (const name of candidates) {
    const distance = editDistance(lower, name.toLowerCase(), { swaps: true, limit });
    if (distance < nearest) [best, nearest] = [[name], distance];
    else if (distance === nearest) best.push(name);
  }
  return nearest <= limit && best.length === 1 ? best[0] : undefined;
}

/** Whether one of `a` and `b` (lower case) is the other with a negation prefix (`_`, `-` aside). */
function negates(a: string, b: string): boolean {
  const x = a.replace(/[-_]/g, "");
  const y = b.replace(/[-_]/g, "");
  return NEGATIONS.some((p) => x === p + y || y === p + x);
}
