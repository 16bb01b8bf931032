/**
 * Why a `fetch` failed, in a few words a person can act on. Deno's `fetch`
 * throws `TypeError: fetch failed` and puts the reason in the error's
 * `cause` chain ("error sending request for url (…): client error
 * (Connect): tcp connect error: Connection refused (os error 111)"); this
 * walks the chain and names the cause: a refused connection, a name not
 * found, the certificate problem of a TLS failure, … Anything it does not
 * know is shown as the innermost message, without the request's URL and the
 * client's own prefixes. Pure: it reads the error only.
 *
 * @example
 * ```ts
 * try {
 *   await fetch("https://enforce.acme.example.com");
 * } catch (error) {
 *   describeFetchFailure(error); // "connection refused"
 * }
 * ```
 */

/** The longest text shown of a message it does not know. */
const SHOWN_MAX = 200;

/** How deep the cause chain is followed (a cycle ends it too). */
const CHAIN_MAX = 8;

/** Known causes: the first whose pattern matches a message of the chain names it. */
const KNOWN: readonly (readonly [RegExp, (match: RegExpMatchArray) => string])[] = [
  [/connection refused|actively refused/i, () => "connection refused"],
  [
    /dns error:.*?(temporary failure in name resolution|try again)/i,
    () => "the name could not be looked up (temporary failure in name resolution)",
  ],
  [
    /dns error|failed to lookup address|name or service not known|nodename nor servname|no such host|no address associated/i,
    () => "name not found",
  ],
  [/invalid peer certificate: (.*)$/is, (match) => `TLS: ${certificateProblem(match[1] ?? "")}`],
  [
    /received corrupt message|InvalidContentType/i,
    () => "TLS handshake failed: the server did not answer in TLS (is it plain HTTP?)",
  ],
  [
    /handshake ?failure|tls handshake|peer is incompatible|alert received/i,
    (match) => `TLS handshake failed (${match[0]})`,
  ],
  [/connection reset/i, () => "connection reset by the server"],
  [/network is unreachable/i, () => "network unreachable"],
  [/no route to host|host is unreachable/i, () => "no route to host"],
  [/connection timed out|timed out/i, () => "the connection timed out"],
  [
    /connection closed before message completed|unexpected eof|incomplete ?message/i,
    () => "the server closed the connection without an answer",
  ],
];

/** What a certificate error means, from rustls's words (its older and newer spellings). */
function certificateProblem(raw: string): string {
  if (/UnknownIssuer|unknown issuer/i.test(raw)) {
    return "the certificate is not signed by an authority this machine trusts";
  }
  if (/NotValidForName|not valid for name/i.test(raw)) {
    return "the certificate is not valid for this host name";
  }
  if (/NotValidYet|not valid (yet|before)/i.test(raw)) {
    return "the certificate is not valid yet (check this machine's clock)";
  }
  if (/Expired/i.test(raw)) return "the certificate has expired";
  if (/Revoked/i.test(raw)) return "the certificate was revoked";
  if (/CaUsedAsEndEntity/i.test(raw)) {
    return "the certificate is an authority's, not a server's (a self-made certificate?)";
  }
  return `the certificate is refused (${clip(raw)})`;
}

/** Names the cause of the `fetch` failure `error` (see the module's comment). */
export function describeFetchFailure(error: unknown): string {
  const messages: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    if (seen.size >= CHAIN_MAX) break;
    seen.add(current);
    messages.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  // The innermost cause first: it is the most precise.
  for (const message of messages.toReversed()) {
    for (const [pattern, name] of KNOWN) {
      const match = message.match(pattern);
      if (match !== null) return name(match);
    }
  }
  const innermost = messages.at(-1) ?? "";
  const bare = innermost
    .replace(/^error sending request\b.*?\): /s, "")
    .replace(/^client error \([^)]*\): /, "")
    .replace(/ \(os error \d+\)$/, "");
  return bare.trim() === "" ? "the request failed" : clip(bare);
}

/** `text` on one line, control characters dropped, at most {@linkcode SHOWN_MAX} characters. */
function clip(text: string): string {
  // deno-lint-ignore no-control-regex
  const line = (text.split("\n")[0] ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
  return line.length > SHOWN_MAX ? `${line.slice(0, SHOWN_MAX)}…` : line;
}
