/**
 * Looks a host name up in DNS within a time budget, as doctor and
 * `health --probe` do before they contact the enforcer: the A and AAAA
 * queries go out together and share one deadline, so a DNS server that
 * drops queries costs the budget, not the resolver's own retries (about 30
 * seconds). A failure is a {@linkcode HostLookupError} whose message says
 * plainly what happened ("DNS lookup of enforce.acme.example.com timed out
 * after 3 s"); the resolver's own words stay in its `cause`.
 *
 * @example
 * ```ts
 * const addresses = await resolveHost("enforce.acme.example.com", { timeoutMs: 3000 });
 * ```
 */

/** Why a lookup failed, in a few words: see {@linkcode HostLookupError.reason}. */
export type HostLookupFailure = "timed_out" | "no_address" | "not_permitted" | "failed";

/** A host name that could not be looked up; `reason` is the message without the host name. */
export class HostLookupError extends Error {
  override readonly name = "HostLookupError";
  /** What happened, as a clause: "the DNS lookup timed out after 3 s". */
  readonly reason: string;
  readonly failure: HostLookupFailure;

  constructor(host: string, failure: HostLookupFailure, reason: string, cause?: unknown) {
    super(`DNS lookup of ${host} ${reason}`, cause === undefined ? undefined : { cause });
    this.failure = failure;
    this.reason = `the DNS lookup ${reason}`;
  }
}

/** How a lookup is made. */
export interface ResolveHostOptions {
  /** The budget for both queries together, in milliseconds. */
  readonly timeoutMs: number;
  /** A name server to ask instead of the system's (tests). */
  readonly nameServer?: { readonly ipAddr: string; readonly port?: number };
}

/** The longest text shown of a resolver message this module does not know. */
const SHOWN_MAX = 160;

/** The addresses of `host` (A, then AAAA); throws {@linkcode HostLookupError}. */
export async function resolveHost(
  host: string,
  options: ResolveHostOptions,
): Promise<string[]> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const query = (type: "A" | "AAAA") =>
    Deno.resolveDns(host, type, {
      signal,
      ...(options.nameServer === undefined ? {} : { nameServer: options.nameServer }),
    });
  const answers = await Promise.allSettled([query("A"), query("AAAA")]);
  const found = answers.flatMap((answer) => answer.status === "fulfilled" ? answer.value : []);
  if (found.length > 0) return found;
  const errors = answers.flatMap((answer) => answer.status === "rejected" ? [answer.reason] : []);
  throw lookupError(host, errors, signal.aborted, options.timeoutMs);
}

function lookupError(
  host: string,
  errors: readonly unknown[],
  timedOut: boolean,
  timeoutMs: number,
): HostLookupError {
  const cause = errors.find((error) => !isNoRecords(error)) ?? errors[0];
  if (timedOut || errors.some(isTimeout)) {
    return new HostLookupError(host, "timed_out", `timed out after ${seconds(timeoutMs)}`, cause);
  }
  if (
    errors.some((error) =>
      error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
    )
  ) {
    return new HostLookupError(
      host,
      "not_permitted",
      "was not made: this thoth is not permitted to use the network",
      cause,
    );
  }
  if (errors.every(isNoRecords)) {
    return new HostLookupError(host, "no_address", "found no address (no A or AAAA record)", cause);
  }
  const raw = message(cause);
  const known = /connection refused/i.test(raw)
    ? "failed: the DNS server refused the connection"
    : /network is unreachable|no route to host/i.test(raw)
    ? "failed: no DNS server can be reached from this machine"
    : /no connections available|no name ?servers?/i.test(raw)
    ? "failed: this machine has no DNS server set up"
    : null;
  return new HostLookupError(
    host,
    "failed",
    known ?? `failed (the resolver said: ${clip(raw)})`,
    cause,
  );
}

function isTimeout(error: unknown): boolean {
  if (error instanceof DOMException) {
    return error.name === "TimeoutError" || error.name === "AbortError";
  }
  return error instanceof Deno.errors.TimedOut || /timed out/i.test(message(error));
}

function isNoRecords(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound || /no records found/i.test(message(error));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `ms` in whole seconds when it is one ("3 s"), else in milliseconds ("200 ms"). */
function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** `text` on one line, control characters dropped, at most {@linkcode SHOWN_MAX} characters. */
function clip(text: string): string {
  // deno-lint-ignore no-control-regex
  const line = (text.split("\n")[0] ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  const shown = line === "" ? "no reason given" : line;
  return shown.length > SHOWN_MAX ? `${shown.slice(0, SHOWN_MAX)}…` : shown;
}
