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
 * The agent ids of one config, as `wrap-config` hands them out. First the ids
 * wrapped servers already have (`keep`): those stay, whatever else is in the
 * config, since policy rules, intents and audit records name them. Then each
 * other server gets its name when `thoth run` takes it and no other server
 * has it, else the nearest free id, numbered (`notes-cafe-2`). One id per
 * name however many scopes hold it (a Claude Code server in several
 * projects is one server to policy rules and the intent map). Call `for`
 * first for the names that are valid ids, so that a name keeps its own id
 * rather than losing it to another name's derived one.
 *
 * @example
 * ```ts
 * const ids = new AgentIds();
 * ids.keep("notes café", "notes-cafe"); // wrapped earlier
 * ids.for("notes-cafe"); // "notes-cafe-2": the wrapped server has "notes-cafe"
 * ```
 */
export class AgentIds {
  readonly #taken = new Set<string>();
  readonly #byName = new Map<string, string>();

  /** Notes that the wrapped server `name` has, and keeps, the agent id `id`. */
  keep(name: string, id: string): void {
    this.#taken.add(id);
    if (!this.#byName.has(name)) this.#byName.set(name, id);
  }

  /** The id for a server named `name` that has none yet, numbered apart from every id taken. */
  for(name: string): string {
    const known = this.#byName.get(name);
    if (known !== undefined) return known;
    let id = name;
    if (!VALID.test(name)) {
      id = agentIdFor(name, this.#taken);
    } else if (this.#taken.has(name)) {
      const base = name.slice(0, 120);
      for (let n = 2; this.#taken.has(id); n++) id = `${base}-${n}`;
    }
    this.#taken.add(id);
    this.#byName.set(name, id);
    return id;
  }
}
