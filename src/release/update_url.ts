/**
 * Which URLs `thoth update` may fetch: `https:` anywhere, and `http:` only to
 * a loopback address (for tests and local mirrors). Every redirect hop is held
 * to the same rule. Errors show URLs through `displayUrl`, without the parts
 * that may hold a secret. Pure.
 *
 * The release signature lives beside `checksums.sha256` as
 * `checksums.sha256.sig`: `signatureUrl` appends `.sig` to the path and keeps
 * the query, so a mirror that hands out signed URLs
 * (`checksums.sha256?X-Amz-Signature=…`) is asked for the signature, not for
 * the checksums a second time.
 *
 * @example
 * ```ts
 * checkUpdateUrl("https://example.com/release.json"); // URL
 * checkUpdateUrl("http://example.com/release.json"); // throws release.insecure_url
 * signatureUrl(new URL("https://m.example/checksums.sha256?t=1")).href;
 * // "https://m.example/checksums.sha256.sig?t=1"
 * ```
 */
import { AppError } from "../errors.ts";
import { displayUrl } from "./display_url.ts";

/** Whether a URL hostname is a loopback address. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1") return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((p) => Number(p) <= 255);
}

/**
 * Parses a URL (relative ones against `base`) and refuses anything but https
 * or loopback http. `from` says where the URL came from, for the hint: the
 * one given (`--manifest-url`), the release manifest's `checksums` or
 * `assets`, or a redirect.
 */
export function checkUpdateUrl(
  text: string,
  base?: string,
  from: "given" | "manifest" | "redirect" = "given",
): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch {
    throw new AppError("release.bad_url", `not a URL: "${displayUrl(text)}"`, {
      hints: [
        from === "given"
          ? "pass an https:// URL of the release manifest"
          : "the release manifest or its server is broken; nothing was changed",
      ],
      exitCode: from === "given" ? 2 : 1,
    });
  }
  if (url.username !== "" || url.password !== "") {
    throw new AppError(
      "release.bad_url",
      `refusing a URL with credentials in it: "${displayUrl(url)}"`,
      {
        hints: [
          "a user or password in the URL would be sent to every server on the way; " +
          "nothing was changed: a mirror needing a token takes it in the query",
        ],
      },
    );
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new AppError(
    "release.insecure_url",
    `refusing to fetch "${
      displayUrl(url)
    }": updates are fetched over https (plain http only to a loopback address)`,
    {
      hints: [
        from === "manifest"
          ? "this URL comes from the release manifest (its checksums or assets): the release " +
            "must be published with https:// URLs; nothing was changed"
          : from === "redirect"
          ? "the server redirected to it: a release must be served over https throughout; " +
            "nothing was changed"
          : "use an https:// release manifest URL (--manifest-url or THOTH_RELEASE_MANIFEST_URL)",
      ],
    },
  );
}

/**
 * The URL of the signature of the checksums file at `checksumsUrl`: `.sig`
 * appended to its path, its query kept, its fragment (never sent) dropped.
 */
export function signatureUrl(checksumsUrl: URL): URL {
  const url = new URL(checksumsUrl.href);
  url.hash = "";
  url.pathname = `${url.pathname}.sig`;
  return url;
}
