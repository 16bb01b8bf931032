/**
 * thoth's own listing of the server's tools fails, rather than passing as
 * complete, when the server still names a next page after the most pages
 * thoth reads or when the whole listing outlasts its budget: a tool on a
 * page thoth never read would otherwise count as one in no listing, and be
 * decided by the policy's default. A page of more tools than a call takes
 * arguments is read whole. Driven with answers made here and a clock the
 * test moves.
 */
import assert from "node:assert/strict";
import { listServerTools, type OwnAnswer } from "../../src/proxy/own_tools_listing.ts";
import { classifyMessage } from "../../src/protocol/jsonrpc_message.ts";

/** The server's answer to a `tools/list`, as thoth reads it. */
function page(tools: unknown[], nextCursor?: string): OwnAnswer {
  const result = nextCursor === undefined ? { tools } : { tools, nextCursor };
  return classifyMessage({ jsonrpc: "2.0", id: "thoth-x-server-1", result });
}

const OPTIONS = { meta: undefined, maxPages: 32, pageTimeoutMs: 5_000, budgetMs: 15_000 };

Deno.test("a server that still names a next page after the last page thoth reads fails the listing", async () => {
  const asked: unknown[] = [];
  const listed = await listServerTools((params) => {
    asked.push(params);
    const at = Number((params?.["cursor"] as string | undefined) ?? "0");
    // 40 pages of one tool; the destructive one is on the last.
    const tool = at === 39
      ? { name: "nuke", annotations: { destructiveHint: true } }
      : { name: `filler${at}`, annotations: { readOnlyHint: true } };
    return Promise.resolve(page([tool], at === 39 ? undefined : String(at + 1)));
  }, { ...OPTIONS, now: () => 0 });
  assert.equal(listed.ok, false, "not complete: page 33 and on were never read");
  assert.match(!listed.ok ? listed.why : "", /more than 32 pages/);
  assert.equal(asked.length, 32);
});

Deno.test("a listing that ends on its last allowed page is complete", async () => {
  const listed = await listServerTools((params) => {
    const at = Number((params?.["cursor"] as string | undefined) ?? "0");
    return Promise.resolve(page([{ name: `t${at}` }], at === 31 ? undefined : String(at + 1)));
  }, { ...OPTIONS, now: () => 0 });
  assert.ok(listed.ok);
  assert.equal(listed.tools.size, 32);
  assert.equal(listed.pages, 32);
});

Deno.test("a listing not done within its budget fails, and its last page waits no longer than what is left", async () => {
  let clock = 0;
  const timeouts: number[] = [];
  const listed = await listServerTools((params, timeoutMs) => {
    timeouts.push(timeoutMs);
    clock += 6_000; // every page takes 6 s of the clock
    const at = Number((params?.["cursor"] as string | undefined) ?? "0");
    return Promise.resolve(page([{ name: `t${at}` }], String(at + 1)));
  }, { ...OPTIONS, now: () => clock });
  assert.equal(listed.ok, false);
  assert.match(!listed.ok ? listed.why : "", /not done within 15 s \(after 3 pages\)/);
  assert.deepEqual(timeouts, [5_000, 5_000, 3_000]);
});

Deno.test("a page whose answer the budget cut short fails the listing for the budget", async () => {
  let clock = 0;
  const listed = await listServerTools((_params, timeoutMs) => {
    // Three pages in 4 s each; the fourth is given the 3 s left, and does not come.
    if (timeoutMs < 5_000) {
      clock += timeoutMs;
      return Promise.resolve({ missing: `the server did not answer within ${timeoutMs} ms` });
    }
    clock += 4_000;
    return Promise.resolve(page([{ name: `t${clock}` }], `after-${clock}`));
  }, { ...OPTIONS, now: () => clock });
  assert.equal(listed.ok, false);
  assert.match(!listed.ok ? listed.why : "", /not done within 15 s \(after 3 pages\)/);
});

Deno.test("a page of more tools than a call takes arguments is read whole", async () => {
  const tools = Array.from({ length: 200_000 }, (_, i) => ({ name: `t${i}` }));
  const listed = await listServerTools(() => Promise.resolve(page(tools)), {
    ...OPTIONS,
    now: () => 0,
  });
  assert.ok(listed.ok);
  assert.equal(listed.definitions.length, 200_000);
  assert.equal(listed.tools.size, 200_000);
});

Deno.test("a listing tried again spends only what the earlier tries left of the budget", async () => {
  let clock = 12_000; // two earlier tries, begun at 0, took 12 s
  const timeouts: number[] = [];
  const listed = await listServerTools((params, timeoutMs) => {
    timeouts.push(timeoutMs);
    clock += 2_000;
    const at = Number((params?.["cursor"] as string | undefined) ?? "0");
    return Promise.resolve(page([{ name: `t${at}` }], String(at + 1)));
  }, { ...OPTIONS, now: () => clock, startedAt: 0 });
  assert.equal(listed.ok, false);
  assert.match(!listed.ok ? listed.why : "", /not done within 15 s \(after 2 pages\)/);
  assert.deepEqual(timeouts, [3_000, 1_000]);
});
