/**
 * Whether a server's URL names this machine (`localhost`, a `*.localhost`
 * name, `127.0.0.0/8`, `::1`, `0.0.0.0`): a local program reached over the
 * network rather than started by the client, so thoth, which governs the
 * stdio servers a client starts, never sees its tool calls. Pure.
 *
 * @example
 * ```ts
 * isLoopbackUrl("http://127.0.0.1:8931/mcp"); // true
 * isLoopbackUrl("http://[::1]/sse"); // true
 * isLoopbackUrl("https://mcp.example.com/mcp"); // false
 * ```
 */

/** True when `url` parses and its host is a loopback name or address. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]" || host === "[::]" || host === "0.0.0.0") return true;
  // The URL parser normalises 127.1, 0x7f.1 and the like to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^\[::ffff:7f[0-9a-f]{2}:/.test(host);
}
