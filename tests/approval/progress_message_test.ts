/**
 * The progress a waiting call reports may reach the model (a client can show
 * it there): it says where a person answers, never the command that answers,
 * which a model with a shell could run to approve its own call.
 */
import assert from "node:assert/strict";
import { approvalProgress } from "../../src/approval/approval_progress.ts";
import type { ApprovalRequest } from "../../src/proxy/relay_session.ts";

Deno.test("approvalProgress() says a queued call waits for a terminal, naming no command", () => {
  const sent: { message: string }[] = [];
  const request = {
    progressToken: "p-1",
    client: {
      notify: (_method: string, params: unknown) => sent.push(params as { message: string }),
    },
  } as unknown as ApprovalRequest;
  const reporter = approvalProgress(request, 60_000, 60_000, () => 0);
  reporter.waitingIn("queue");
  reporter.stop();
  assert.equal(sent.length, 1);
  assert.equal(
    sent[0]!.message,
    "thoth: waiting for a person to approve from a terminal (60 s left)",
  );
  assert.doesNotMatch(sent[0]!.message, /thoth approvals/);
});
