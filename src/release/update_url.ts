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

/** Parses a URL (relative ones against `base`) and refuses anything but https or loopback http. */
export function checkUpdateUrl(text: string, base?: string): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch {
    throw new AppError("release.bad_url", `not a URL: "${displayUrl(text)}"`, { exitCode: 2 });
  }
  if (url.username !== "" || url.password !== "") {
    throw new AppError(
      "release.bad_url",
      `refusing a URL with credentials in it: "${displayUrl(url)}"`,
    );
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new AppError(
    "release.insecure_url",
    `refusing to fetch "${
      displayUrl(url)
    }": updates are fetched over https (plain http only to a loopback address)`,
    { hints: ["use an https:// release manifest URL"] },
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
