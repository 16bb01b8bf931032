/**
 * What thoth says when it refuses a client request that is not a decided
 * `tools/call`: a resource request that reaches the files thoth protects
 * (see `resource_guard.ts`), and a method that differs from a governed one
 * only by case, white space or characters drawn as nothing (see
 * `method_variant.ts`). A note for the person at the machine (stderr: it may
 * name the path), the error message the client gets (the wire: it names no
 * path and no value but the method), and the reason the audit record keeps.
 * Pure.
 *
 * @example
 * ```ts
 * resourceRefusedWire("resources/read", "thoth.own_files");
 * // "thoth refused this resources/read: the resource is among thoth's own files, …"
 * ```
 */
import type { ResourceRefusal } from "../enforcer/resource_guard.ts";

/** The rule of a method refused as a variant of a governed one. */
export const METHOD_VARIANT_RULE = "thoth.method_variant";

/** The rule of a request refused before it could be decided (unreadable, ambiguous). */
export const INVALID_REQUEST_RULE = "thoth.invalid_request";

/** The rule of a resource request refused because its check failed (fail closed). */
export const GUARD_FAILED_RULE = "enforcer.error";

/** A method as prose shows it: quoted, every character outside ASCII as `\uXXXX`, cut at 80. */
export function shownMethod(method: string): string {
  const kept = method.length <= 80 ? method : method.slice(0, 79);
  const quoted = JSON.stringify(kept).replace(
    /[^ -~]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return kept === method ? quoted : `${quoted}…`;
}

/** Why a resource request was refused, for the audit record and the note. */
export function resourceRefusedReason(refusal: ResourceRefusal): string {
  return refusal.ruleId === GUARD_FAILED_RULE
    ? refusal.reaches
    : `its params reach ${refusal.reaches}, which thoth protects in every mode`;
}

/** The stderr line of a resource request thoth refused. */
export function resourceRefusedNote(
  method: string,
  id: unknown,
  refusal: ResourceRefusal,
): string {
  return `refused the client's ${method} request ${JSON.stringify(id)} (rule ${refusal.ruleId}): ` +
    `${resourceRefusedReason(refusal)}; it was not forwarded`;
}

/**
 * The error message the client gets for it: no path, no value. A
 * `prompts/get` is refused for what its arguments name.
 */
export function resourceRefusedWire(method: string, ruleId: string): string {
  const prompt = method === "prompts/get";
  const what = ruleId === GUARD_FAILED_RULE
    ? `thoth could not check which files the ${
      prompt ? "prompt's arguments reach" : "resource reaches"
    }, and refuses what it cannot check`
    : ruleId === "thoth.own_files"
    ? `${
      prompt ? "a prompt argument names one of" : "the resource is among"
    } thoth's own files, which thoth protects in every mode`
    : `${
      prompt ? "a prompt argument names" : "the resource is"
    } an MCP client's configuration, which thoth protects in every mode`;
  return `thoth refused this ${method}: ${what} (rule "${ruleId}"). This is not a server ` +
    "failure: do not retry it or work around it.";
}

/** Why a method variant is refused, for the audit record and the note. */
export function variantReason(method: string, governed: string): string {
  return `the method ${shownMethod(method)} differs from "${governed}" only by case, white ` +
    `space or characters drawn as nothing, and a server may read it as "${governed}"`;
}

/** The stderr line of a request (or notification, `id` undefined) refused as a method variant. */
export function variantNote(method: string, id: unknown, governed: string): string {
  const what = id === undefined ? "a notification" : `request ${JSON.stringify(id)}`;
  return `refused the client's ${what} (rule ${METHOD_VARIANT_RULE}): ` +
    `${variantReason(method, governed)}; it was not forwarded`;
}

/** The error message the client gets for it. */
export function variantWire(method: string, governed: string): string {
  return `Invalid Request: thoth refused the method ${shownMethod(method)}: it differs from ` +
    `"${governed}" only by case, white space or invisible characters; send "${governed}" ` +
    "exactly as written";
}
