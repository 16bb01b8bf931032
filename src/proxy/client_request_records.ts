/**
 * The `request` audit records (see `RequestEvent`): the client requests
 * thoth governs besides the `tools/call` it decides (`resources/read`,
 * `resources/subscribe`, `prompts/get`, `completion/complete`), forwarded or
 * refused, and the requests thoth refuses before any decision (a
 * `tools/call` it cannot inspect, a method that differs from a governed one
 * only by case or characters drawn as nothing). The relay tells each as
 * {@linkcode ClientRequestFacts}; the record follows off the request's path,
 * as an outcome's does: the params' keyed digest is taken once the line
 * being routed was handled (a forwarded request has gone by then), a refused
 * line's digest over its exact bytes a slice at a time, and the session's
 * end waits for both. A record gates nothing: none is spooled.
 *
 * What a record keeps in clear is what names the thing asked for, as a tool
 * call's record keeps the tool's name: the method as written, the prompt's
 * name, and the resource's URI without what may carry a secret (user info,
 * query, fragment). Everything else is in the params' keyed digest. A piece
 * of the URI, a prompt's name, a string request id, or a name the client
 * chose that a refusal's reason quotes, that the secret, PII or PHI
 * detectors flag is kept as its keyed digest and length instead
 * (`#k:1a2b3c4d(40)`, see `redact_recorded_names.ts`).
 *
 * @example
 * ```ts
 * const record = requestRecorder({ session, server, log, later, digesting, note });
 * record({ method: "resources/read", requestId: 4, params: { uri: "file:///notes.md" }, forwarded: true });
 * ```
 */
import type { AuditEvent, RedactedValue, RequestEvent } from "../audit/record.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { GOVERNED_METHODS, governedVariant } from "../protocol/method_variant.ts";
import { type PieceDigest, redactedName, redactedUri } from "../audit/redact_recorded_names.ts";

/** A governed client request, as the relay tells it. */
export interface ClientRequestFacts {
  /** The method as the client wrote it. */
  method: string;
  /** Its id; undefined when it has none thoth could read. */
  requestId: JsonRpcId | undefined;
  /** Its params, when thoth read the request (not with `line`). */
  params?: unknown;
  /** Whether it went to the server. */
  forwarded: boolean;
  /**
   * Why thoth refused it; `quoting`, when the reason quotes names the client
   * chose (the requests inside a refused nested batch), renders it for the
   * record with each such name passed through `hide`.
   */
  refusal?: { ruleId: string; reason: string; quoting?: QuotingReason };
  /**
   * The line of a request refused before thoth could read it as one: its
   * pieces, and the count of its bytes before the line terminator.
   */
  line?: { parts: readonly Uint8Array[]; bytes: number };
}

/**
 * A reason that quotes names the client chose, rendered with each passed
 * through `hide` (which gives a name the detectors flag as its keyed digest).
 */
export type QuotingReason = (hide: (name: string) => string) => string;

/** Where the records go, and the keys their digests are taken under. */
export interface RequestRecordsOptions {
  session: string;
  server: string;
  /** The audit log (its device key); without it nothing is recorded. */
  log:
    | {
      redactFast(value: unknown): RedactedValue | Promise<RedactedValue>;
      redactSync(value: unknown): RedactedValue;
      macParts(parts: readonly Uint8Array[], length: number): Promise<string>;
    }
    | undefined;
  /** Queues a record for the log. */
  later(event: AuditEvent): void;
  /** Digests in progress, which the session's end waits for. */
  digesting: Set<Promise<void>>;
  note(message: string): void;
}

/** The longest method or prompt name a record keeps, in characters. */
const NAME_MAX = 256;
/** The longest URI a record keeps, in characters. */
const URI_MAX = 512;

