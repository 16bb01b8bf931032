// verify --bundle and --anchor read only regular files: a FIFO in the place
// of the manifest, a listed bundle file or the anchor stops verification at
// once with a clear message (exit 3) instead of blocking it for ever.
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { isAppError } from "../../src/errors.ts";
import { HAS_FIFO, makeFifo, replaceWithFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { sampleLog } from "./_log_helpers.ts";
import { bundleRecords, exportSample } from "./_bundle_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

/** What `run` settles with: its value, or the error it rejects with. */
function settled<T>(run: () => Promise<T>): () => Promise<T | unknown> {
  return () => run().then((value) => value, (error: unknown) => error);
}

for (
  const [what, place] of [
    ["the manifest", (dir: string) => `${dir}/manifest.json`],
    ["a listed records file", (dir: string) => bundleRecords(dir)],
    ["the keys file", (dir: string) => `${dir}/keys/audit-signing-keys.json`],
  ] as const
) {
  Deno.test({
    name: `verify --bundle: ${what} as a FIFO cannot run (exit 3) instead of hanging`,
    ignore: !HAS_FIFO,
    fn: async () => {
      const home = await sampleLog(1, 4);
      const dir = await exportSample(home);
      const fifo = place(dir);
      await replaceWithFifo(fifo);
      const error = await settlesAtOnce(settled(() => verifyBundle(dir)), fifo);
      assert.ok(isAppError(error, "audit.bad_bundle"), String(error));
      assert.match(error.message, /is not a regular file/);
      const r = await settlesAtOnce(() => thothAudit(home, "verify", "--bundle", dir), fifo);
      assert.equal(r.code, 3, r.err);
      assert.match(r.err, /is not a regular file/);
    },
  });
}

Deno.test({
  name: "verify --anchor: an anchor that is a FIFO cannot run (exit 3) instead of hanging",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const fifo = `${home}/anchor.note`;
    await makeFifo(fifo);
    const error = await settlesAtOnce(
      settled(() => verifyLocalLog(home, { anchorPath: fifo })),
      fifo,
    );
    assert.ok(isAppError(error, "audit.no_anchor"), String(error));
    assert.match(error.message, /cannot read the anchor checkpoint ".*": it is not a regular file/);
    const dir = await exportSample(home);
    const r = await settlesAtOnce(
      () => thothAudit(home, "verify", "--bundle", dir, "--anchor", fifo),
      fifo,
    );
    assert.equal(r.code, 3, r.err);
  },
});
