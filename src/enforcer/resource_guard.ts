/**
 * thoth's own files, guarded for the requests that read or watch a resource
 * (`resources/read`, `resources/subscribe`) as they are for a tool call's
 * arguments (see `own_files.ts`): a server runs as the same user as thoth,
 * so one that serves files would otherwise hand the model thoth's audit keys
 * or approval answers, and a client's model can ask for any URI (Claude
 * Code gives it a tool that reads resources). The request's params are read
 * as a call's arguments are, every string in them: `file:` URLs, percent
 * escapes, `~` and the rest, and a key that only differs from `uri` by case
 * too. The same four protections apply (the profile, the files that govern
 * thoth, the clients' configs and their project configs), whatever the mode
 * and whatever the policy says. Pure: the protections were compiled with the
 * session's policy.
 *
 * @example
 * ```ts
 * const guard = resourceGuard(compiledPolicy);
 * guard({ uri: "file:///home/ana/.thoth/keys/audit-hmac.key" });
 * // { ruleId: "thoth.own_files", reaches: 'thoth\'s own profile folder "/home/ana/.thoth"' }
 * guard({ uri: "file:///home/ana/notes.md" }); // undefined
 * ```
 */
import type { CompiledPolicy } from "../policy/compiled_policy.ts";
import { firstReached, type OwnFiles, ownFilesEvaluation } from "../policy/own_files.ts";

/** Why a request that names a resource is refused. */
export interface ResourceRefusal {
  /** `thoth.own_files` or `thoth.client_config`. */
  ruleId: string;
  /**
   * What the request reaches, in words for the person at the machine (it
   * names the path, so it never goes on the wire).
   */
  reaches: string;
}

/** Checks a resource request's params: why it is refused, or undefined. */
export type ResourceGuard = (params: unknown) => ResourceRefusal | undefined;

/** The guard over the protections `policy` was compiled with. */
export function resourceGuard(
  policy: Pick<CompiledPolicy, "ownFiles" | "governingFiles" | "clientConfigs" | "projectConfigs">,
): ResourceGuard {
  const protections = [
    policy.ownFiles,
    policy.governingFiles,
    policy.clientConfigs,
    policy.projectConfigs,
  ];
  return (params) => {
    if (params === undefined || params === null) return undefined;
    const own = firstReached(protections, params);
    if (own === undefined) return undefined;
    return { ruleId: ownFilesEvaluation(own).ruleIds[0]!, reaches: reachedWords(own) };
  };
}

/** What `own` guards, in words. */
function reachedWords(own: Pick<OwnFiles, "kind" | "folder">): string {
  const folder = JSON.stringify(own.folder);
  switch (own.kind) {
    case "profile":
      return `thoth's own profile folder ${folder} (its audit log and keys, approval answers ` +
        "and progressive counters)";
    case "governing_file":
      return `a file that governs thoth (${folder} or another)`;
    case "client_config":
      return `an MCP client's config file (${folder} or another client's)`;
    case "project_config":
      return "an MCP client's project config (a .mcp.json, .cursor/mcp.json, .vscode/mcp.json " +
        "or .claude/settings.json in any folder)";
  }
}
