/**
 * The agent id `wrap-config` gives a server from its name in the client's
 * config, when the name itself is not one `thoth run` takes (letters, digits,
 * `.`, `-`, `_`, starting with a letter or digit, at most 128 characters):
 * accents dropped, anything else a `-`; a name that is a key or token (one
 * `thoth run` refuses as an agent id, see {@linkcode KeyCheck}) gets the
 * stand-in `server`. Pure.
 *
 * @example
 * ```ts
 * agentIdFor("gdrive"); // "gdrive"
 * agentIdFor("notes-café"); // "notes-cafe"
 * agentIdFor("My Notes (work)"); // "My-Notes-work"
 * agentIdFor("日本語"); // "server"
 * agentIdFor("sk_live_SECRETSECRET0123456789"); // "server": a name that is a key
 * agentIdFor("pg-asia-east"); // "pg-asia-east": thoth run takes it
 * agentIdFor("notes café", new Set(["notes-cafe"])); // "notes-cafe-2"
 * ```
 */

import { hidden, prefixedRandomKey } from "../identity/shown_env_value.ts";
import { KEY_FALLBACK_ID } from "../proxy/derive_agent_id.ts";

const VALID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Whether a server's name is a key or token that `thoth run` refuses as an
 * agent id: such a name is never written as `--agent-id`, where every process
 * listing would show it; the server gets the stand-in
 * {@linkcode KEY_FALLBACK_ID} (`server`, numbered when taken), as `thoth run`
 * names a server whose command is a key. The whole test is `flaggedAsKey`
 * (`identity/id_flagged_as_key.ts`, which loads the key detectors): what
 * `wrap-config` passes. Without one, the part of it that loads no detector
 * is used (`prefixedRandomKey`: an issuer's prefix and a random key body), as
 * `thoth run` judges its flags before the session is prepared; this module is
 * on `thoth run`'s main thread (the intent map names servers by it).
 */
export type KeyCheck = (name: string) => boolean;

/** Why a key-shaped name got the stand-in id, naming the name by fingerprint only. */
export function keyShapedNameWhy(name: string): string {
  return `the server's name in the config, ${hidden(name)}, is a key or token (thoth run ` +
    "refuses it as an agent id), so thoth names it by no part of it; rename the entry and " +
    "wrap again to give it a name of its own (and if it is a key, revoke it: it may have " +
    "been exposed)";
}

/**
 * `name` when it is a valid agent id, else the nearest one; with `taken`
 * (the ids other servers in the config already have), a derived id that is
 * taken gets a number (`notes-cafe-2`), and the id chosen is added to it.
 */
export function agentIdFor(
  name: string,
  taken?: Set<string>,
  isKey: KeyCheck = prefixedRandomKey,
): string {
  const keyShaped = isKey(name);
  if (VALID.test(name) && !keyShaped) {
    taken?.add(name);
    return name;
  }
  const cleaned = keyShaped ? "" : name.normalize("NFKD").replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 120)
    .replace(/-+$/, "");
  const base = cleaned === "" || isKey(cleaned) ? KEY_FALLBACK_ID : cleaned;
  let id = base;
  for (let n = 2; taken?.has(id); n++) id = `${base}-${n}`;
  taken?.add(id);
  return id;
}

/** What a server starts and where it is defined, to tell servers of one name apart. */
export interface ServerScope {
  /** The upstream command and its arguments (after thoth's `--` once wrapped). */
  upstream: readonly string[];
  /** The Claude Code project the entry belongs to, or undefined for the user scope. */
  project?: string;
}

/**
 * The agent ids of one config, as `wrap-config` hands them out. First the ids
 * wrapped servers already have (`keep`): those stay, whatever else is in the
 * config, since policy rules, intents and audit records name them. Then each
 * other server gets its name when `thoth run` takes it and no other server
 * has it, else the nearest free id, numbered (`notes-cafe-2`). One id per
 * name and command however many scopes hold it (a Claude Code server in
 * several projects is one server to policy rules and the intent map). A
 * server of the same name that starts another command (`git` in two projects,
 * each its own `git` server) is another server: it gets the name and its
 * project's folder name (`git-web` for `/home/ana/web`; a numbered id outside
 * a project), numbered when taken, so that no two servers share an id (what
 * `thoth status` reports as drift). The first such server in the config, or
 * the one already wrapped, keeps the plain name. Call `for` first for the
 * names that are valid ids, so that a name keeps its own id rather than
 * losing it to another name's derived one.
 *
 * @example
 * ```ts
 * const ids = new AgentIds();
 * ids.keep("notes café", "notes-cafe"); // wrapped earlier
 * ids.for("notes-cafe"); // "notes-cafe-2": the wrapped server has "notes-cafe"
 * ids.for("git", { upstream: ["git-mcp"], project: "/home/ana/app" }); // "git"
 * ids.for("git", { upstream: ["uvx", "mcp-git"], project: "/home/ana/web" }); // "git-web"
 * ```
 */
