/**
 * orphanSpools also finds a spool file a dead session had claimed (stale),
 * but not one a living holder keeps fresh, nor its own; writeSpoolFile puts
 * a whole file in place and leaves no temp file. Real files under a temp folder.
 */
import assert from "node:assert/strict";
import { claimedName } from "../../src/audit/spool_claims.ts";
import { DecisionSpool, readSpool } from "../../src/audit/decision_spool.ts";
import { orphanSpools } from "../../src/audit/orphan_spools.ts";
import { writeSpoolFile } from "../../src/audit/write_spool_file.ts";
import { SpoolMac } from "../../src/audit/spool_mac.ts";
import { tempDir } from "../e2e/_harness.ts";
import { spoolMacOf } from "./_spool_mac.ts";

const MIN_AGE = 60_000;

Deno.test("orphanSpools takes a stale claimed spool file, not a fresh one nor the session's own", async () => {
  await using dir = await tempDir("thoth-spool-claimed-");
  DecisionSpool.open(dir.path, "s-any").close();
  const spool = DecisionSpool.dir(dir.path);
  const old = new Date(Date.now() - 2 * MIN_AGE);
  const names = [
    "s-a-1.jsonl",
    "s-b-1.jsonl.claimed-s-dead",
    "s-c-1.jsonl.claimed-s-alive",
    "s-d-1.jsonl.claimed-s-me",
    "s-e-1.jsonl.tmp",
  ];
  for (const name of names) {
    Deno.writeTextFileSync(`${spool}/${name}`, '{"type":"approval"}\n');
    if (name !== "s-c-1.jsonl.claimed-s-alive") Deno.utimeSync(`${spool}/${name}`, old, old);
  }
  assert.deepEqual(
    orphanSpools(dir.path, "s-me", Date.now(), MIN_AGE).map((p) => p.split("/").pop()),
    ["s-a-1.jsonl", "s-b-1.jsonl.claimed-s-dead"],
  );
  assert.equal(
    claimedName(`${spool}/s-b-1.jsonl.claimed-s-dead`, "s-me"),
    `${spool}/s-b-1.jsonl.claimed-s-me`,
    "claimed again under its first name",
  );
  assert.equal(claimedName(`${spool}/s-a-1.jsonl`, "s-me"), `${spool}/s-a-1.jsonl.claimed-s-me`);
});

Deno.test("writeSpoolFile writes every record whole and leaves no temp file; DecisionSpool.writeFile names a new file", async () => {
  await using dir = await tempDir("thoth-spool-claimed-");
  const mac = await spoolMacOf(dir.path);
  const spool = DecisionSpool.open(dir.path, "s-w", Date.now, mac);
  const bodies = ["d-1", "d-2"].map((id) =>
    JSON.stringify({ type: "decision", session: "s-w", decisionId: id })
  );
  const opened = spool.write({
    type: "approval",
    session: "s-w",
    decisionId: "d-0",
    channel: "x",
    outcome: "denied",
  });
  assert.ok(opened.length > 0);
  const path = spool.writeFile(bodies);
  spool.close();
  assert.match(path, /\/s-w-2\.jsonl$/, "a name of its own after the open file's");
  assert.deepEqual(readSpool(path, mac).map((e) => (e as { decisionId?: string }).decisionId), [
    "d-1",
    "d-2",
  ]);
  assert.deepEqual(
    [...Deno.readDirSync(DecisionSpool.dir(dir.path))].map((e) => e.name).sort(),
    ["s-w-1.jsonl", "s-w-2.jsonl"],
  );
  // A place it cannot be written: it throws and leaves nothing.
  const blocked = `${DecisionSpool.dir(dir.path)}/blocked.jsonl`;
  Deno.mkdirSync(blocked);
  Deno.writeTextFileSync(`${blocked}/x`, "");
  assert.throws(() => writeSpoolFile(blocked, { mac: mac.forSession("blocked"), bodies }));
  assert.equal(
    [...Deno.readDirSync(DecisionSpool.dir(dir.path))].some((e) => e.name.endsWith(".tmp")),
    false,
  );
});

Deno.test("writeSpoolFile syncs the spool folder once the new name is in place, and not when it fails", async () => {
  await using dir = await tempDir("thoth-spool-synced-");
  const folder = DecisionSpool.dir(dir.path);
  Deno.mkdirSync(folder, { recursive: true });
  const path = `${folder}/s-w-9.jsonl`;
  const synced: { folder: string; names: string[] }[] = [];
  const syncName = (at: string) => {
    // What the folder holds when it is synced: the sync must come after the rename.
    const names = [...Deno.readDirSync(at)].map((e) => e.name).sort();
    synced.push({ folder: at, names });
  };
  const mac = new SpoolMac(new Uint8Array(32)).forSession("s-w");
  const bodies = [JSON.stringify({ type: "decision", decisionId: "d-1" })];
  writeSpoolFile(path, { mac, bodies }, 5, syncName);
  assert.deepEqual(synced, [{ folder, names: ["s-w-9.jsonl"] }]);
  // A place it cannot be written: no sync of a name that was never made.
  const blocked = `${folder}/blocked.jsonl`;
  Deno.mkdirSync(blocked);
  Deno.writeTextFileSync(`${blocked}/x`, "");
  assert.throws(() => writeSpoolFile(blocked, { mac, bodies: ["{}"] }, undefined, syncName));
  assert.equal(synced.length, 1);
});
