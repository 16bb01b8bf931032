/**
 * `thoth audit show` gives a session_start's OS account by name and uid
 * (`OS account ana (uid 1000)`), by uid alone when the password file named
 * none (`uid 54321`), and by name alone in records without a uid; the export
 * bundle's README lists `osUid` with `osUser`.
 */
import assert from "node:assert/strict";
import { formatRecordTable } from "../../src/audit/format_records.ts";
import { bundleReadme } from "../../src/audit/bundle_readme.ts";
import { lastCell, start } from "./_session_start_row.ts";

Deno.test("formatRecordTable() shows a session_start's OS account by name and uid", () => {
  const both = formatRecordTable([
    start({ userId: "ana@example.com", osUser: "ana", osUid: 1000 }),
  ]);
  assert.equal(lastCell(both), "user ana@example.com; OS account ana (uid 1000)", both);
  const uidOnly = formatRecordTable([start({ osUid: 54321 })]);
  assert.equal(lastCell(uidOnly), "uid 54321", uidOnly);
  const nameOnly = formatRecordTable([start({ osUser: "ana" })]);
  assert.equal(lastCell(nameOnly), "OS account ana", nameOnly);
  const badUid = formatRecordTable([start({ osUid: "0; rm" })]);
  assert.equal(lastCell(badUid), "", badUid);
});

Deno.test("the bundle README lists osUid with osUser", () => {
  const text = bundleReadme({ firstSeq: 0, lastSeq: 9 });
  const row = text.split("\n").find((line) => line.includes("session_start: userId")) ?? "";
  for (const field of ["osUser", "osUid"]) assert.ok(row.includes(field), `${field}: ${row}`);
});
