/**
 * Builds the enforcer (and approval channel) of one session inside the proxy
 * core, from plain data the unsandboxed side prepared. The policy arrives as
 * text, so the core never needs to read outside `THOTH_HOME`.
 *
 * @example
 * ```ts
 * const { enforcer } = await buildSessionEnforcer({ kind: "allow-all" });
 * ```
 */
import type { Enforcer } from "./enforcer.ts";
import { allowAllEnforcer } from "./allow_all_enforcer.ts";

/** How the session decides. */
export type EnforcerConfig = { kind: "allow-all" };

/** What runProxy needs from the enforcer side. */
export interface SessionEnforcer {
  enforcer: Enforcer;
}

/** Builds the session's enforcer from its config. */
export function buildSessionEnforcer(config: EnforcerConfig): Promise<SessionEnforcer> {
  switch (config.kind) {
    case "allow-all":
      return Promise.resolve({ enforcer: allowAllEnforcer });
  }
}
