/**
 * ToolsSnapshots after its session let go of records its log refused (see
 * `log_batches.ts`): a page whose last record was let go is recorded again,
 * once: at its next listing, or, listed no more, when the log takes batches
 * again; a record that a later listing of its page replaced, or one of
 * another session, is not. Pure: the records are collected as `later`
 * gets them.
 */
import assert from "node:assert/strict";
import type { ToolsSnapshotEvent } from "../../src/audit/record.ts";
import type { Queued } from "../../src/proxy/held_spool_files.ts";
import { ToolsSnapshots } from "../../src/proxy/tools_snapshots.ts";

const tool = (name: string) => ({ name, description: name, inputSchema: { type: "object" } });
const FIRST = { first: true } as const;

function newSnapshots(): { queued: ToolsSnapshotEvent[]; snapshots: ToolsSnapshots } {
  const queued: ToolsSnapshotEvent[] = [];
  const snapshots = new ToolsSnapshots({
    session: "s-1",
    server: "fs",
    later: (event: Queued) => queued.push(event as ToolsSnapshotEvent),
    note: () => {},
  });
  return { queued, snapshots };
}

Deno.test("ToolsSnapshots records a page whose last record was let go at its next listing, once", async () => {
  const { queued, snapshots } = newSnapshots();
  await snapshots.listed([tool("a")], FIRST);
  await snapshots.listed([tool("a")], FIRST);
  assert.equal(queued.length, 1, "the same tools again add nothing");
  snapshots.dropped(['{"type":"outcome"}', queued[0]!]);
  await snapshots.listed([tool("a")], FIRST);
  assert.equal(queued.length, 2, "recorded again: the first record was let go");
  assert.equal(queued[1]!.root, queued[0]!.root);
  // Recorded at the listing: the log working again adds nothing more.
  snapshots.writable();
  await snapshots.listed([tool("a")], FIRST);
  assert.equal(queued.length, 2);
});

Deno.test("ToolsSnapshots queues a page's last record again when the log takes batches again", async () => {
  const { queued, snapshots } = newSnapshots();
  await snapshots.listed([tool("a")], FIRST);
  await snapshots.listed([tool("b")], { first: false, cursor: "2" });
  await snapshots.listed([tool("a"), tool("c")], "every page");
  assert.equal(queued.length, 3);
  // All three let go; the cursor page's first record had been replaced by then.
  await snapshots.listed([tool("b2")], { first: false, cursor: "2" });
  assert.equal(queued.length, 4);
  snapshots.dropped(queued.slice(0, 3));
  snapshots.writable();
  assert.deepEqual(
    queued.slice(4).map((event) => event.tools.map((t) => t.name)),
    [["a"], ["a", "c"]],
    "each page's last record that was let go, once; not the replaced one",
  );
  snapshots.writable();
  assert.equal(queued.length, 6, "once only");
  await snapshots.listed([tool("a")], FIRST);
  assert.equal(queued.length, 6, "recorded again already: the next listing adds nothing");
});

Deno.test("ToolsSnapshots ignores let-go records of another session or of another type", async () => {
  const { queued, snapshots } = newSnapshots();
  await snapshots.listed([tool("a")], FIRST);
  snapshots.dropped([{ ...queued[0]!, session: "s-other" }, '{"type":"tools_snapshot"}']);
  snapshots.writable();
  await snapshots.listed([tool("a")], FIRST);
  assert.equal(queued.length, 1);
});
