/**
 * Asks whether a URL answers: any HTTP response counts as reachable (the TLS
 * handshake and the server both worked); a refused connection, a TLS failure
 * or a timeout does not. Sends no credentials.
 *
 * @example
 * ```ts
 * const result = await probeUrl("https://enforce.acme.example.com", 3000);
 * if (!result.reachable) console.error(result.detail);
 * ```
 */

/** Whether a URL answered and what happened. */
export interface ProbeResult {
  readonly reachable: boolean;
  /** "HTTP 200", "timed out after 3000 ms", "connection refused", … */
  readonly detail: string;
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
    return { reachable: true, detail: `HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return { reachable: false, detail: `timed out after ${timeoutMs} ms` };
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return { reachable: false, detail: "this thoth is not permitted to use the network" };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { reachable: false, detail: message.split("\n")[0] ?? "request failed" };
  }
}
