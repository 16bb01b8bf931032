/**
 * A message whose envelope names a key twice (`{"id":5,"result":…,"id":7}`,
 * also `"i\u0064"`): `JSON.parse` keeps the last, other readers keep the
 * first or refuse the line, so the message answers different requests to
 * different readers. Only the outermost object counts: a result may repeat
 * a key inside it, which concerns no one but its reader. Pure.
 *
 * A cheap look at the text comes first: the envelope can repeat a key only
 * if the text spells one of them twice, or spells a `\u` escape (a key may
 * be written with one); only then are the top-level keys read.
 *
 * @example
 * ```ts
 * const text = '{"jsonrpc":"2.0","id":5,"result":{},"id":7}';
 * repeatedEnvelopeKey(new TextEncoder().encode(text), text); // "id"
 * ```
 */
import { topLevelKeys } from "./top_level_keys.ts";

/** The keys a JSON-RPC envelope is read by. */
const ENVELOPE = new Set(["jsonrpc", "id", "method", "params", "result", "error"]);

/** The envelope keys, in the order of {@linkcode SPELLED}'s alternatives (a bit each). */
const KEYS = ["jsonrpc", "id", "method", "params", "result", "error"];

/** An envelope key, as text spells it plainly. */
const SPELLED = /"(jsonrpc|id|method|params|result|error)"/g;

/**
 * The envelope key `line` (whose text is `text`) names twice in its
 * outermost object, or undefined.
 */
export function repeatedEnvelopeKey(line: Uint8Array, text: string): string | undefined {
  if (!mayRepeat(text)) return undefined;
  const top = topLevelKeys([line]);
  if (top === undefined) return undefined;
  const seen = new Set<string>();
  for (const key of top.keys) {
    if (!ENVELOPE.has(key)) continue;
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

/**
 * Whether the text spells an envelope key twice, or holds a `\u` escape.
 * Every server line passes here: one `exec` loop with the keys seen as bits,
 * no iterator and no set (a third of the cost of `matchAll` measured).
 */
function mayRepeat(text: string): boolean {
  if (text.includes("\\u")) return true;
  let seen = 0;
  SPELLED.lastIndex = 0;
  for (let match = SPELLED.exec(text); match !== null; match = SPELLED.exec(text)) {
    const bit = 1 << KEYS.indexOf(match[1]!);
    if ((seen & bit) !== 0) {
      SPELLED.lastIndex = 0;
      return true;
    }
    seen |= bit;
  }
  return false;
}
