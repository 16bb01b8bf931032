/**
 * What `thoth audit show --effect` selects: the records of what thoth did
 * with something the client asked for, whichever kind of record holds it. A
 * `decision` records what was done with a `tools/call` (forwarded, observed,
 * approval_requested, blocked); a `request` what was done with a resource,
 * prompt or completion request, or with a request refused before any
 * decision (forwarded or refused). Refusing a request is what blocking a
 * call is (thoth answered it itself, the server never saw it), so `blocked`
 * and `refused` are one effect that lists both; `forwarded` lists the calls
 * and the requests that went to the server. `observed` and
 * `approval_requested` are decisions' alone: a request is never decided, so
 * neither observe mode nor an approval applies to it. No other record has
 * an effect. Pure.
 *
 * @example
 * ```ts
 * hasShownEffect({ type: "request", effect: "refused" }, "blocked");   // true
 * hasShownEffect({ type: "decision", effect: "blocked" }, "refused");  // true
 * hasShownEffect({ type: "request", effect: "forwarded" }, "observed"); // false
 * ```
 */

/** The effects `show --effect` takes, in the order its help and its errors list them. */
export const SHOWN_EFFECTS = [
  "forwarded",
  "observed",
  "approval_requested",
  "blocked",
  "refused",
] as const;

/** One of {@linkcode SHOWN_EFFECTS}. */
export type ShownEffect = (typeof SHOWN_EFFECTS)[number];

/**
 * Whether `record` is a decision or a request whose stored effect is
 * `effect` (see the module's note for how the two kinds' words meet). A
 * decision of a release that did not record its effect matches none.
 */
export function hasShownEffect(record: Record<string, unknown>, effect: ShownEffect): boolean {
  const stored = record["effect"];
  const stopped = effect === "blocked" || effect === "refused";
  switch (record["type"]) {
    case "decision":
      return stored === (stopped ? "blocked" : effect);
    case "request":
      // Only the two a request can hold: a stored "observed" is no request's.
      return stopped ? stored === "refused" : effect === "forwarded" && stored === "forwarded";
    default:
      return false;
  }
}
