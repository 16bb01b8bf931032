/**
 * The audit health `thoth doctor` and `thoth health` report, with a FIFO in
 * place of the audit state file or of the segment it names: refused and
 * reported as degraded, never read (a read would block for ever).
 */
import assert from "node:assert/strict";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { sampleLog, segmentPath } from "../audit/_log_helpers.ts";
import { fakeIo } from "../doctor/_helpers.ts";
import { HAS_FIFO, replaceWithFifo, settlesAtOnce } from "../platform/_fifo.ts";

function auditHealth(home: string) {
  return thothDoctorPlugins(fakeIo(home)).auditHealth!({ env: {}, thothHome: home, os: "linux" });
}

Deno.test({
  name: "audit health is degraded, with a hint, when the audit state file is a FIFO",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const state = `${home}/audit/.state.json`;
    await replaceWithFifo(state);
    const segment = await segmentPath(home, 0);
    const health = await settlesAtOnce(() => auditHealth(home), state);
    assert.deepEqual(health, {
      status: "degraded",
      lastSequence: null,
      lastCheckpointAt: null,
      verified: null,
      message: `cannot read the audit state "${state}": it is not a regular file`,
      hint: `remove it (rm '${state}'): the next governed session rebuilds it from the log; ` +
        'then run "thoth audit verify"',
      spool: null,
      spoolProblem: null,
      spoolRefused: null,
      // The lost folder is usable and holds no tally.
      lostTallies: { folderProblem: null, refused: null, unchecked: 0, waiting: 0, unvouched: 0 },
      // No other process holds the audit lock.
      lockHeld: null,
      // The segments are only stat'ed: their size is still known.
      logSize: { bytes: (await Deno.stat(segment)).size, segments: 1, oldestDay: "2026-03-01" },
    });
  },
});

Deno.test({
  name: "audit health is degraded when the segment the state names is a FIFO",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const segment = await segmentPath(home, -1);
    await replaceWithFifo(segment);
    const health = await settlesAtOnce(() => auditHealth(home), segment);
    assert.equal(health.status, "degraded");
    assert.equal(health.verified, false);
    assert.match(
      health.message,
      /^the audit log does not match its state file: the state file counts \d+ records, but the segment it ends in, seg-\S+, is not a regular file: the log was changed$/,
    );
  },
});
