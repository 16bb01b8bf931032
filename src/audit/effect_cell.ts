/**
 * The EFFECT cell of `thoth audit show`: what thoth did with a decision's
 * call (forwarded, forwarded with a warning, forwarded in observe mode,
 * approval requested, blocked; `—` in records of releases that did not record
 * it), so a `step_up` the progressive ladder forwarded, asked about or
 * blocked reads as such at a glance; a `request`'s says `forwarded` or
 * `refused`; rows of other records leave it empty. Pure.
 *
 * @example
 * ```ts
 * effectCell({ type: "decision", verdict: "step_up", effect: "forwarded" }); // "forwarded with a warning"
 * effectCell({ type: "decision", verdict: "block" }); // "—"
 * effectCell({ type: "outcome" }); // ""
 * ```
 */

import { displayText } from "../approval/display_text.ts";
import type { DecisionEvent } from "./record.ts";
import { cellText as str } from "./table_joins.ts";

type Rec = Record<string, unknown>;

/** The longest a request's effect gets in the EFFECT cell. */
const EFFECT_MAX = 100;

/** The effects a decision record can hold (what the relay did with the call). */
export type DecisionEffect = NonNullable<DecisionEvent["effect"]>;

/**
 * Each effect as the EFFECT cell words it, keyed by the name stored in the
 * record (the names `thoth audit show --effect` takes, in this order). A
 * `forwarded` call the policy did not allow is worded apart: see
 * {@linkcode effectCell}.
 *
 * @example
 * ```ts
 * Object.keys(EFFECT_WORDS); // ["forwarded", "observed", "approval_requested", "blocked"]
 * ```
 */
export const EFFECT_WORDS: Readonly<Record<DecisionEffect, string>> = {
  forwarded: "forwarded",
  observed: "forwarded (observe mode)",
  approval_requested: "approval requested",
  blocked: "blocked",
};

/**
 * The EFFECT cell: what thoth did with a decision's call, in words. A call
 * forwarded although the policy's verdict was `block` or `step_up` was let
 * through with a warning (the progressive ladder's first rung; observe mode
 * records `observed` instead). A decision record without an effect (written
 * before thoth recorded one) shows `—`; an effect this release does not know
 * shows as stored; any other record, nothing.
 */
export function effectCell(r: Rec): string {
  if (r["type"] === "request") return displayText(str(r["effect"]), EFFECT_MAX);
  if (r["type"] !== "decision") return "";
  const effect = r["effect"];
  if (effect === undefined || effect === null) return "—";
  if (effect === "forwarded" && (r["verdict"] === "block" || r["verdict"] === "step_up")) {
    return "forwarded with a warning";
  }
  return Object.hasOwn(EFFECT_WORDS, str(effect))
    ? EFFECT_WORDS[str(effect) as DecisionEffect]
    : str(effect);
}
