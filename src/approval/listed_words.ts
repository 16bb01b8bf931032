/**
 * The words `thoth approvals list` and `watch` use for one request: what
 * asked for a person ({@linkcode askedBy}), for a settled request what its
 * answer did ({@linkcode settledWords}), and for a pending request of an
 * earlier release what to do about it ({@linkcode earlierReleaseLines}). A request file is data any
 * process of the user could write: reasons are shown by `escapedText`, the
 * rest by `displayText`. Pure.
 *
 * @example
 * ```ts
 * askedBy({ ...entry, ruleIds: ["ask-echo"], reasons: ['rule "ask-echo": echo needs a person'] });
 * // 'rule "ask-echo": echo needs a person'
 * settledWords(item, "approved by ana");
 * // 'refused: the waiting thoth noted that the answer (approved by ana) was not given for …'
 * ```
 */
import { displayText, escapedText } from "./display_text.ts";
import type { QueueItem } from "./queue_listing.ts";
import { fromEarlierRelease } from "./queue_record.ts";
import { EARLIER_RELEASE_LINES } from "./earlier_release_request.ts";

/**
 * What asked for a person, each rule said once: a reason the policy wrote
 * as `rule "id": why` names its rule and stands alone; the rules no reason
 * names come first (`policy` when no rule is named at all), with the
 * reasons that name no rule in parentheses.
 */
export function askedBy(e: QueueItem["entry"]): string {
  const quoted = (text: string) => JSON.stringify(displayText(text, 200));
  const naming = (reason: string, rule: string) =>
    reason.startsWith(`rule "${rule}":`) || reason.startsWith(`rule ${quoted(rule)}:`);
  const named = e.reasons.filter((r) => e.ruleIds.some((rule) => naming(r, rule)));
  const others = e.reasons.filter((r) => !named.includes(r)).map((r) => escapedText(r, 400));
  const unnamed = e.ruleIds.filter((rule) => !named.some((r) => naming(r, rule)));
  const lead = unnamed.length > 0
    ? `rule ${unnamed.map(quoted).join(", ")}`
    : named.length === 0
    ? "policy"
    : undefined;
  const shown = named.map((r) => escapedText(r, 400));
  if (lead === undefined) return [...shown, ...others].join("; ");
  return [others.length > 0 ? `${lead} (${others.join("; ")})` : lead, ...shown].join("; ");
}

/**
 * A settled request's state, given its answer in words (`approved by ana`):
 * the answer, and what became of the call when the answer did not decide
 * it. A withdrawal is what the waiting thoth noted in the request's outcome
 * file, which any process of this user could have written: it is said as
 * that thoth's note, not as a fact the list checked. So is a refusal of an
 * answer given for another call than the one that thoth holds (`misbound`),
 * which is listed as refused, never as approved: the list cannot check it,
 * since the request file it would compare is the one that may have been
 * rewritten. An approval the waiting thoth noted it refused after all (its
 * record could not be written to the audit log) is listed as approved, but
 * refused by thoth, as that thoth's note. An answer for other arguments the
 * list sees for itself (the request's digest and the answer's), and so an
 * approval whose thoth ended
 * without marking it taken (no taken marker, its pid no longer running): a
 * thoth runs an approved call only once it has marked its answer taken.
 */
export function settledWords(item: QueueItem, answered: string): string {
  const fate = item.callFate;
  if (fate?.outcome === "misbound") {
    return displayText(
      `refused: the waiting thoth noted that the answer (${answered}) was not given for its ` +
        `call (${fate.reason}); the call did not run`,
      800,
    );
  }
  const but = fate === undefined
    ? ""
    : fate.outcome === "withdrawn"
    ? `, but the waiting thoth noted that the call was withdrawn before the answer was used ` +
      `(${fate.reason}) and that it did not run`
    : fate.outcome === "orphaned"
    ? `, but ${fate.reason}; the call did not run`
    : fate.source === "waiting-thoth-note"
    ? `, but thoth refused the call: ${fate.reason} (as the waiting thoth noted); the call ` +
      "did not run"
    : `, but ${fate.reason}; it did not run`;
  return displayText(answered + but, 700);
}

/**
 * The lines under a request of an earlier release, while it is pending:
 * no answer of this release reaches its thoth, and they say what does.
 * Once it is settled, expired or orphaned there is nothing left to answer
 * (an answer of that release's own CLI is listed as given), so none.
 */
export function earlierReleaseLines(item: QueueItem): readonly string[] {
  return item.state === "pending" && fromEarlierRelease(item.entry) ? EARLIER_RELEASE_LINES : [];
}
