/**
 * The entries of an intent map that name an intent the policy does not
 * define, each with the policy's intent nearest to the one written: a
 * server started with that policy and no `--intent` of its own is refused
 * (`policy.unknown_intent`). The one check `thoth doctor` and `thoth policy
 * check` both make; names come back only as `show` writes them (a key
 * pasted into the map appears by fingerprint, never in clear). Pure.
 *
 * @example
 * ```ts
 * mapIntentProblems({ fs: "billng", other: "billing" }, ["billing"], (n) => JSON.stringify(n));
 * // [{ entry: '"fs"', intent: '"billng"', didYouMean: "billing" }]
 * ```
 */
import { nearestName } from "../nearest_name.ts";

/** One map entry naming an intent the policy lacks. */
export interface MapIntentProblem {
  /** The map's key (the server's agent id), as `show` writes it. */
  entry: string;
  /** The intent it names, as `show` writes it. */
  intent: string;
  /** The policy's intent nearest to the one named, or null. */
  didYouMean: string | null;
}

/**
 * The entries of `map` naming an intent not among `known`, in the map's
 * order; `show` writes an entry or intent as a message may show it (a
 * command line passes `showName`, which hides one that looks like a key).
 */
export function mapIntentProblems(
  map: Readonly<Record<string, string>>,
  known: readonly string[],
  show: (name: string) => string,
): MapIntentProblem[] {
  const problems: MapIntentProblem[] = [];
  for (const [entry, intent] of Object.entries(map)) {
    if (known.includes(intent)) continue;
    problems.push({
      entry: show(entry),
      intent: show(intent),
      didYouMean: nearestName(intent, known) ?? null,
    });
  }
  return problems;
}
