import assert from "node:assert/strict";
import { checkLogEnd } from "../../src/audit/check_log_end.ts";
import { parseLogState } from "../../src/audit/log_state.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { sampleLog, segmentPath } from "./_log_helpers.ts";

Deno.test({
  name: "checkLogEnd() reports a segment the state names that is a FIFO instead of hanging",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const state = parseLogState(await Deno.readTextFile(`${home}/audit/.state.json`))!;
    const path = await segmentPath(home, -1);
    await Deno.remove(path);
    await makeFifo(path);
    assert.equal(
      await settlesAtOnce(() => checkLogEnd(home, state), path),
      `the state file counts ${state.size} records, but the segment it ends in, ${state.segment}, is not a regular file: the log was changed`,
    );
  },
});
