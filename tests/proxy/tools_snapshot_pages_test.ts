/**
 * A paged listing gets one `tools_snapshot` record per page, however often
 * the client lists it again, and a page that changes gets one new record,
 * for it alone: each page is compared with the one last recorded for the
 * same page (the first, or the cursor it was asked for with). Before, a page
 * was compared with the page recorded just before it, so each listing of
 * two or more different pages recorded every page again. A real `thoth run`
 * session with a fixture server of three pages; `thoth audit verify` passes.
 */
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import { ToolsListingDigest } from "../../src/audit/tools_listing_digest.ts";
import { MAX_PAGES, ToolsSnapshots } from "../../src/proxy/tools_snapshots.ts";
import type { Queued } from "../../src/proxy/held_spool_files.ts";
import { runThoth } from "../cli/_thoth_process.ts";
import {
  DENO,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";

type Rec = Record<string, unknown>;

/** Lists every page through thoth `times` times; returns each listing's pages' tools. */
async function listPages(server: string[], home: string, times: number): Promise<unknown[][][]> {
  const peer = new RawPeer(
    throughThoth(server, ["--agent-id", "pager"]),
    testEnv({ THOTH_HOME: `${home}/thoth`, HOME: home }),
  );
  const listings: unknown[][][] = [];
  let id = 0;
  try {
    await peer.send(initializeRequest(id));
    await peer.responseTo(id, 60_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    for (let time = 0; time < times; time++) {
      const pages: unknown[][] = [];
      let cursor: string | undefined;
      do {
        id += 1;
        const params = cursor === undefined ? {} : { cursor };
        await peer.send({ jsonrpc: "2.0", id, method: "tools/list", params });
        const result = (await peer.responseTo(id, 60_000))["result"] as Rec;
        pages.push(result["tools"] as unknown[]);
        cursor = result["nextCursor"] as string | undefined;
      } while (cursor !== undefined);
      listings.push(pages);
    }
  } finally {
    const status = await peer.finish(60_000);
    assert.equal(status.code, 0, peer.stderr);
  }
  return listings;
}

async function rootOf(definitions: readonly unknown[]): Promise<string> {
  const digest = new ToolsListingDigest();
  for (const definition of definitions) digest.add(definition);
  return (await digest.finish()).root;
}

async function snapshotRoots(home: string): Promise<string[]> {
  const lines = await readLogLines(auditPaths(`${home}/thoth`).dir);
  return lines.filter((l) => l.record?.["type"] === "tools_snapshot")
    .map((l) => l.record!["root"] as string);
}

Deno.test("thoth run records each page of a paged listing once, and a changed page once more", async () => {
  await using dir = await tempDir();
  // Three pages; the last page's last tool changes from the third listing on.
  const server = [
    DENO,
    "run",
    "--quiet",
    `${ROOT}/tests/fixtures/proxy/paged_listing_server.ts`,
    ...["--pages", "3", "--change-on", "3"],
  ];
  const listings = await listPages(server, dir.path, 3);
  const [first, second, third] = listings;
  assert.equal(first!.length, 3, "three pages a listing");
  assert.deepEqual(second, first, "the second listing repeats the first");
  assert.deepEqual(third!.slice(0, 2), first!.slice(0, 2), "the first two pages stay");
  assert.notDeepEqual(third![2], first![2], "the last page changed");
  const expected = await Promise.all([...first!, third![2]!].map(rootOf));
  assert.deepEqual(
    await snapshotRoots(dir.path),
    expected,
    "one record per page, then one for the changed page only",
  );
  const verify = await runThoth(["audit", "verify"], {
    env: { THOTH_HOME: `${dir.path}/thoth`, HOME: dir.path },
    cwd: dir.path,
  });
  assert.equal(verify.code, 0, verify.out + verify.err);
});

Deno.test("a session keeps the last recorded root of the most recently listed pages only", async () => {
  const records: Queued[] = [];
  const snapshots = new ToolsSnapshots({
    session: "s-1",
    server: "paged",
    later: (event) => records.push(event),
    note: () => {},
  });
  const page = (k: number) => [{ name: `t${k}`, inputSchema: { type: "object" } }];
  const cursor = (k: number) => ({ first: false as const, cursor: `c${k}` });
  // The first page, then MAX_PAGES others: the first page is the least recently listed.
  await snapshots.listed(page(0), { first: true });
  for (let k = 1; k <= MAX_PAGES; k++) await snapshots.listed(page(k), cursor(k));
  assert.equal(records.length, MAX_PAGES + 1);
  await snapshots.listed(page(MAX_PAGES), cursor(MAX_PAGES));
  assert.equal(records.length, MAX_PAGES + 1, "a page kept, unchanged: no record");
  await snapshots.listed(page(0), { first: true });
  assert.equal(records.length, MAX_PAGES + 2, "a page no longer kept is recorded again");
  // A page whose cursor thoth does not know is compared with nothing.
  await snapshots.listed(page(1), { first: false, cursor: undefined });
  await snapshots.listed(page(1), { first: false, cursor: undefined });
  assert.equal(records.length, MAX_PAGES + 4);
  // thoth's own listing of every page is kept apart from the client's first page.
  await snapshots.listed(page(0), "every page");
  assert.equal(records.length, MAX_PAGES + 5);
  await snapshots.listed(page(0), { first: true });
  assert.equal(records.length, MAX_PAGES + 5, "the first page is still the one recorded");
});
