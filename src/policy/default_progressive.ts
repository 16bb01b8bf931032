/**
 * The progressive ladder used when a policy has no `progressive` section:
 * within 24 hours, the first violation of a rule warns, the second and third
 * ask for approval, the fourth and later are blocked.
 *
 * @example
 * ```ts
 * DEFAULT_PROGRESSIVE.blockAfter; // 3
 * ```
 */
import type { ProgressiveSettings } from "./compiled_policy.ts";

/** `{ window: "24h", stepUpAfter: 1, blockAfter: 3 }`. */
export const DEFAULT_PROGRESSIVE: Readonly<ProgressiveSettings> = {
  window: "24h",
  windowMs: 86_400_000,
  stepUpAfter: 1,
  blockAfter: 3,
};
