/**
 * The ids a client may take an answer with id `id` for, as map keys (see
 * `idKey`): the id itself; for a string that reads as a number, that number
 * (the TypeScript SDK matches answers with `Number(id)`, so `"2"`, `" 2"`
 * and `"2.0"` answer its request `2`, and `""` its request `0`); for a
 * number, its decimal text (a client that compares ids as text). Pure.
 *
 * @example
 * ```ts
 * idSpellings("2"); // ["s:2", "n:2"]
 * idSpellings(2);   // ["n:2", "s:2"]
 * ```
 */
import { idKey, type JsonRpcId } from "./jsonrpc_message.ts";

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