export class AgentIds {
  readonly #taken = new Set<string>();
  /** Per name, the id of each command it starts (`undefined`: any command). */
  readonly #byName = new Map<string, { upstream: string | undefined; id: string }[]>();
  /** Why an id is not the server's plain one, by name and command. */
  readonly #why = new Map<string, string>();
  /** Whether a name is a key `thoth run` refuses (see {@linkcode KeyCheck}). */
  readonly #isKey: KeyCheck;

  /** `isKey`: the key test names are judged by (`wrap-config` passes `flaggedAsKey`). */
  constructor(isKey: KeyCheck = prefixedRandomKey) {
    this.#isKey = isKey;
  }

  /**
   * Notes that the wrapped server `name` (starting `upstream`, when given)
   * has, and keeps, the agent id `id`.
   */
  keep(name: string, id: string, upstream?: readonly string[]): void {
    this.#taken.add(id);
    const ids = this.#byName.get(name) ?? [];
    const key = upstream === undefined ? undefined : JSON.stringify(upstream);
    if (!ids.some((known) => known.upstream === key)) ids.push({ upstream: key, id });
    this.#byName.set(name, ids);
  }

  /** Whether a server named `name` has an id here already, for any command. */
  has(name: string): boolean {
    return (this.#byName.get(name)?.length ?? 0) > 0;
  }

  /**
   * The id for a server named `name` that has none yet, numbered apart from
   * every id taken; with `scope`, apart from the servers of that name that
   * start another command.
   */
  for(name: string, scope?: ServerScope): string {
    const ids = this.#byName.get(name) ?? [];
    const key = scope === undefined ? undefined : JSON.stringify(scope.upstream);
    const known = ids.find((known) =>
      key === undefined || known.upstream === undefined || known.upstream === key
    );
    if (known !== undefined) return known.id;
    let id = name;
    if (ids.length > 0) {
      // The same name starting another command: another server, so another id.
      const folder = scope?.project?.split(/[\\/]/).filter((part) => part !== "").pop();
      const own = agentIdFor(name, undefined, this.#isKey);
      id = agentIdFor(folder === undefined ? own : `${own}-${folder}`, undefined, this.#isKey);
      const stem = id.slice(0, 120);
      for (let n = 2; this.#taken.has(id); n++) id = `${stem}-${n}`;
      this.#why.set(
        `${name}\0${key}`,
        `"${name}" elsewhere in the config starts another command as "${ids[0]!.id}"`,
      );
    } else if (this.#isKey(name)) {
      id = agentIdFor(name, this.#taken, this.#isKey);
      this.#why.set(`${name}\0${key}`, keyShapedNameWhy(name));
    } else if (!VALID.test(name)) {
      id = agentIdFor(name, this.#taken, this.#isKey);
    } else if (this.#taken.has(name)) {
      const base = name.slice(0, 120);
      for (let n = 2; this.#taken.has(id); n++) id = `${base}-${n}`;
    }
    this.#taken.add(id);
    ids.push({ upstream: key, id });
    this.#byName.set(name, ids);
    return id;
  }

  /**
   * The names of the servers that have the agent id `id` here (kept or
   * handed out so far), in the order they got it.
   */
  namesWith(id: string): string[] {
    const names: string[] = [];
    for (const [name, ids] of this.#byName) {
      if (ids.some((known) => known.id === id)) names.push(name);
    }
    return names;
  }

  /**
   * Why `for(name, scope)` gave another id than the server's plain one because
   * a server of that name starts another command; undefined when it did not.
   */
  whyNotPlain(name: string, scope: ServerScope): string | undefined {
    return this.#why.get(`${name}\0${JSON.stringify(scope.upstream)}`);
  }
}
