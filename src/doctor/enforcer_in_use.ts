/**
 * Whether this build asks the tenant's enforcer about calls. It does not:
 * every call is decided by the local policy, tenant or not. `thoth doctor`'s
 * enforcer check rates an enforcer it cannot reach by this (a warning while it
 * is false), and `thoth health --json` reports it as `enforcer.in_use`.
 *
 * @example
 * ```ts
 * const status = ENFORCER_IN_USE ? "fail" : "warn"; // "warn" in this build
 * ```
 */
export const ENFORCER_IN_USE: boolean = false;
