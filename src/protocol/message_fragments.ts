/**
 * What the first and last bytes of a message too long (or too broken) to
 * parse show: its top-level id, and whether it is a request or a response.
 * Pure; only members with plain values where serializers put them are read,
 * never a nested one.
 *
 * @example
 * ```ts
 * readFragments('{"jsonrpc":"2.0","id":7,"result":{"a', 'x"}}'); // { id: 7, kind: "response" }
 * ```
 */

import { parseExactIntegers } from "./exact_integers.ts";
import { isId, type JsonRpcId } from "./jsonrpc_id.ts";

const STRING = String.raw`"(?:[^"\\]|\\.){0,256}"`;
const SCALAR = String.raw`(?:${STRING}|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)`;
/** One leading member with a plain value and the comma after it. */
const LEADING_MEMBER = new RegExp(String.raw`\s*(${STRING})\s*:\s*(${SCALAR})\s*,`, "y");
/** The key of the member after the leading ones. */
const NEXT_KEY = new RegExp(String.raw`\s*(${STRING})\s*:`, "y");
/** One member with a plain value after a comma, where the object's last members stand. */
const TRAILING_ONE = new RegExp(String.raw`,\s*${STRING}\s*:\s*${SCALAR}\s*`, "y");
/** The end of the object. */
const CLOSE = /\}\s*$/y;
const TRAILING_MEMBER = new RegExp(String.raw`(${STRING})\s*:\s*(${SCALAR})`, "g");

/** What the first and last bytes of a message too long (or too broken) to parse show. */
export interface FragmentFacts {
  /** Its top-level id, when it stands once among the members seen (a repeated id is no id). */
  id: JsonRpcId | undefined;
  /**
   * `request` (a request or notification): a top-level `method` among the
   * members seen, or `method` or `params` as the first member with a value
   * not read. `response`: `result` or `error` seen so, and no `method`.
   * `unknown`: neither seen, or the bytes are not those of one object.
   */
  kind: "request" | "response" | "unknown";
}

/**
 * Best effort: the top-level id of a message too long to parse, and whether
 * it is a request or a response, from its first and last bytes. Only a text
 * that opens an object is read (a log line that quotes a message is not),
 * and only members with plain values before the first structured one, or
 * after the last when the text closes the object (where
 * serializers put `jsonrpc`, `id` and `method`), and the key of that first
 * structured one; a nested id is never taken for the message's. An integer
 * id past 2^53 keeps its digits.
 *
 * @example
 * ```ts
 * readFragments('{"jsonrpc":"2.0","id":7,"result":{"a', 'x"}}'); // { id: 7, kind: "response" }
 * ```
 */
export function readFragments(head: string, tail: string): FragmentFacts {
  const { id, kind } = readFragmentsWithText(head, tail);
  return { id, kind };
}

/**
 * {@linkcode readFragments}, with the text the id is written in (`2.0`,
 * `"a"`) when there is one: a member read whole, never cut at the end of `head`.
 *
 * @example
 * ```ts
 * readFragmentsWithText('{"id":2.0,"result":{"a', 'x"}}').idText; // "2.0"
 * ```
 */
export function readFragmentsWithText(
  head: string,
  tail: string,
): FragmentFacts & { idText: string | undefined } {
  const open = /^\s*\{/.exec(head);
  if (open === null) return { id: undefined, idText: undefined, kind: "unknown" };
  const members = new Map<string, string>();
  const repeated = new Set<string>();
  let at = open[0].length;
  for (;;) {
    LEADING_MEMBER.lastIndex = at;
    const member = LEADING_MEMBER.exec(head);
    if (member === null) break;
    remember(members, repeated, member[1]!, member[2]!);
    at = LEADING_MEMBER.lastIndex;
  }
  NEXT_KEY.lastIndex = at;
  const next = NEXT_KEY.exec(head);
  const firstStructured = next === null ? undefined : keyText(next[1]!);
  const trailing = trailingMembers(tail);
  if (trailing) {
    for (const member of trailing.matchAll(TRAILING_MEMBER)) {
      remember(members, repeated, member[1]!, member[2]!);
    }
  }
  const raw = repeated.has("id") ? undefined : members.get("id");
  const request = members.has("method") || firstStructured === "method" ||
    firstStructured === "params";
  const response = members.has("result") || members.has("error") ||
    firstStructured === "result" || firstStructured === "error";
  const id = raw === undefined ? undefined : idOf(raw);
  return {
    id,
    idText: id === undefined ? undefined : raw,
    kind: request ? "request" : response ? "response" : "unknown",
  };
}

/**
 * The top-level id of a message from its first and last bytes (see
 * {@linkcode readFragments}); `undefined` when they do not show one.
 *
 * @example
 * ```ts
 * findIdInFragments('{"jsonrpc":"2.0","id":7,"result":{"a', 'x"}}'); // 7
 * ```
 */
export function findIdInFragments(head: string, tail: string): JsonRpcId | undefined {
  return readFragments(head, tail).id;
}

/**
 * The members with plain values that end the object, from the first comma
 * where such members run up to its closing brace; "" when none do, and
 * undefined when `tail` does not end with a brace. The whole tail is read
 * (a member past any shorter bound would go unseen), in time linear in its
 * length: a chain of members that does not reach the brace is never walked
 * again from a later member of it.
 */
function trailingMembers(tail: string): string | undefined {
  const failed = new Set<number>();
  for (let start = tail.indexOf(","); start !== -1; start = tail.indexOf(",", start + 1)) {
    const walked: number[] = [];
    let at = start;
    while (!failed.has(at)) {
      TRAILING_ONE.lastIndex = at;
      if (TRAILING_ONE.exec(tail) === null) break;
      walked.push(at);
      at = TRAILING_ONE.lastIndex;
    }
    if (!failed.has(at)) {
      CLOSE.lastIndex = at;
      if (walked.length > 0 && CLOSE.test(tail)) return tail.slice(start, at);
      failed.add(at);
    }
    for (const member of walked) failed.add(member);
  }
  return /\}\s*$/.test(tail) ? "" : undefined;
}

function remember(
  members: Map<string, string>,
  repeated: Set<string>,
  key: string,
  value: string,
): void {
  const name = keyText(key);
  if (name === undefined) return;
  if (members.has(name)) repeated.add(name);
  else members.set(name, value);
}

function keyText(quoted: string): string | undefined {
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === "string" ? key : undefined;
  } catch {
    return undefined;
  }
}

function idOf(raw: string): JsonRpcId | undefined {
  try {
    const id = parseExactIntegers(raw);
    return isId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
