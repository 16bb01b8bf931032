/**
 * The device keys an approval-queue test needs, as a real session has them:
 * a waiting thoth makes its profile's audit keys before it queues a request,
 * and checks every person's answer by its MAC (see `answer_mac.ts`), which
 * `thoth approvals` makes with those keys. Tests that queue requests by hand
 * start from {@linkcode queueWithKeys}; tests that write an answer file by
 * hand, as `thoth approvals` would, sign it with {@linkcode signAnswer}.
 *
 * @example
 * ```ts
 * const queue = await queueWithKeys(home);
 * await Deno.writeTextFile(`${queue.dir}/${id}.answer.json`, JSON.stringify(answer));
 * await signAnswer(home, answer);
 * ```
 */
import { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { AnswerMacKey, answerMacName } from "../../src/approval/answer_mac.ts";
import type { QueueAnswer, QueueEntry } from "../../src/approval/queue_record.ts";
import { answerBinding } from "../../src/approval/answer_binding.ts";
import type { HostCheck, WaiterCheck } from "../../src/approval/waiter_watch.ts";
import { loadDeviceKeys } from "../../src/audit/device_keys.ts";

/**
 * Makes `home`'s device keys (as a session's audit does before its first
 * decision) and returns its queue. Call it before an approver in the same
 * process asks: two first loads at once could each make a key.
 */
export async function queueWithKeys(
  home: string,
  now?: () => number,
  alive?: WaiterCheck,
  host?: HostCheck,
): Promise<ApprovalQueue> {
  await loadDeviceKeys(home, new Date());
  return ApprovalQueue.forHome(home, now, alive, host);
}

/** Writes the MAC file of `answer` in `home`'s queue, as `thoth approvals` does before the answer. */
export async function signAnswer(home: string, answer: QueueAnswer): Promise<void> {
  const key = new AnswerMacKey((await loadDeviceKeys(home, new Date())).hmacRaw);
  const dir = `${home}/approvals`;
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(
    `${dir}/${answerMacName(answer.id, key.mac(answer))}`,
    JSON.stringify({ v: 1, id: answer.id }),
    { mode: 0o600 },
  );
}

/**
 * `answer` bound to what `thoth approvals` would show of its request in
 * `home`'s queue (server, tool, decision id, shape hash; see
 * `answer_binding.ts`), as a person's answer of this release is.
 */
export async function boundAnswer(home: string, answer: QueueAnswer): Promise<QueueAnswer> {
  const text = await Deno.readTextFile(`${home}/approvals/${answer.id}.request.json`);
  return { ...answer, ...answerBinding(JSON.parse(text) as QueueEntry) };
}
