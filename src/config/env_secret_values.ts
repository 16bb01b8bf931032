/**
 * The values of a config's `"env"` objects that a printed diff must not show:
 * each value of a credential variable (`THOTH_API_KEY`, the tokens, the
 * `…_FILE` variables that name where one is kept, see
 * `identity/credential_variables.ts`), and any value that looks like a key or
 * token whatever its variable (see `looksLikeSecret`). Every `"env"` object
 * of the text counts, at any depth, so the servers of every client's layout
 * are covered. Empty values are left out. Pure.
 *
 * @example
 * ```ts
 * envSecretValues('{"mcpServers": {"fs": {"env": {"THOTH_API_KEY": "k-1", "LOG": "debug"}}}}');
 * // ["k-1"]
 * ```
 */
import { type Node, parseTree } from "jsonc-parser";
import { isCredentialVariable } from "../identity/credential_variables.ts";
import { looksLikeSecret } from "../identity/shown_env_value.ts";
import { isEnvCredential } from "./env_credentials.ts";

/** The secret `"env"` values of `text` (a JSON or JSONC config), each once. */
export function envSecretValues(text: string): string[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const found = new Set<string>();
  const visit = (node: Node | undefined): void => {
    if (node === undefined) return;
    if (node.type === "property") {
      const [key, value] = node.children ?? [];
      if (key?.value === "env" && value?.type === "object") collect(value, found);
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return [...found];
}

/** Adds the secret values of the `"env"` object `env` to `found`. */
function collect(env: Node, found: Set<string>): void {
  for (const property of env.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value !== "string" || value?.type !== "string") continue;
    const text = value.value;
    if (typeof text !== "string" || text === "") continue;
    if (isCredentialVariable(key.value) || isEnvCredential(key.value) || looksLikeSecret(text)) {
      found.add(text);
    }
  }
}
