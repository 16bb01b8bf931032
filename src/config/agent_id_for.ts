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
 * agentIdFor("notes café", new Set(["notes-cafe"])); // "notes-cafe-2"
 * ```
 */

const VALID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * `name` when it is a valid agent id, else the nearest one; with `taken`
 * (the ids other servers in the config already have), a derived id that is
 * taken gets a number (`notes-cafe-2`), and the id chosen is added to it.
 */
export function agentIdFor(name: string, taken?: Set<string>): string {
  if (VALID.test(name)) {
    taken?.add(name);
    return name;
  }
  const base = name.normalize("NFKD").replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 120)
    .replace(/-+$/, "") || "server";
  let id = base;
  for (let n = 2; taken?.has(id); n++) id = `${base}-${n}`;
  taken?.add(id);
  return id;
}

/**
 * The agent ids of one config, as `wrap-config` hands them out: the ids
 * servers have (`keep`), and for a name `thoth run` does not take, one id per
 * name however many scopes hold it (a Claude Code server in several projects
 * is one server to policy rules and the intent map), numbered apart from
 * other names' ids.
 */
export class AgentIds {
  readonly #taken = new Set<string>();
  readonly #byName = new Map<string, string>();

  /** Notes that the server `name` has, or will keep, the agent id `id`. */
  keep(name: string, id: string): void {
    this.#taken.add(id);
    if (!this.#byName.has(name)) this.#byName.set(name, id);
  }

  /** The id for a server named `name` that has none yet. */
  for(name: string): string {
    const known = this.#byName.get(name);
    if (known !== undefined) return known;
    const id = agentIdFor(name, this.#taken);
    this.#byName.set(name, id);
    return id;
  }
}
