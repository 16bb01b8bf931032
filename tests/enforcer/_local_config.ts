/**
 * The local enforcer config the enforcer tests build sessions from: a policy
 * in a mode over a profile folder, with test values for the rest.
 */
import type { EnforcerConfig } from "../../src/enforcer/build_session_enforcer.ts";

/** The config of a session decided locally. */
export type LocalConfig = Extract<EnforcerConfig, { kind: "local" }>;

/**
 * `policy` in `mode` over `thothHome`, as user `t` in session `s-test`;
 * `extra` adds or overrides fields.
 *
 * @example
 * ```ts
 * const session = await buildSessionEnforcer(localConfig(policy, "block", home), "fs", () => {});
 * ```
 */
export function localConfig(
  policy: LocalConfig["policy"],
  mode: LocalConfig["mode"],
  thothHome: string,
  extra: Partial<LocalConfig> = {},
): LocalConfig {
  return {
    kind: "local",
    policy,
    policyHash: "0".repeat(64),
    mode,
    intent: undefined,
    userId: "t",
    thothHome,
    auditSync: "default",
    session: "s-test",
    approvalTimeoutMs: 1000,
    approvalEnv: {},
    dialogTools: {},
    ...extra,
  };
}
