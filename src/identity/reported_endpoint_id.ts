/**
 * The endpoint id as `thoth doctor` and `thoth health` report it: the one
 * `thoth run` would record (see `judgeEndpointId`), judged by the same key
 * test `thoth run` validates its environment with (`flaggedAsKey`), or, when
 * the managed-id variable that decides is set but not a valid id, that
 * variable's problem as the environment check words it (a key shown by
 * fingerprint only). Such a variable is never passed over for the next
 * source: `thoth run` refuses to start with it, so no id would be recorded.
 * Pure: the sources are read by the caller.
 *
 * @example
 * ```ts
 * reportedEndpointId({ env: { THOTH_INTUNE_DEVICE_ID: "bad id" }, machineId: null, hostname: "h" }).problem?.message;
 * // 'THOTH_INTUNE_DEVICE_ID "bad id" is not valid: it must be 1 to 128 letters, …'
 * ```
 */
import {
  type EndpointIdentity,
  type EndpointIdSources,
  judgeEndpointId,
  type ManagedIdVariable,
} from "./endpoint_identity.ts";
import { flaggedAsKey } from "./id_flagged_as_key.ts";
import { type EnvProblem, validateThothEnv } from "./validate_thoth_env.ts";

/** The id to report, or the managed-id variable that stops it and why. */
export type ReportedEndpointId =
  | { readonly identity: EndpointIdentity | null; readonly problem: null }
  | {
    readonly identity: null;
    readonly problem: EnvProblem & { readonly variable: ManagedIdVariable };
  };

/** The endpoint id `thoth run` would record, or why it would record none. */
export function reportedEndpointId(
  sources: EndpointIdSources,
  os: string = Deno.build.os,
): ReportedEndpointId {
  const judged = judgeEndpointId(sources, flaggedAsKey);
  if (judged === null || !("invalid" in judged)) return { identity: judged, problem: null };
  const variable = judged.invalid;
  const checked = validateThothEnv({ [variable]: sources.env[variable] }, os);
  const problem = checked.ok ? undefined : checked.problems[0];
  return {
    identity: null,
    problem: {
      variable,
      shownValue: problem?.shownValue ?? "",
      rule: problem?.rule ?? "a valid id",
      message: problem?.message ?? `${variable} is not valid`,
    },
  };
}
