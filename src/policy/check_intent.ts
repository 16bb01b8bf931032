/**
 * The session intent must name one of the policy's intents: checked before
 * any session starts, and again where the enforcer is built. The refusal's
 * hints name the policy's intent nearest to it and where it came from (the
 * intent map entry, `--intent`).
 *
 * @example
 * ```ts
 * checkIntent(["calendar_management"], "calendar_management"); // fine
 * checkIntent(["billing"], "billng", undefined, 'the intent map entry for "fs"');
 * // throws policy.unknown_intent: intent "billng" is not in the policy
 * // hints: use one of: billing; did you mean "billing"?; it comes from the intent map entry for "fs"; …
 * ```
 */
import { AppError } from "../errors.ts";
import { nearestName } from "../nearest_name.ts";

/**
 * Throws `policy.unknown_intent` when `intent` is set and not among `known`;
 * `show` writes the name as the message may show it (a command line passes
 * its rule for values a person gave, which hides one that looks like a key);
 * `source` says where the intent came from.
 */
export function checkIntent(
  known: readonly string[],
  intent: string | undefined,
  show?: (intent: string) => string,
  source?: string,
): void {
  if (intent === undefined || known.includes(intent)) return;
  throw unknownIntent(known, intent, show?.(intent), source);
}

/**
 * The `policy.unknown_intent` error for `intent` (shown as `shown`, given by
 * `source` when known), naming the intents there are and the nearest one.
 */
export function unknownIntent(
  known: readonly string[],
  intent: string,
  shown = `"${intent}"`,
  source?: string,
): AppError {
  const near = nearestName(intent, known);
  return new AppError("policy.unknown_intent", `intent ${shown} is not in the policy`, {
    hints: [
      known.length > 0 ? `use one of: ${known.join(", ")}` : 'add it under "intents" in the policy',
      ...(near === undefined ? [] : [`did you mean "${near}"?`]),
      ...(source === undefined ? [] : [`it comes from ${source}`]),
      "check intent_map.json and --intent",
    ],
  });
}
