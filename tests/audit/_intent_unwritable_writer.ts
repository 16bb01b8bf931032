// A writer process for the audit tests that cannot write its batch intent
// (audit/.pending is a folder) and is then killed as a crash would kill it.
// Usage:
//   _intent_unwritable_writer.ts <thothHome> <counted> <approvals>
// It appends <counted> records one by one (each batch counted in the state
// file), makes .pending a folder, then sends <approvals> approval records
// with a checkpoint in one batch, with the checkpoints folder replaced by a
// file: a writer that writes the batch's lines without their intent leaves
// them past the count when the signing fails and the process is killed.
// Each rejection's code and message go to stderr, one a line.
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { AppError } from "../../src/errors.ts";

const [home, countedText, approvalsText] = Deno.args;
const log = await openAuditLog({ thothHome: home! });
const session = `unvouched-${Deno.pid}`;
for (let i = 0; i < Number(countedText); i++) {
  await log.append({ type: "cancellation", session, requestId: i, reason: "counted" });
}
await Deno.remove(`${home}/audit/.pending`).catch(() => {});
await Deno.mkdir(`${home}/audit/.pending`);
const checkpoints = `${home}/audit/checkpoints`;
await Deno.remove(checkpoints, { recursive: true });
await Deno.writeTextFile(checkpoints, "not a folder\n");
const batch = Array.from({ length: Number(approvalsText) }, (_, i) => ({
  type: "approval" as const,
  session,
  decisionId: `d-${i}`,
  channel: "queue" as const,
  approver: "ana@example.com",
  outcome: "approved" as const,
}));
const outcomes = await Promise.allSettled([log.appendMany(batch), log.checkpoint()]);
for (const outcome of outcomes) {
  if (outcome.status === "fulfilled") throw new Error("the batch was expected to fail");
  const error = outcome.reason;
  const line = error instanceof AppError ? `${error.code}: ${error.message}` : String(error);
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}
Deno.kill(Deno.pid, "SIGKILL");