/** Records each request it is told of (see the module's note). */
export function requestRecorder(
  options: RequestRecordsOptions,
): (facts: ClientRequestFacts) => void {
  return (facts) => {
    const log = options.log;
    if (log === undefined) return;
    const event = requestEvent(
      options.session,
      options.server,
      facts,
      (piece) => log.redactSync(piece).digest,
    );
    const recording: Promise<void> = (async () => {
      // Once the line being routed was handled: a forwarded request has gone by then.
      await undefined;
      if (facts.line !== undefined) {
        const { parts, bytes } = facts.line;
        event.line = { digest: await log.macParts(parts, bytes), bytes };
      } else if (Object.hasOwn(facts, "params")) {
        event.params = await log.redactFast(facts.params ?? null);
      }
      options.later(event);
    })().catch((error) => {
      options.note(
        `cannot record the client's ${JSON.stringify(event.method)} request in the audit log: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      options.later(event);
    }).finally(() => options.digesting.delete(recording));
    options.digesting.add(recording);
  };
}

/**
 * The record of `facts`, without its params' digest; `digest` takes the
 * keyed digest of a piece of the URI, a prompt name or a name the reason
 * quotes, that the detectors flag (a string request id is kept here as it
 * is: the session's writer hides it, as in every record, see
 * `recorded_request_ids.ts`). Pure.
 *
 * @example
 * ```ts
 * requestEvent("s-1", "fs", {
 *   method: "resources/read",
 *   requestId: 4,
 *   params: { uri: "https://ana:pw@example.org/a?token=x" },
 *   forwarded: true,
 * }, digest).uri; // "https://example.org/a"
 * ```
 */
export function requestEvent(
  session: string,
  server: string,
  facts: ClientRequestFacts,
  digest: PieceDigest,
): RequestEvent {
  const id = facts.requestId;
  const event: RequestEvent = {
    type: "request",
    session,
    server,
    method: cut(facts.method, NAME_MAX),
    // A string id that carries a secret is hidden as the record is written, as in every
    // record that names one (see `recorded_request_ids.ts`).
    ...(typeof id === "string" || typeof id === "number" ? { requestId: id } : {}),
    ...named(facts.method, facts.params, digest),
    effect: facts.forwarded ? "forwarded" : "refused",
  };
  if (facts.refusal !== undefined) {
    event.ruleIds = [facts.refusal.ruleId];
    const { reason, quoting } = facts.refusal;
    event.reasons = [
      quoting === undefined ? reason : quoting((name) => redactedName(name, digest)),
    ];
  }
  return event;
}

/** What a request names in clear: the resource's URI or the prompt's name. */
function named(
  method: string,
  params: unknown,
  digest: PieceDigest,
): Pick<RequestEvent, "uri" | "prompt"> {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return {};
  const p = params as Record<string, unknown>;
  const governed = GOVERNED_METHODS.has(method) ? method : governedVariant(method);
  switch (governed) {
    case "resources/read":
    case "resources/subscribe":
      return typeof p["uri"] === "string" ? { uri: recordedUri(p["uri"], digest) } : {};
    case "prompts/get":
      return typeof p["name"] === "string" ? { prompt: recordedPrompt(p["name"], digest) } : {};
    case "completion/complete": {
      const ref = p["ref"];
      if (ref === null || typeof ref !== "object" || Array.isArray(ref)) return {};
      const r = ref as Record<string, unknown>;
      if (typeof r["uri"] === "string") return { uri: recordedUri(r["uri"], digest) };
      return typeof r["name"] === "string" ? { prompt: recordedPrompt(r["name"], digest) } : {};
    }
  }
  return {};
}

/**
 * A URI as a record keeps it: without a query or fragment, or user info
 * before its host (`https://ana:pw@host/a?token=x` is `https://host/a`),
 * which may carry a secret; each piece the detectors need to flag it
 * as its keyed digest (`s3://b/#k:1a2b3c4d(20)/x`); cut to
 * {@linkcode URI_MAX} characters.
 */
export function recordedUri(uri: string, digest: PieceDigest): string {
  const end = uri.search(/[?#]/);
  const bare = end === -1 ? uri : uri.slice(0, end);
  const anonymous = bare.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, "$1");
  return cut(redactedUri(anonymous, digest), URI_MAX);
}

/** A prompt's name as a record keeps it: its keyed digest if the detectors flag it, cut. */
function recordedPrompt(name: string, digest: PieceDigest): string {
  return cut(redactedName(name, digest), NAME_MAX);
}

/** `text` cut to `max` characters (an ellipsis marks a cut), never inside a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
