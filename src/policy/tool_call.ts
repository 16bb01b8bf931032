/**
 * What the enforcer sees of one `tools/call`: pure data, built by the relay.
 *
 * @example
 * ```ts
 * const call: ToolCall = {
 *   server: "filesystem",
 *   tool: "write_file",
 *   arguments: { path: "/tmp/x", content: "hi" },
 *   annotations: { destructiveHint: true },
 *   listed: true,
 *   era: "initialize",
 *   protocolVersion: "2025-06-18",
 * };
 * ```
 */

/** The hints a server may declare on a tool in `tools/list`. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * The two protocol eras thoth relays: the `initialize` handshake era
 * (2024-11-05 … 2025-11-25) and the stateless 2026-07-28 era, where each
 * request carries its protocol version in `_meta`.
 */
export type ProtocolEra = "initialize" | "stateless";

/** One tool call, as the enforcer receives it. */
export interface ToolCall {
  /** The governed server's agent id (`--agent-id`). */
  server: string;
  /** The tool name the client asked for. */
  tool: string;
  /** The call's arguments; `undefined` when the client sent none. */
  arguments: Record<string, unknown> | undefined;
  /** The tool's annotations from the last `tools/list`, if it was listed. */
  annotations: ToolAnnotations | undefined;
  /** Whether the tool appeared in the last `tools/list` the server sent. */
  listed: boolean;
  /**
   * Set when thoth tried to list the server's tools for this call and could
   * not: why, in words. The tool's annotations are then unknown, and the
   * policy fails closed (`thoth.listing_failed`).
   */
  listingFailure?: string;
  /** Which protocol era the call arrived in. */
  era: ProtocolEra;
  /** The negotiated or per-request protocol version, when known. */
  protocolVersion: string | undefined;
  /**
   * The arguments again, with each integer too large for a double kept as a
   * `JSON.rawJSON` value with its digits; present only when the call had
   * one. The detectors scan these, so a long number's digits are not lost.
   */
  exactArguments?: unknown;
}
