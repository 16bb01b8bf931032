/**
 * A place in a policy file as its messages name it: `rules[0].match.args.n`,
 * a key that is no plain name quoted (`intents["a b"]`), `(policy)` for the
 * whole. Pure.
 *
 * @example
 * ```ts
 * policyKeyPath(["rules", 0, "match", "args", "a.b"]); // 'rules[0].match.args["a.b"]'
 * ```
 */

/** `path` (keys and indexes from the policy's top) as a policy message names it. */
export function policyKeyPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(policy)";
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out === "" ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}
