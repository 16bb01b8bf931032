/**
 * How `thoth update` shows a URL to a person, in progress lines, errors and
 * hints. Pure.
 *
 * A release URL may carry a secret: a token in its query (a signed download
 * link), or a user and password before the host. Shown, it would land in a
 * terminal, a CI log or a support ticket. So a URL is shown as its scheme,
 * host, port and path, as they are, and each part that may carry a secret is
 * replaced by an ellipsis that says something was there:
 *
 * - user and password: `…@` before the host;
 * - query: `?…` (names and values alike);
 * - fragment: `#…`.
 *
 * A URL without a `//` authority (`data:`, `mailto:`, or `ana:pw@host`, which
 * parses with the scheme `ana:`) has no parts to tell apart and shows as its
 * scheme and `…`.
 *
 * Text that does not parse as a URL gets the same treatment by position: all
 * from the first `?` or `#`, and all up to the last `@` before the path (after
 * a leading `scheme://`). Either way the result is cut to 200 characters. Only the display changes: what is
 * fetched is the URL as given.
 *
 * @example
 * ```ts
 * displayUrl("https://ana:pw@releases.example:8443/thoth/latest.json?token=abc#v2");
 * // "https://…@releases.example:8443/thoth/latest.json?…#…"
 * redactUrls("error sending request for url (https://r.example/m.json?token=abc)");
 * // "error sending request for url (https://r.example/m.json?…)"
 * ```
 */

const MAX_SHOWN = 200;
// To the next white space: a quote or bracket inside must not leave the rest of a query shown.
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*/g;
const TRAILING_PUNCTUATION = /[)\]}>"',.;:!]+$/;

/** The URL as a person may see it: no userinfo, query or fragment. */
export function displayUrl(url: URL | string): string {
  let parsed: URL;
  if (url instanceof URL) {
    parsed = url;
  } else {
    try {
      parsed = new URL(url);
    } catch {
      return displayText(url);
    }
  }
  // "mailto:…", "data:…", or "user:pw@host" read as scheme "user:": no structure to keep.
  if (!parsed.href.startsWith(`${parsed.protocol}//`)) return cut(`${parsed.protocol}…`);
  const userinfo = parsed.username !== "" || parsed.password !== "" ? "…@" : "";
  const shown = `${parsed.protocol}//${userinfo}${parsed.host}${parsed.pathname}` +
    (parsed.search === "" ? "" : "?…") + (parsed.hash === "" ? "" : "#…");
  return cut(shown);
}

/** `text` with every `scheme://…` in it shown as {@linkcode displayUrl} shows it. */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (found) => {
    const trailing = TRAILING_PUNCTUATION.exec(found)?.[0] ?? "";
    return displayUrl(found.slice(0, found.length - trailing.length)) + trailing;
  });
}

function displayText(text: string): string {
  const end = text.search(/[?#]/);
  // Whatever ends in "@" before the first "/" or "\\" (after a leading "…//") is userinfo.
  const head = (end < 0 ? text : text.slice(0, end)).replace(
    /^([^/\\]*?(?:\/\/|\\\\))?[^/\\]*@/,
    (_match, start: string | undefined) => `${start ?? ""}…@`,
  );
  return cut(head + (end < 0 ? "" : `${text[end]}…`));
}

function cut(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN)}…`;
}
