/**
 * A glob or prefix that starts with a URL's scheme and authority, also as
 * the URL parser serializes that authority, the way a value's reading has it
 * (see `value_readings.ts`): in lower case, without the scheme's default
 * port, a host in another script as punycode ({@linkcode withUrlVariants}).
 *
 * @example
 * ```ts
 * withUrlVariants(["https://Example.com:443/**"], false);
 * // ["https://Example.com:443/**", "https://example.com:443/**", "https://example.com/**"]
 * ```
 */
import { NON_ASCII } from "./path_reading.ts";

/** A scheme and authority at the start of a glob or prefix, which a URL parser reads without case. */
const URL_AUTHORITY = /^((?:https?|wss?|ftp|file):\/\/)([^/]*)/i;
/** The port each special scheme connects to when none is written, which the parser drops. */
const DEFAULT_PORT: Record<string, string> = {
  "http://": "80",
  "https://": "443",
  "ws://": "80",
  "wss://": "443",
  "ftp://": "21",
};

/** Characters with a meaning in a glob. */
const GLOB_SYNTAX = /[*?[\]{}\\!]/;

/**
 * `patterns` and, for each that starts with a URL's scheme and authority,
 * the same with that authority as the URL parser serializes it, as its
 * reading of a value has it (see {@linkcode urlAlias}): in lower case,
 * without the scheme's default port (`https://example.com:443/**` is
 * `https://example.com/**`), a host in another script as punycode
 * (`bücher.example` is `xn--bcher-kva.example`).
 */
export function withUrlVariants(patterns: readonly string[], prefix: boolean): string[] {
  const out = [...patterns];
  const push = (variant: string) => {
    if (!out.includes(variant)) out.push(variant);
  };
  for (const pattern of patterns) {
    const m = URL_AUTHORITY.exec(pattern);
    if (m === null) continue;
    const scheme = m[1]!.toLowerCase();
    const rest = pattern.slice(m[0].length);
    const authority = m[2]!.toLowerCase();
    push(scheme + authority + rest);
    const parsed = parsedAuthority(scheme, authority);
    // A prefix that ends at its port (`https://h:443`) ends its host there too: without the
    // port it would also be the start of `https://h.attacker.example`.
    if (prefix && rest === "" && parsed.length < authority.length) continue;
    push(scheme + parsed + rest);
  }
  return out;
}

/**
 * A glob's URL authority (lower case) as the parser serializes it: without
 * the default port, each label in another script as punycode; a label with
 * glob syntax stays as written.
 */
function parsedAuthority(scheme: string, authority: string): string {
  let text = authority;
  const port = DEFAULT_PORT[scheme];
  if (port !== undefined && text.endsWith(`:${port}`)) text = text.slice(0, -(port.length + 1));
  if (!NON_ASCII.test(text)) return text;
  if (!GLOB_SYNTAX.test(text)) {
    try {
      return new URL(`${scheme}${text}/`).host;
    } catch {
      return text;
    }
  }
  return text.split(".").map((label) => {
    if (!NON_ASCII.test(label) || GLOB_SYNTAX.test(label)) return label;
    try {
      return new URL(`http://${label}/`).hostname;
    } catch {
      return label;
    }
  }).join(".");
}
