/**
 * The three verdicts a policy can name, as a zod schema shared by rules,
 * intents and the default.
 *
 * @example
 * ```ts
 * decisionSchema.parse("step_up"); // "step_up"
 * ```
 */
import { z } from "zod";

/** `"allow" | "step_up" | "block"`. */
export const decisionSchema = z.enum(["allow", "step_up", "block"], {
  error: 'expected "allow", "step_up" or "block"',
});
