/**
 * The one place a {@linkcode ToolCall} is put together from what a client
 * sent, shared by the relay (`thoth run`) and `thoth policy explain`, so the
 * two cannot disagree on a call: the exact arguments (integers past 2^53 with
 * their digits, see `exact_integers.ts`) ride along only when there are any,
 * and arguments given as text are read as the relay reads a client's line:
 * refused where the relay refuses the line, kept digit for digit where it
 * keeps them. Pure.
 *
 * @example
 * ```ts
 * const read = readArgumentsText('{"id": 1790123456789012345}');
 * if (read.ok) {
 *   buildToolCall({
 *     server: "fault", tool: "echo", arguments: read.arguments, exactArguments: read.exactArguments,
 *     annotations: { readOnlyHint: true }, listed: true, era: "initialize", protocolVersion: undefined,
 *   }).exactArguments; // { id: 1790123456789012345 }, the digits kept
 * }
 * ```
 */
import type { ProtocolEra, ToolAnnotations, ToolCall } from "../policy/tool_call.ts";
import { mayHoldLongInteger, parseExactIntegers } from "./exact_integers.ts";
import { isPlainObject, readToolsListResult } from "./mcp_shapes.ts";
import { jsonTextDefect } from "./json_text_defect.ts";

/** What a tool call is made of. */
export interface ToolCallParts {
  server: string;
  tool: string;
  arguments: Record<string, unknown> | undefined;
  /** The arguments with their long integers' digits kept; undefined when the text held none. */
  exactArguments: unknown;
  annotations: ToolAnnotations | undefined;
  listed: boolean;
  era: ProtocolEra;
  protocolVersion: string | undefined;
}

/** The {@linkcode ToolCall} the enforcer is asked about. */
export function buildToolCall(parts: ToolCallParts): ToolCall {
  // One literal, as the relay built it before (it runs for every call): no rest copy.
  return {
    server: parts.server,
    tool: parts.tool,
    arguments: parts.arguments,
    annotations: parts.annotations,
    listed: parts.listed,
    era: parts.era,
    protocolVersion: parts.protocolVersion,
    ...(parts.exactArguments === undefined ? {} : { exactArguments: parts.exactArguments }),
  };
}

/** Arguments read from JSON text, or why the relay would refuse a line holding them. */
export type ArgumentsText =
  | { ok: true; arguments: Record<string, unknown>; exactArguments: unknown }
  | { ok: false; problem: string };

/**
 * Reads a tool call's arguments from JSON text as the relay reads them from a
 * client's line: the value, plus the exact value when the text may hold an
 * integer a double cannot keep. A text the relay refuses to forward (a NUL
 * character in a string, a number too large for any double such as `1e400`,
 * a key twice in one object) is refused with the relay's words; so is text
 * that is not JSON or not an object.
 */
export function readArgumentsText(text: string): ArgumentsText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON: ${error instanceof Error ? error.message : error}` };
  }
  if (!isPlainObject(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    return { ok: false, problem: `must be a JSON object, not ${kind}` };
  }
  const defect = jsonTextDefect(text);
  if (defect !== undefined) {
    return {
      ok: false,
      problem: `holds ${defect}: thoth run refuses a line with it, so such a call never ` +
        "reaches the policy",
    };
  }
  let exactArguments: unknown;
  if (mayHoldLongInteger(text)) {
    try {
      exactArguments = parseExactIntegers(text);
    } catch {
      // Nesting too deep for a reviver: the relay then goes without, as here.
      exactArguments = undefined;
    }
  }
  return { ok: true, arguments: value, exactArguments };
}

/**
 * A tool's annotations as the relay keeps them from `tools/list`: only the
 * boolean hints and a string title; anything else is dropped.
 *
 * @example
 * ```ts
 * listedAnnotations({ readOnlyHint: "yes", destructiveHint: true }); // { destructiveHint: true }
 * ```
 */
export function listedAnnotations(raw: unknown): ToolAnnotations {
  return readToolsListResult({ tools: [{ name: "tool", annotations: raw }] }).get("tool") ?? {};
}
