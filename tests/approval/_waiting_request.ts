/**
 * The request the approval-queue tests submit: a `write_file` call waiting
 * for a person, as a thoth writes it to the queue.
 */
import type { QueueEntry } from "../../src/approval/queue_record.ts";

/** What a waiting thoth submits to the queue. */
export type WaitingRequest = Omit<QueueEntry, "v" | "id" | "createdAt">;

/**
 * A `write_file` request with `digest`, waiting a minute in this process
 * (allowing the rest of the session), `overrides` changing any of it.
 *
 * @example
 * ```ts
 * await queue.submit(waitingRequest("a".repeat(64), { pid: 42 }));
 * ```
 */
export function waitingRequest(
  digest: string,
  overrides: Partial<WaitingRequest> = {},
): WaitingRequest {
  return {
    expiresAt: Date.now() + 60_000,
    server: "fs",
    tool: "write_file",
    ruleIds: ["writes"],
    reasons: ["writes need a person"],
    decisionId: "d-7",
    shape: ["path: string (9 chars)"],
    digest,
    allowSession: true,
    pid: Deno.pid,
    ...overrides,
  };
}
