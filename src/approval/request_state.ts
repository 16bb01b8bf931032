/**
 * The integrity-protected, single-use `requestState` thoth hands a
 * 2026-07-28 client in an `input_required` result. The client must echo it
 * verbatim when it retries the call; it is client-controlled input, so it is
 * HMAC-SHA256 sealed under a key only this process holds, bound to the
 * grant digest (server, tool, canonical arguments) and the decision id,
 * limited by an expiry, and spent on first use. Sealed, not encrypted: it
 * carries no secrets.
 *
 * Format: `thoth1.<base64url payload JSON>.<base64url HMAC of "thoth1." + payload>`.
 *
 * @example
 * ```ts
 * const sealer = await RequestStateSealer.create();
 * const state = await sealer.seal({ digest, decisionId: "d-1", expiresAt: now + 300_000 });
 * (await sealer.check(state, digest, now)).ok; // true; checking spends nothing
 * (await sealer.claim(state, digest, now)).ok; // true; spent now, as it opened
 * (await sealer.open(state, digest, now)).ok; // false: "used"
 * ```
 */

/** What a sealed state binds. */
export interface RequestStateClaims {
  digest: string;
  decisionId: string;
  /** Epoch milliseconds when the question was put (for the answer's latency). */
  issuedAt?: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Why a state did not open. */
export type RequestStateProblem = "malformed" | "bad_mac" | "expired" | "used" | "other_arguments";

/** The result of {@linkcode RequestStateSealer.open}. */
export type OpenedState =
  | { ok: true; claims: RequestStateClaims }
  | { ok: false; problem: RequestStateProblem };

const PREFIX = "thoth1.";
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Seals and opens request states under one HMAC key. */
export class RequestStateSealer {
  readonly #key: CryptoKey;
  readonly #random: (bytes: Uint8Array) => Uint8Array;
  /** Nonces spent, with their expiry, so they can be forgotten once expired. */
  readonly #spent = new Map<string, number>();

  private constructor(key: CryptoKey, random: (bytes: Uint8Array) => Uint8Array) {
    this.#key = key;
    this.#random = random;
  }

  /** A sealer with `keyBytes` (at least 32 bytes), or a fresh random key. */
  static async create(
    keyBytes?: Uint8Array,
    random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
  ): Promise<RequestStateSealer> {
    const raw = keyBytes ?? random(new Uint8Array(32));
    if (raw.length < 32) throw new RangeError("a request state key needs at least 32 bytes");
    const key = await crypto.subtle.importKey(
      "raw",
      raw as Uint8Array<ArrayBuffer>,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    return new RequestStateSealer(key, random);
  }

  /** Whether `state` looks like one of thoth's (it may still fail to open). */
  static isThoth(state: unknown): state is string {
    return typeof state === "string" && state.startsWith(PREFIX);
  }

  /** Seals `claims` with a fresh nonce. */
  async seal(claims: RequestStateClaims): Promise<string> {
    const nonce = toBase64Url(this.#random(new Uint8Array(16)));
    const payload = toBase64Url(encoder.encode(JSON.stringify({
      v: 1,
      n: nonce,
      d: claims.digest,
      i: claims.decisionId,
      e: claims.expiresAt,
      ...(claims.issuedAt === undefined ? {} : { t: claims.issuedAt }),
    })));
    const mac = new Uint8Array(
      await crypto.subtle.sign("HMAC", this.#key, encoder.encode(PREFIX + payload)),
    );
    return `${PREFIX}${payload}.${toBase64Url(mac)}`;
  }

  /**
   * Opens `state` for a call with `digest` at `now`. A state that verifies is
   * spent, even when refused for other arguments, so it cannot be probed.
   */
  open(state: string, digest: string, now: number): Promise<OpenedState> {
    return this.#read(state, digest, now, "always");
  }

  /**
   * Opens `state` as {@linkcode open} does, but spends it only when it opens:
   * how a retry reserves the answer it carries when it is recognised, before
   * it is decided, so that of two retries carrying one state only the first
   * is the call that asked. A state refused here is left for `open` to refuse
   * (and spend) with its own reason.
   */
  claim(state: string, digest: string, now: number): Promise<OpenedState> {
    return this.#read(state, digest, now, "if_opened");
  }

  /**
   * Whether `state` would open for a call with `digest` at `now`, without
   * spending it: how a retry is recognised before it is decided.
   */
  check(state: string, digest: string, now: number): Promise<OpenedState> {
    return this.#read(state, digest, now, "never");
  }

  /**
   * The claims `state` carries when this sealer issued it (its MAC holds),
   * whether or not it would open now (expired, used, for other arguments);
   * undefined for anything else. Spends nothing: how a refused retry is
   * recorded against the call that asked.
   */
  async authentic(state: string): Promise<RequestStateClaims | undefined> {
    const opened = await this.#read(state, undefined, -Infinity, "never", true);
    return opened.ok ? opened.claims : undefined;
  }

  async #read(
    state: string,
    digest: string | undefined,
    now: number,
    spend: "always" | "if_opened" | "never",
    claimsOnly = false,
  ): Promise<OpenedState> {
    for (const [nonce, expiry] of this.#spent) if (expiry < now) this.#spent.delete(nonce);
    if (!state.startsWith(PREFIX) || state.length > 2048) {
      return { ok: false, problem: "malformed" };
    }
    const parts = state.slice(PREFIX.length).split(".");
    if (parts.length !== 2) return { ok: false, problem: "malformed" };
    const [payload, macText] = parts as [string, string];
    const mac = fromBase64Url(macText);
    const body = fromBase64Url(payload);
    if (mac === null || body === null) return { ok: false, problem: "malformed" };
    const valid = await crypto.subtle.verify(
      "HMAC",
      this.#key,
      mac as Uint8Array<ArrayBuffer>,
      encoder.encode(PREFIX + payload),
    );
    if (!valid) return { ok: false, problem: "bad_mac" };
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(decoder.decode(body));
    } catch {
      return { ok: false, problem: "malformed" };
    }
    const { n, d, i, e, t } = value;
    if (
      value["v"] !== 1 || typeof n !== "string" || typeof d !== "string" ||
      typeof i !== "string" || typeof e !== "number" ||
      (t !== undefined && typeof t !== "number")
    ) {
      return { ok: false, problem: "malformed" };
    }
    const claims = {
      digest: d,
      decisionId: i,
      expiresAt: e,
      ...(t === undefined ? {} : { issuedAt: t }),
    };
    if (claimsOnly) return { ok: true, claims };
    if (now > e) return { ok: false, problem: "expired" };
    if (this.#spent.has(n)) return { ok: false, problem: "used" };
    if (spend === "always") this.#spent.set(n, e);
    if (d !== digest) return { ok: false, problem: "other_arguments" };
    if (spend === "if_opened") this.#spent.set(n, e);
    return { ok: true, claims };
  }
}
