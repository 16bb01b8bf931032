/**
 * The record of what progressive mode did with the count of a decided call
 * that did not run after all (the client had stopped reading thoth's
 * output, see `not_carried_out.ts`): a `cancellation` record of the
 * decision with `countTakenBack`, the rules taken back and those that stay
 * counted, and a reason in words. The decision's own record was written as
 * the call was decided (`forwarded`, with its violation number); this one
 * says that number no longer stands, or why it still does. Pure.
 *
 * @example
 * ```ts
 * countTakeBackRecord("s-1", "d-1", { ruleIds: ["r"], takenBack: ["r"], full: [], gone: [] });
 * // { type: "cancellation", session: "s-1", decisionId: "d-1", countTakenBack: true,
 * //   takenBackRuleIds: ["r"], reason: "the call did not run …: progressive mode took back …" }
 * ```
 */
import type { CancellationEvent } from "../audit/record.ts";
import type { CountTakeBack } from "../enforcer/progressive_take_back.ts";
import { MAX_PER_KEY } from "../policy/record_violations.ts";

/** How the reason starts: why there was anything to take back. */
export const NOT_RUN = "the call did not run (the client stopped reading thoth's output)";

/** The cancellation record that says what became of decision `decisionId`'s count. */
export function countTakeBackRecord(
  session: string,
  decisionId: string,
  taken: CountTakeBack,
): CancellationEvent {
  const kept = taken.failed === undefined ? [...taken.full] : [...taken.ruleIds];
  const parts: string[] = [];
  if (taken.takenBack.length > 0) {
    parts.push(`progressive mode took back its count of ${rules(taken.takenBack)}`);
  }
  if (taken.failed !== undefined) {
    parts.push(
      `progressive mode could not take back its count of ${rules(kept)}, which stays ` +
        `counted: ${taken.failed}`,
    );
  } else if (taken.full.length > 0) {
    parts.push(
      `${rules(taken.full)} stays counted: ${
        taken.full.length === 1 ? "its list holds" : "their lists hold"
      } ${MAX_PER_KEY} violations, the most kept, and counting this one dropped the oldest, ` +
        "which cannot be put back",
    );
  }
  if (taken.unreadable) {
    parts.push(
      "the progressive counters file could not be read, so nothing was taken back from it " +
        "(the next count moves it aside)",
    );
  } else if (taken.gone.length > 0) {
    parts.push(
      `${rules(taken.gone)} had no count of this call left (aged out, or the counters file ` +
        "was replaced)",
    );
  }
  return {
    type: "cancellation",
    session,
    decisionId,
    countTakenBack: taken.takenBack.length === taken.ruleIds.length,
    ...(taken.takenBack.length === 0 ? {} : { takenBackRuleIds: [...taken.takenBack] }),
    ...(kept.length === 0 ? {} : { keptRuleIds: kept }),
    reason: `${NOT_RUN}: ${parts.join("; ")}`,
  };
}

/** `rule "a"`, `rules "a", "b"`. */
function rules(ids: readonly string[]): string {
  return `${ids.length === 1 ? "rule" : "rules"} ${ids.map((id) => JSON.stringify(id)).join(", ")}`;
}
