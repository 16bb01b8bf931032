/**
 * One thing `thoth run` would refuse in a wrapped config entry (see
 * `runRefusals`), and how `thoth status`, `thoth doctor` and `wrap-config`
 * say it. Pure.
 *
 * @example
 * ```ts
 * describeRefusal({ subject: "--intent", message: 'unknown intent "x"', fix: "define it" });
 * // 'thoth run will refuse to start: unknown intent "x"; define it'
 * ```
 */

/** One thing `thoth run` would refuse. */
export interface Refusal {
  /** The flag or variable at fault: `--tenant-id`, `THOTH_USER_ID`, `--intent`. */
  readonly subject: string;
  /** What `thoth run` says, naming the value. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
  /**
   * Set when only the client's own environment, which no check can see,
   * could still supply what the entry lacks (a tenant's `THOTH_USER_ID` the
   * entry's `env` does not set): `thoth status` and `thoth doctor` count it
   * as refused, `wrap-config` warns rather than refusing to write.
   */
  readonly clientEnv?: true;
}

/** How status and wrap-config say a refusal. */
export function describeRefusal(refusal: Refusal): string {
  return `thoth run will refuse to start: ${refusal.message}; ${refusal.fix}`;
}
