/**
 * The ids a client may take an answer with id `id` for, as map keys (see
 * `idKey`): the id itself; for a string that reads as a number, that number
 * (the TypeScript SDK matches answers with `Number(id)`, so `"2"`, `" 2"`
 * and `"2.0"` answer its request `2`, and `""` its request `0`); for a
 * number, its decimal text (a client that compares ids as text). And
 * {@linkcode looseIdKey}: one key for all the ids such a peer takes for one
 * another, so that two requests in flight at once never share it. Pure.
 *
 * @example
 * ```ts
 * idSpellings("2"); // ["s:2", "n:2"]
 * idSpellings(2);   // ["n:2", "s:2"]
 * looseIdKey("2.0") === looseIdKey(2); // true
 * ```
 */
import { idKey, type JsonRpcId } from "./jsonrpc_id.ts";

/** The keys of the ids an answer with `id` may be taken for. */
export function idSpellings(id: JsonRpcId): string[] {
  const own = idKey(id);
  if (typeof id === "string") {
    const number = Number(id);
    return Number.isFinite(number) ? [own, idKey(number)] : [own];
  }
  const text = own.slice(2);
  return [own, idKey(text)];
}

/**
 * The key shared by every id a peer that matches ids loosely takes for
 * `idKey` (an {@linkcode idKey} result): a number's own key; a string that
 * reads as a finite number (`Number()`, as the SDK reads it: `"2"`, `" 2"`,
 * `"2.0"`, `""`) the key of that number; any other string its own key. Two
 * ids with one loose key but different keys (`2` and `"2"`) are different
 * ids to JSON-RPC and the same to such a peer.
 */
export function looseKeyOf(key: string): string {
  if (!key.startsWith("s:")) return key;
  const number = Number(key.slice(2));
  return Number.isFinite(number) ? idKey(number) : key;
}

/** {@linkcode looseKeyOf} an id. */
export function looseIdKey(id: JsonRpcId): string {
  return looseKeyOf(idKey(id));
}

/** The id an {@linkcode idKey} result stands for (a kept long integer as its rounded number). */
export function idOfKey(key: string): JsonRpcId {
  return key.startsWith("n:") ? Number(key.slice(2)) : key.slice(2);
}
