/**
 * The session intent must name one of the policy's intents: checked before
 * any session starts, and again where the enforcer is built.
 *
 * @example
 * ```ts
 * checkIntent(["calendar_management"], "calendar_management"); // fine
 * checkIntent([], "anything"); // throws policy.unknown_intent
 * ```
 */
import { AppError } from "../errors.ts";

/**
 * Throws `policy.unknown_intent` when `intent` is set and not among `known`;
 * `show` writes the name as the message may show it (a command line passes
 * its rule for values a person gave, which hides one that looks like a key).
 */
export function checkIntent(
  known: readonly string[],
  intent: string | undefined,
  show?: (intent: string) => string,
): void {
  if (intent === undefined || known.includes(intent)) return;
  throw unknownIntent(known, intent, show?.(intent));
}

/** The `policy.unknown_intent` error for `intent` (shown as `shown`), naming the intents there are. */
export function unknownIntent(
  known: readonly string[],
  intent: string,
  shown = `"${intent}"`,
): AppError {
  return new AppError("policy.unknown_intent", `intent ${shown} is not in the policy`, {
    hints: [
      known.length > 0 ? `use one of: ${known.join(", ")}` : 'add it under "intents" in the policy',
      "check intent_map.json and --intent",
    ],
  });
}
