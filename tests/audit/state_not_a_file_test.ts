// A writer (thoth run, audit checkpoint) never reads a state
// file that is no regular file: a FIFO in its place, or a link to one, would
// hold it for ever. It refuses at once, naming the state file, not only the
// folder, and saying how to recover: moved away, the state is rebuilt from
// the log by the next writer, which records that it was.
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { isAppError } from "../../src/errors.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { readLines, sampleLog, segmentPath, tamperKinds } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { tempFolder } from "../_temp_dirs.ts";

for (const link of [false, true]) {
  Deno.test({
    name: `audit checkpoint: a state file that is ${
      link ? "a link to a FIFO" : "a FIFO"
    } is refused at once, naming the state file and the remedy; audit export, which only reads, is not held`,
    ignore: !HAS_FIFO,
    fn: async () => {
      const home = await sampleLog(1, 2);
      const state = `${home}/audit/.state.json`;
      const fifo = link ? `${home}/elsewhere.fifo` : state;
      await Deno.remove(state);
      await makeFifo(fifo);
      if (link) await Deno.symlink(fifo, state);
      // export never opens a writer (nor the state file): it is not held, and writes nothing.
      const out = `${await tempFolder("thoth-export-")}/bundle`;
      const exported = await settlesAtOnce(
        () => thothAudit(home, "export", "--since", "3650d", "--output", out),
        fifo,
      );
      assert.equal(exported.code, 0, exported.err);
      const result = await settlesAtOnce(() => thothAudit(home, "checkpoint"), fifo);
      assert.equal(result.code, 1, result.err);
      assert.ok(result.err.includes(`its state file "${state}" is not a regular file`), result.err);
      assert.ok(result.err.includes(`move "${state}" away`), result.err);
      assert.doesNotMatch(result.err, /writable folder on a disk with free space/);
      await assert.rejects(
        openAuditLog({ thothHome: home }),
        (e) => isAppError(e, "audit.unwritable"),
      );

      // The remedy works: moved away, the state is rebuilt from the log and that is recorded.
      await Deno.remove(state);
      const again = await thothAudit(home, "checkpoint");
      assert.equal(again.code, 0, again.err);
      const records = (await readLines(await segmentPath(home, -1))).map((l) => JSON.parse(l));
      assert.ok(records.some((r) => r.type === "state_rebuilt"));
      assert.deepEqual(tamperKinds((await verifyLocalLog(home)).findings), []);
    },
  });
}
