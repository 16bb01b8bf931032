/**
 * thoth: govern MCP servers with zero code changes.
 *
 * The library API; run as the main module it is the `thoth` CLI.
 *
 * @example
 * ```ts
 * import { runProxy } from "./mod.ts";
 * const { exitCode } = await runProxy({ command: "node", args: ["server.js"], server: "demo" });
 * ```
 * @module
 */
export { AppError, type ErrorCode, isAppError } from "./src/errors.ts";
export type { Enforcer } from "./src/enforcer/enforcer.ts";
export type { ProtocolEra, ToolAnnotations, ToolCall } from "./src/policy/tool_call.ts";
export type { Decision, Verdict } from "./src/policy/verdict.ts";
export { allowAllEnforcer } from "./src/enforcer/allow_all_enforcer.ts";
export {
  DEFAULT_MAX_LINE_BYTES,
  type ProxyOptions,
  type ProxyResult,
  runProxy,
} from "./src/proxy/run_proxy.ts";
export type { ApprovalOutcome, Approver, RelayEvents } from "./src/proxy/relay_session.ts";
export { LineDecoder } from "./src/protocol/line_decoder.ts";
export { planWrap, type WrapOptions, type WrapPlan } from "./src/config/plan_wrap.ts";
export type { ConfigPlan, ServerReport } from "./src/config/config_plan.ts";
export { planUnwrap, type UnwrapOptions, type UnwrapPlan } from "./src/config/plan_unwrap.ts";
export { planStatus, type StatusOptions } from "./src/config/plan_status.ts";
export type { ServerStatus, StatusReport } from "./src/config/status_report.ts";
export { CLIENT_IDS, type ClientId } from "./src/config/client_id.ts";
export { defaultConfigPath } from "./src/config/default_config_path.ts";
export { unifiedDiff } from "./src/config/unified_diff.ts";

export { parsePolicy } from "./src/policy/parse_policy.ts";
export { compilePolicy } from "./src/policy/compile_policy.ts";
export { evaluate } from "./src/policy/evaluate.ts";
export { LocalEnforcer, type LocalVerdict } from "./src/enforcer/local_enforcer.ts";
export { openAuditLog } from "./src/audit/audit_log.ts";
export { verifyLocalLog as verifyAudit } from "./src/audit/verify_log.ts";
export { verifyBundle } from "./src/audit/verify_bundle.ts";
export { AuditVerifier } from "./src/audit/audit_verifier.ts";
export type { VerifyReport } from "./src/audit/verify_report.ts";
export type { AuditEvent } from "./src/audit/record.ts";

if (import.meta.main) {
  const { thothMain } = await import("./src/cli/thoth.ts");
  const { processCliIo } = await import("./src/cli/cli_io.ts");
  Deno.exit(
    await thothMain(Deno.args, processCliIo(new URL("./src/cli/thoth.ts", import.meta.url).href)),
  );
}
