/**
 * The start of a `cancellation` record's DETAIL cell in `thoth audit show`
 * and `tail` (see `format_records.ts`) when it tells what progressive mode
 * did with the count of a call that did not run (`countTakenBack`, see
 * `count_take_back_records.ts`): `count taken back: rule a`, `count stays:
 * rule b`, or `count not taken back` (gone already, or the counters file
 * could not be read); empty for other cancellations, and for those of
 * earlier releases. Rule ids pass `nameCell`, the first 3 of them. Pure.
 *
 * @example
 * ```ts
 * countDetail({ type: "cancellation", countTakenBack: true, takenBackRuleIds: ["no-sum"] });
 * // "count taken back: rule no-sum"
 * ```
 */
import { nameCell } from "./name_cell.ts";
import { cellText as str } from "./table_joins.ts";

/** The longest rule id shown. */
const NAME_MAX = 100;

/** The most rule ids named. */
const RULES_MAX = 3;

/** What became of the count, in words; "" when the record does not say. */
export function countDetail(r: Record<string, unknown>): string {
  if (r["countTakenBack"] === true) return `count taken back${rules(r["takenBackRuleIds"])}`;
  if (r["countTakenBack"] !== false) return "";
  const kept = rules(r["keptRuleIds"]);
  return kept === "" ? "count not taken back" : `count stays${kept}`;
}

/** `: rule a`, `: rules a, b, c and 2 more`; "" for no list. */
function rules(value: unknown): string {
  const all = Array.isArray(value) ? value : [];
  const ids = all.slice(0, RULES_MAX).map((id) => nameCell(str(id), NAME_MAX));
  const more = all.length > RULES_MAX ? ` and ${all.length - RULES_MAX} more` : "";
  return ids.length === 0
    ? ""
    : `: ${all.length === 1 ? "rule" : "rules"} ${ids.join(", ")}${more}`;
}
