/**
 * Grants a person gave, bound to the digest of (server, tool, canonical
 * arguments). A single-use grant is spent by the first call it admits; a
 * session grant ("allow for this session") admits every call with the same
 * digest until the store (one approver, one session) is dropped. A grant for
 * other arguments is refused. Pure: time is passed in.
 *
 * @example
 * ```ts
 * const grants = new GrantStore();
 * const id = grants.issue({ digest, scope: "once", expiresAt: now + 30_000, approver: "ana", channel: "queue" });
 * grants.redeem(id, digest, now).ok; // true
 * grants.redeem(id, digest, now).ok; // false: already used
 * ```
 */

/** What a grant covers. */
export type GrantScope = "once" | "session";

/** One grant as issued. */
export interface Grant {
  id: string;
  digest: string;
  scope: GrantScope;
  /** Epoch milliseconds after which the grant admits nothing (`Infinity` for session grants). */
  expiresAt: number;
  approver: string;
  channel: string;
}

/** The result of redeeming a grant. */
export type Redeemed =
  | { ok: true; grant: Grant }
  | { ok: false; problem: "unknown" | "used" | "expired" | "other_arguments" };

/** The grants of one approval session. */
export class GrantStore {
  readonly #grants = new Map<string, Grant>();
  readonly #used = new Set<string>();
  /** Grants withdrawn for a while (see {@linkcode GrantStore.restore}). */
  readonly #withdrawn = new Map<string, Grant>();
  #counter = 0;

  /** Records a grant; returns its id. */
  issue(grant: Omit<Grant, "id">): string {
    const id = `g${++this.#counter}`;
    this.#grants.set(id, { ...grant, id });
    return id;
  }

  /**
   * Admits one call with `digest` under grant `id`. A single-use grant is
   * spent (even when refused for other arguments, so a probe cannot retry).
   */
  redeem(id: string, digest: string, now: number): Redeemed {
    if (this.#used.has(id)) return { ok: false, problem: "used" };
    const grant = this.#grants.get(id);
    if (grant === undefined) return { ok: false, problem: "unknown" };
    if (grant.scope === "once") {
      this.#grants.delete(id);
      this.#used.add(id);
    }
    if (now > grant.expiresAt) return { ok: false, problem: "expired" };
    if (grant.digest !== digest) return { ok: false, problem: "other_arguments" };
    return { ok: true, grant };
  }

  /** The session grant that covers `digest`, if any. */
  sessionGrant(digest: string, now: number): Grant | undefined {
    for (const grant of this.#grants.values()) {
      if (grant.scope === "session" && grant.digest === digest && now <= grant.expiresAt) {
        return grant;
      }
    }
    return undefined;
  }

  /**
   * Withdraws grant `id`: it admits nothing until {@linkcode GrantStore.restore}
   * gives it back (a grant withdrawn for good is simply never restored).
   */
  revoke(id: string): void {
    const grant = this.#grants.get(id);
    if (grant === undefined) return;
    this.#grants.delete(id);
    this.#withdrawn.set(id, grant);
  }

  /** Gives back a grant {@linkcode GrantStore.revoke} withdrew (not after `clear`). */
  restore(id: string): void {
    const grant = this.#withdrawn.get(id);
    if (grant === undefined) return;
    this.#withdrawn.delete(id);
    this.#grants.set(id, grant);
  }

  /** Drops every grant (the session ended). */
  clear(): void {
    for (const id of this.#grants.keys()) this.#used.add(id);
    for (const id of this.#withdrawn.keys()) this.#used.add(id);
    this.#grants.clear();
    this.#withdrawn.clear();
  }
}
