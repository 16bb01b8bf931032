/**
 * Asks whether a URL answers, and how: a GET with no credentials and no
 * redirect followed. An answer is rated by {@linkcode rateHttpAnswer}: a
 * healthy one (2xx, a 4xx such as 401, 403 or 404, a redirect that stays on
 * the URL's origin) is reachable; a server error or throttling (5xx, 429) is
 * reachable but `unhealthy`; a redirect off the origin is not reachable
 * (what answered is something else) and names where it points. A refused
 * connection, a name not found, a TLS failure or a timeout is not reachable,
 * and the detail names the cause ({@linkcode describeFetchFailure}).
 *
 * @example
 * ```ts
 * const result = await probeUrl("https://enforce.acme.example.com", 3000);
 * if (!result.reachable) console.error(result.detail);
 * ```
 */
import { describeFetchFailure } from "./describe_fetch_failure.ts";
import { rateHttpAnswer } from "./rate_http_answer.ts";

/** Whether a URL answered and what happened. */
export interface ProbeResult {
  /** Whether the server at the URL answered (a redirect elsewhere is not its answer). */
  readonly reachable: boolean;
  /**
   * "HTTP 404", "HTTP 503 (a server error)", "HTTP 302 redirects to another
   * host: https://…", "timed out after 3000 ms", "connection refused", …
   */
  readonly detail: string;
  /**
   * What is wrong with an answer that came, when something is: `unhealthy`
   * (it answered, but as a failing or throttling server does; `reachable`
   * is true) or `elsewhere` (a redirect off the URL's origin; `reachable`
   * is false). Absent for a healthy answer and for no answer at all.
   */
  readonly trouble?: "unhealthy" | "elsewhere";
}

/** GETs `url` with a timeout; never throws. */
export async function probeUrl(url: string, timeoutMs: number): Promise<ProbeResult> {
  try {
    const response = await fetch(url, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    const rated = rateHttpAnswer(url, response.status, response.headers.get("location"));
    if (rated.rating === "healthy") return { reachable: true, detail: rated.detail };
    return {
      reachable: rated.rating === "unhealthy",
      detail: rated.detail,
      trouble: rated.rating,
    };
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return { reachable: false, detail: `timed out after ${timeoutMs} ms` };
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return { reachable: false, detail: "this thoth is not permitted to use the network" };
    }
    return { reachable: false, detail: describeFetchFailure(error) };
  }
}
