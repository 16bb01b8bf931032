/**
 * Doctor check `sandbox`: what this thoth may do, and whether the proxy
 * core's sandbox starts. It says whether thoth is compiled or runs from
 * source and which permission kinds it was granted, fails when it was
 * granted less than thoth's permission set (`deno.json` "permissions" →
 * "thoth", what the release build bakes in: every `thoth run` session fails
 * without it), warns when it was granted more (`-A`, or `ffi`, all of `sys`,
 * an `import` that can fetch from the network: not the one Deno grants under
 * `--cached-only`, see `remote_import_reach.ts`), and starts the sandboxed core once, for no server (see
 * `start_sandbox_probe.ts`), failing with the cause and the remedy when it
 * does not start (no `--unstable-worker-options`, say).
 *
 * @example
 * ```ts
 * (await checkSandbox(context)).message;
 * // "thoth from source, granted read, write, net, env, sys (gid, hostname, osRelease, uid), run; the proxy core's sandbox starts …"
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { grantedText, type GrantJudgement, judgeGrants } from "./judge_grants.ts";
import type { SandboxStart } from "./start_sandbox_probe.ts";
import { THOTH_PERMISSION_GRANT } from "./thoth_permission_set.ts";
import { commandLineText } from "./command_line_text.ts";

/** What the check judges. */
export interface SandboxFacts {
  readonly compiled: boolean;
  readonly grants: GrantJudgement;
  readonly start: SandboxStart;
  /** The command that starts thoth with its permission set. */
  readonly launch: readonly string[];
}

/** The facts of this process, or null when the context cannot tell them. */
export async function inspectSandbox(context: DoctorContext): Promise<SandboxFacts | null> {
  const host = context.host.sandbox;
  if (host === undefined) return null;
  let grants = judgeGrants(THOTH_PERMISSION_GRANT, host.query);
  // Deno grants import whole under --cached-only: ask how far it reaches before
  // counting it beyond the set. Under -A it is one more kind among many: not tried.
  if (grants.broader.includes("import") && !grants.everything && host.importReach) {
    grants = judgeGrants(THOTH_PERMISSION_GRANT, host.query, await host.importReach());
  }
  return {
    compiled: host.compiled,
    grants,
    start: await host.start(),
    launch: host.launch,
  };
}

/** Runs the check. */
export async function checkSandbox(context: DoctorContext): Promise<DoctorCheck> {
  const facts = await inspectSandbox(context);
  if (facts === null) {
    return {
      id: "sandbox",
      status: "warn",
      message: "not checked: this doctor cannot inspect its runtime",
      hint: 'run "thoth doctor" itself',
    };
  }
  return sandboxCheckOf(facts);
}

/** The check for `facts`. Pure. */
export function sandboxCheckOf(facts: SandboxFacts): DoctorCheck {
  const { grants, start } = facts;
  const parts = [
    `${facts.compiled ? "compiled thoth" : "thoth from source"}, granted ${grantedText(grants)}`,
  ];
  const remedies: string[] = [];
  const launch = `${commandLineText(facts.launch)} doctor`;
  if (grants.missing.length > 0) {
    parts.push(
      `not granted ${grants.missing.join(", ")} of thoth's permission set: thoth run needs ` +
        `${grants.missing.length === 1 ? "it" : "them"} for every session`,
    );
    remedies.push(
      facts.compiled
        ? "this binary was built without thoth's permission set: install a thoth release " +
          "binary, built with exactly that set"
        : `start thoth with its permission set: ${launch}`,
    );
  }
  if (grants.broader.length > 0) {
    parts.push(
      grants.everything
        ? "granted every permission (-A or the like), more than thoth's permission set " +
          `(${grants.broader.join(", ")})`
        : `granted more than thoth's permission set: ${grants.broader.join(", ")}`,
    );
    if (grants.missing.length === 0) {
      remedies.push(
        facts.compiled
          ? "this binary was built with more than thoth's permission set: install a thoth " +
            "release binary"
          : `start thoth with its permission set only: ${launch}`,
      );
    }
  }
  parts.push(start.detail);
  if (start.outcome === "failed" && start.remedy !== null) remedies.push(start.remedy);
  const failed = grants.missing.length > 0 || start.outcome === "failed";
  const warned = grants.broader.length > 0 || start.outcome === "not_tried";
  return {
    id: "sandbox",
    status: failed ? "fail" : warned ? "warn" : "pass",
    message: parts.join("; "),
    hint: failed || warned ? remedies.join("; then ") || null : null,
  };
}
