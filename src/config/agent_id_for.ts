/**
 * The agent id `wrap-config` gives a server from its name in the client's
 * config, when the name itself is not one `thoth run` takes (letters, digits,
 * `.`, `-`, `_`, starting with a letter or digit, at most 128 characters):
 * accents dropped, anything else a `-`. Pure.
 *
 * @example
 * ```ts
 * agentIdFor("gdrive"); // "gdrive"
 * agentIdFor("notes-café"); // "notes-cafe"
 * agentIdFor("My Notes (work)"); // "My-Notes-work"
 * agentIdFor("日本語"); // "server"
 * ```
 */

const VALID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `name` when it is a valid agent id, else the nearest one. */
export function agentIdFor(name: string): string {
  if (VALID.test(name)) return name;
  const id = name.normalize("NFKD").replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 128)
    .replace(/-+$/, "");
  return id === "" ? "server" : id;
}
