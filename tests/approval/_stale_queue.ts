/**
 * A queue folder as long use leaves it, for the pruning tests: requests that
 * expired long ago (settled by their waiting thoth, answered by a person and
 * taken, answered by a person no thoth took, answered by a person under an
 * earlier release, never answered), one that expired a moment ago, and one
 * still waiting.
 */
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import type { QueueAnswer } from "../../src/approval/queue_record.ts";
import { waitingRequest } from "./_waiting_request.ts";

/** The ids of each kind of request {@linkcode staleQueue} leaves. */
export interface StaleIds {
  /** Expired 20 minutes ago; the waiting thoth closed it (as a thoth before the mark did). */
  closedByThoth: string;
  /**
   * Expired 20 minutes ago; a person answered and the waiting thoth marked it
   * taken (`<id>.taken`), though its last refresh came before the answer.
   */
  takenAnswer: string;
  /** Expired 20 minutes ago; never answered (its thoth was gone). */
  unanswered: string;
  /** Expired 20 minutes ago; a person's answer that no waiting thoth took: only in the files. */
  untakenAnswer: string;
  /**
   * Expired 20 minutes ago; a person's answer with no marker, its request
   * file's time a second after the answer's (taken, or refreshed, by a thoth
   * of an earlier release: nothing tells which). Kept.
   */
  earlierReleaseAnswer: string;
  /** Expired 2 minutes ago, closed by its thoth: still within the grace. */
  recent: string;
  /** Still waiting. */
  pending: string;
}

const MINUTE = 60_000;

/** Writes `answer` where request `answer.id`'s answer goes, as a person's `thoth approvals` would. */
async function writeAnswer(queue: ApprovalQueue, answer: QueueAnswer): Promise<void> {
  await Deno.writeTextFile(`${queue.dir}/${answer.id}.answer.json`, JSON.stringify(answer), {
    mode: 0o600,
  });
}

/** Sets request `id`'s file time `offsetMs` from its answer file's. */
async function markRelative(queue: ApprovalQueue, id: string, offsetMs: number): Promise<void> {
  const answered = (await Deno.stat(`${queue.dir}/${id}.answer.json`)).mtime!.getTime();
  const at = new Date(answered + offsetMs);
  await Deno.utime(`${queue.dir}/${id}.request.json`, at, at);
}

/** Makes request `id`'s taken marker, as its waiting thoth does once it read the answer. */
export async function markTaken(queue: ApprovalQueue, id: string): Promise<void> {
  await Deno.writeTextFile(`${queue.dir}/${id}.taken`, JSON.stringify({ v: 1, id, at: 0 }), {
    mode: 0o600,
    createNew: true,
  });
}

/** Fills the queue of `home` as described above; returns the ids. */
export async function staleQueue(home: string): Promise<StaleIds> {
  const queue = ApprovalQueue.forHome(home);
  const now = Date.now();
  const submit = async (digest: string, expiresAt: number) =>
    (await queue.submit(waitingRequest(digest, { expiresAt }))).id;
  const closedByThoth = await submit("a".repeat(64), now - 20 * MINUTE);
  await queue.close(closedByThoth, "expired", "a".repeat(64));
  const takenAnswer = await submit("b".repeat(64), now - 20 * MINUTE);
  await writeAnswer(queue, {
    v: 1,
    id: takenAnswer,
    digest: "b".repeat(64),
    decision: "approve",
    by: "ana",
    at: now - 21 * MINUTE,
  });
  await markRelative(queue, takenAnswer, -5_000);
  await markTaken(queue, takenAnswer);
  const unanswered = await submit("c".repeat(64), now - 20 * MINUTE);
  const untakenAnswer = await submit("d".repeat(64), now - 20 * MINUTE);
  await writeAnswer(queue, {
    v: 1,
    id: untakenAnswer,
    digest: "d".repeat(64),
    decision: "deny",
    by: "ana",
    at: now - 21 * MINUTE,
  });
  // Its thoth's last refresh came before the answer, and nothing marked it after.
  await markRelative(queue, untakenAnswer, -5_000);
  const earlierReleaseAnswer = await submit("9".repeat(64), now - 20 * MINUTE);
  await writeAnswer(queue, {
    v: 1,
    id: earlierReleaseAnswer,
    digest: "9".repeat(64),
    decision: "approve",
    by: "ana",
    at: now - 21 * MINUTE,
  });
  await markRelative(queue, earlierReleaseAnswer, 1_000);
  const recent = await submit("e".repeat(64), now - 2 * MINUTE);
  await queue.close(recent, "expired", "e".repeat(64));
  const pending = await submit("f".repeat(64), now + 10 * MINUTE);
  return {
    closedByThoth,
    takenAnswer,
    unanswered,
    untakenAnswer,
    earlierReleaseAnswer,
    recent,
    pending,
  };
}

/** The request ids whose request file is still in the queue of `home`. */
export function requestsLeft(home: string): string[] {
  return [...Deno.readDirSync(`${home}/approvals`)]
    .filter((e) => e.name.endsWith(".request.json"))
    .map((e) => e.name.slice(0, -".request.json".length))
    .sort();
}

/** Every file name in the queue of `home`. */
export function filesLeft(home: string): string[] {
  return [...Deno.readDirSync(`${home}/approvals`)].map((e) => e.name).sort();
}
