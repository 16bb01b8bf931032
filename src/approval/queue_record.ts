/**
 * The two files of one request in the local approval queue, as validated
 * data: `<id>.request.json` (written by the waiting proxy) and
 * `<id>.answer.json` (written once, by whoever settles it first: a person
 * through `thoth approvals`, or the proxy itself when it stops waiting). Any
 * process of the same OS user can write here, so both are parsed strictly.
 *
 * @example
 * ```ts
 * const entry = parseQueueEntry(JSON.parse(text)); // QueueEntry or null
 * ```
 */
import { z } from "zod";

/** A queue id: eight characters from an unambiguous alphabet. */
export const QUEUE_ID = /^[a-hjkmnp-z2-9]{8}$/;

const text = (max: number) => z.string().max(max);

const entrySchema = z.object({
  v: z.literal(1),
  id: z.string().regex(QUEUE_ID),
  createdAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  server: text(200),
  tool: text(200),
  ruleIds: z.array(text(200)).max(20),
  reasons: z.array(text(400)).max(20),
  decisionId: text(100),
  shape: z.array(text(300)).max(40),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  allowSession: z.boolean(),
  pid: z.number().int(),
}).strict();

const answerSchema = z.object({
  v: z.literal(1),
  id: z.string().regex(QUEUE_ID),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  decision: z.enum(["approve", "session", "deny", "expired", "withdrawn"]),
  by: text(200),
  reason: text(500).optional(),
  at: z.number().int().nonnegative(),
}).strict();

/** A request waiting in the queue. */
export type QueueEntry = z.infer<typeof entrySchema>;
/** How a queue request was settled. */
export type QueueAnswer = z.infer<typeof answerSchema>;
/** The decisions a queue answer can carry. */
export type QueueDecision = QueueAnswer["decision"];

/** Validates a parsed `<id>.request.json`; null when it is not one. */
export function parseQueueEntry(value: unknown): QueueEntry | null {
  const parsed = entrySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Validates a parsed `<id>.answer.json`; null when it is not one. */
export function parseQueueAnswer(value: unknown): QueueAnswer | null {
  const parsed = answerSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
