// A writer process for the audit tests, killed between writing a batch's
// records and counting them in the state file. Usage:
//   _killed_mid_batch_writer.ts <thothHome> <counted> <uncounted>
// It appends <counted> records one by one (each batch counted in the state
// file), then sends <uncounted> more with a checkpoint in one batch, with
// the checkpoints folder replaced by a file: the writer writes the batch's
// records before it signs, the signing fails, the batch never reaches the
// state file, and the process kills itself as a crash would.
import { openAuditLog } from "../../src/audit/audit_log.ts";

const [home, countedText, uncountedText] = Deno.args;
const log = await openAuditLog({ thothHome: home! });
const session = `killed-${Deno.pid}`;
for (let i = 0; i < Number(countedText); i++) {
  await log.append({ type: "cancellation", session, requestId: i, reason: "counted" });
}
const checkpoints = `${home}/audit/checkpoints`;
await Deno.remove(checkpoints, { recursive: true });
await Deno.writeTextFile(checkpoints, "not a folder\n");
const batch = Array.from({ length: Number(uncountedText) }, (_, i) => ({
  type: "cancellation" as const,
  session,
  requestId: 1000 + i,
  reason: "uncounted",
}));
const written = log.appendMany(batch);
const signed = log.checkpoint();
const outcomes = await Promise.allSettled([written, signed]);
if (outcomes.some((o) => o.status === "fulfilled")) {
  throw new Error("the batch was expected to fail when the checkpoint could not be written");
}
Deno.kill(Deno.pid, "SIGKILL");
