/**
 * One bounded download of `thoth update`: at most `maxBytes`, redirects
 * followed by hand (at most five, each checked as an update URL), a stall
 * timer and an overall deadline, so that a server that stops sending, or
 * trickles a byte now and then, cannot hold the update (and its lock) for
 * long. Every URL in an error is shown by `displayUrl`.
 */
import { AppError } from "../errors.ts";
import { checkUpdateUrl } from "./update_url.ts";
import { displayUrl, redactUrls } from "./display_url.ts";

const MAX_REDIRECTS = 5;

/** How one download is bounded. */
export interface Bounds {
  readonly maxBytes: number;
  readonly stallMs: number;
  readonly deadlineMs: number;
  /** Whether this is the asset, whose cap `--max-asset-size` raises. */
  readonly asset?: boolean;
}

/**
 * The bytes at `url` (`what` names it in errors), within `bounds`. Throws
 * `release.download_failed`, or `release.download_too_slow` past the deadline.
 *
 * @example
 * ```ts
 * const bytes = await fetchBounded(fetch, new URL("https://releases.example/thoth/latest.json"),
 *   "release manifest", { maxBytes: 1024 * 1024, stallMs: 60_000, deadlineMs: 900_000 });
 * ```
 */
export async function fetchBounded(
  doFetch: typeof fetch,
  url: URL,
  what: string,
  bounds: Bounds,
): Promise<Uint8Array> {
  // A server that stops sending must not hold the update (and its lock) for long,
  // nor one that trickles a byte now and then: a stall timer and an overall deadline.
  const stop = new AbortController();
  let why: "stalled" | "deadline" | undefined;
  let received = 0;
  const abort = (reason: "stalled" | "deadline") => () => {
    why ??= reason;
    stop.abort();
  };
  let timer = setTimeout(abort("stalled"), bounds.stallMs);
  const deadline = setTimeout(abort("deadline"), bounds.deadlineMs);
  const alive = (bytes: number) => {
    received += bytes;
    clearTimeout(timer);
    timer = setTimeout(abort("stalled"), bounds.stallMs);
  };
  try {
    return await fetchHops(doFetch, url, what, bounds, stop.signal, alive);
  } catch (error) {
    if (!stop.signal.aborted || why === undefined) throw error;
    if (why === "deadline") {
      throw new AppError(
        "release.download_too_slow",
        `${what} "${displayUrl(url)}" did not finish within ${
          seconds(bounds.deadlineMs)
        } (${received} bytes received); gave up`,
        {
          cause: error,
          hints: [
            "the server sends too slowly; nothing was changed",
            "try again later or from another mirror (--manifest-url), or allow more time " +
            "with --download-timeout SECONDS",
          ],
        },
      );
    }
    throw new AppError(
      "release.download_failed",
      `${what} "${displayUrl(url)}" sent nothing for ${seconds(bounds.stallMs)}; gave up`,
      {
        cause: error,
        hints: ["check the network, then run the update again; nothing was changed"],
      },
    );
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

async function fetchHops(
  doFetch: typeof fetch,
  url: URL,
  what: string,
  bounds: Bounds,
  signal: AbortSignal,
  alive: (bytes: number) => void,
): Promise<Uint8Array> {
  const { maxBytes } = bounds;
  const capHint = bounds.asset === true
    ? [
      `if the release really is this large, raise the cap with --max-asset-size MIB ` +
      `(now ${Math.ceil(maxBytes / 1024 / 1024)} MiB); nothing was changed`,
    ]
    : ["this file should be small: the server may be misconfigured; nothing was changed"];
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await doFetch(current, { redirect: "manual", signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new AppError(
        "release.download_failed",
        `cannot fetch ${what} "${displayUrl(current)}": ${redactUrls((error as Error).message)}`,
        {
          cause: error,
          hints: error instanceof Deno.errors.NotCapable
            ? [
              `this binary may not reach "${current.host}": its permission set in deno.json grants no such net access`,
            ]
            : ["check the URL and the network, then run the update again"],
        },
      );
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (location === null) {
        throw new AppError(
          "release.download_failed",
          `${what} "${displayUrl(current)}" redirects nowhere`,
          { hints: ["the server is misconfigured; nothing was changed"] },
        );
      }
      current = checkUpdateUrl(location, current.href, "redirect");
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AppError(
        "release.download_failed",
        `cannot fetch ${what} "${displayUrl(current)}": HTTP ${response.status}`,
        {
          hints: response.status === 404 || response.status === 410
            ? [
              url.href === current.href
                ? "the server has no such file: check the URL (--manifest-url or " +
                  "THOTH_RELEASE_MANIFEST_URL), or the release is incompletely published"
                : "the server has no such file at the address it redirected to: the release " +
                  "is incompletely published",
              "nothing was changed",
            ]
            : response.status === 401 || response.status === 403
            ? ["the server refuses access: a mirror needing a token may want it in the URL's query"]
            : ["the server failed; try again later; nothing was changed"],
        },
      );
    }
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new AppError(
        "release.download_failed",
        `${what} is ${declared} bytes, over the ${maxBytes}-byte cap`,
        { hints: capHint },
      );
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body !== null) {
      try {
        for await (const chunk of response.body) {
          alive(chunk.length);
          total += chunk.length;
          if (total > maxBytes) {
            throw new AppError(
              "release.download_failed",
              `${what} is over the ${maxBytes}-byte cap`,
              { hints: capHint },
            );
          }
          chunks.push(chunk);
        }
      } catch (error) {
        // The stall timer and the deadline abort the read: fetchBounded words those.
        if (error instanceof AppError || signal.aborted) throw error;
        throw cutOff(what, current, total, declared, error);
      }
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
  throw new AppError(
    "release.download_failed",
    `${what} redirected more than ${MAX_REDIRECTS} times`,
    { hints: ["the server redirects in a loop; nothing was changed"] },
  );
}

/**
 * The failure of a body the connection stopped sending before its end (a
 * `Content-Length` not reached, a chunked body cut off): what, where, how much
 * arrived, and that nothing was changed.
 */
function cutOff(
  what: string,
  url: URL,
  received: number,
  declared: number,
  cause: unknown,
): AppError {
  const of = Number.isFinite(declared) ? `${received} of ${declared} bytes` : `${received} bytes`;
  return new AppError(
    "release.download_failed",
    `${what} "${displayUrl(url)}": the connection closed after ${of}, before the end ` +
      `(${redactUrls((cause as Error)?.message ?? String(cause))}); nothing was changed`,
    {
      cause,
      hints: [
        "run the update again; if it keeps stopping, check the network or the server " +
        "(a proxy or mirror may cut long downloads; another one can be named with --manifest-url)",
      ],
    },
  );
}
