/**
 * What the tests of how `thoth audit show` shows a `session_start` share: a
 * record of one (in block mode, `extra` added), and the last cell of a
 * table's only record row.
 */

/** A `session_start` record in block mode, with `extra`'s fields. */
export const start = (extra: Record<string, unknown>) => ({
  seq: 0,
  ts: "2026-01-01T00:00:00.000Z",
  type: "session_start",
  session: "s-1",
  server: "fs",
  commandDigest: "ab",
  envKeys: [],
  mode: "block",
  ...extra,
});

/** The last (APPROVER) cell of the table's only record row: the row's text after its MODE cell. */
export function lastCell(table: string): string {
  const row = table.split("\n")[1] ?? "";
  return row.slice(row.indexOf(" block") + " block".length).trim();
}
