/**
 * Method names that differ from a method thoth governs only in ways a
 * lenient server may not see: case (`Tools/Call`, `TOOLS/CALL`; Go's
 * `strings.EqualFold` and Python's `casefold` also read `ſ` as `s` and the
 * Kelvin sign as `k`), white space around it (`"tools/call "`, which a
 * server that trims reads as `tools/call`), and characters drawn as nothing
 * (`tools/call\u200b`, a soft hyphen, a byte order mark, a control
 * character). thoth compares methods exactly, so such a request would pass
 * ungoverned and unrecorded to a server that reads it as the governed one:
 * it is refused instead, as keys that differ from `method` or `name` only by
 * case are (see `key_case.ts`). Pure.
 *
 * Cheap for every other method: one that is shorter than the shortest
 * governed name, or written as MCP writes its methods (lower-case ASCII
 * letters, `/` and `_` only) cannot fold to a governed name it is not, and
 * is never folded.
 *
 * @example
 * ```ts
 * governedVariant("Tools/Call");        // "tools/call"
 * governedVariant("tools/call\u200b");  // "tools/call"
 * governedVariant("tools/call");        // undefined: the method itself
 * governedVariant("resources/list");    // undefined
 * ```
 */
import { foldKey } from "./key_case.ts";

/**
 * The client requests thoth governs: `tools/call`, decided by the enforcer,
 * and the requests that read what a server holds outside a tool call, which
 * thoth checks and records (see `client_request_records.ts`).
 */
export const GOVERNED_METHODS: ReadonlySet<string> = new Set([
  "tools/call",
  "resources/read",
  "resources/subscribe",
  "prompts/get",
  "completion/complete",
]);

/** The length of the shortest governed name: folding never makes a name longer. */
const SHORTEST = Math.min(...[...GOVERNED_METHODS].map((method) => method.length));

/** A method as MCP writes its own: nothing in it folds. */
const PLAIN = /^[a-z/_]+$/;

/** What a lenient reader may not see in a name: controls, format and default-ignorable characters. */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * The governed method `method` folds to (case, surrounding white space,
 * controls and characters drawn as nothing left out) when it is not that
 * method itself; undefined otherwise.
 */
export function governedVariant(method: string): string | undefined {
  if (method.length < SHORTEST || PLAIN.test(method)) return undefined;
  const folded = foldKey(method.replace(UNSEEN, "").trim());
  return GOVERNED_METHODS.has(folded) ? folded : undefined;
}
