/**
 * What an HTTP answer to doctor's probe of a service's root says about the
 * service, as data. The probe is a GET with no credentials, so a healthy
 * API may well refuse it: any 2xx, a 4xx (401 or 403: it wants credentials;
 * 404 or 405: nothing at its root) and a redirect that stays on the URL's
 * origin (same scheme, host and port) all show a server that is there and
 * works. A server error (5xx), throttling (429), a proxy on the way that
 * wants credentials (407) or a server that does not serve this host (421)
 * is an answer, but not a healthy one. A redirect off the origin (another
 * host: a captive portal, a parked domain; or plain HTTP, another port)
 * means what answered is not the service: it is named, never followed.
 * Pure: the status and the `Location` header are passed in.
 *
 * @example
 * ```ts
 * rateHttpAnswer("https://enforce.acme.example.com", 302, "https://portal.example.net/login?x=1");
 * // { rating: "elsewhere", detail: "HTTP 302 redirects to another host: https://portal.example.net/login?…" }
 * ```
 */

/** How an answer rates: see the module's comment. */
export type AnswerRating = "healthy" | "unhealthy" | "elsewhere";

/** An answer's rating, and what to show of it ("HTTP 404", "HTTP 503 (a server error)", …). */
export interface RatedAnswer {
  readonly rating: AnswerRating;
  readonly detail: string;
}

/** The longest redirect target shown, in characters. */
const SHOWN_MAX = 200;

/** Statuses that come from a server that is there but not well, with what they mean. */
const UNHEALTHY: Readonly<Record<number, string>> = {
  407: "a proxy between this machine and the server wants credentials",
  421: "the server there does not serve this host name",
  429: "too many requests: the server is throttling",
};

/** Rates the answer `status` (with its `Location` header, if any) to a GET of `url`. */
export function rateHttpAnswer(url: string, status: number, location: string | null): RatedAnswer {
  const code = `HTTP ${status}`;
  if (status >= 300 && status <= 399) return rateRedirect(url, code, location);
  const unhealthy = Object.hasOwn(UNHEALTHY, status) ? UNHEALTHY[status] : undefined;
  if (unhealthy !== undefined) return { rating: "unhealthy", detail: `${code} (${unhealthy})` };
  if (status >= 500 && status <= 599) {
    return { rating: "unhealthy", detail: `${code} (a server error)` };
  }
  if (status >= 200 && status <= 499) return { rating: "healthy", detail: code };
  return { rating: "unhealthy", detail: `${code} (not a status HTTP defines)` };
}

function rateRedirect(url: string, code: string, location: string | null): RatedAnswer {
  if (location === null || location.trim() === "") {
    return { rating: "unhealthy", detail: `${code} (a redirect that says nowhere to go)` };
  }
  let from: URL;
  let to: URL;
  try {
    from = new URL(url);
    to = new URL(location, from);
  } catch {
    return { rating: "unhealthy", detail: `${code} (a redirect to something that is not a URL)` };
  }
  if (to.origin !== "null" && to.origin === from.origin) {
    return { rating: "healthy", detail: `${code} to ${shown(to, false)}` };
  }
  const where = to.protocol !== "http:" && to.protocol !== "https:"
    ? "something that is not a web address"
    : to.hostname !== from.hostname
    ? "another host"
    : to.protocol !== from.protocol
    ? to.protocol === "http:" ? "plain HTTP" : "another scheme"
    : "another port";
  return { rating: "elsewhere", detail: `${code} redirects to ${where}: ${shown(to, true)}` };
}

/**
 * Where a redirect points, as the URL parser wrote it (so no control
 * character or space gets through): no user or password, no fragment, and
 * a query only as "?…" (it may carry a token); the path alone when `whole`
 * is false (the origin is the probed one).
 */
function shown(to: URL, whole: boolean): string {
  const base = to.origin === "null" ? `${to.protocol}…` : `${whole ? to.origin : ""}${to.pathname}`;
  const text = `${base}${to.search === "" ? "" : "?…"}`;
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}…` : text;
}
