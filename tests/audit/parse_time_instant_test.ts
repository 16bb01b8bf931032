// A period of one instant: records are stamped to the millisecond, so
// --since and --until naming the same millisecond take the records stamped
// in it; two times finer than that, inside one millisecond, can hold no
// record: they are refused with a message that says so and names the
// millisecond to give instead (never "--since is after --until" for equal times).
import assert from "node:assert/strict";
import { parsePeriod } from "../../src/audit/parse_time.ts";
import { isAppError } from "../../src/errors.ts";
import { thothAudit } from "./_audit_cli.ts";
import { sampleLog } from "./_log_helpers.ts";

const now = new Date("2026-03-02T00:00:00Z");

Deno.test("parsePeriod() takes one millisecond as a period, and refuses two finer times inside one, naming the millisecond", () => {
  const ms = parsePeriod(
    { since: "2026-03-01T10:00:05.123Z", until: "2026-03-01T10:00:05.123Z" },
    now,
  );
  assert.equal(ms.since?.toISOString(), "2026-03-01T10:00:05.123Z");
  assert.equal(ms.until?.toISOString(), "2026-03-01T10:00:05.123Z");

  for (
    const [since, until] of [
      ["2026-03-01T10:00:05.1234Z", "2026-03-01T10:00:05.1234Z"],
      ["2026-03-01T10:00:05.1231Z", "2026-03-01T10:00:05.1239Z"],
      ["2026-03-01T12:00:05.1234+02:00", "2026-03-01T10:00:05.123400001Z"],
    ]
  ) {
    assert.throws(
      () => parsePeriod({ since, until }, now),
      (error: unknown) =>
        isAppError(error, "usage.bad_time") && error.exitCode === 2 &&
        error.message.includes(
          `--since "${since}" and --until "${until}" lie within one millisecond (2026-03-01T10:00:05.123Z)`,
        ) && /no record can fall between them/.test(error.message) &&
        error.hints.join("\n").includes(
          "--since 2026-03-01T10:00:05.123Z --until 2026-03-01T10:00:05.123Z",
        ),
      `${since} ${until}`,
    );
  }
  // Reversed inside one millisecond is still reversed.
  assert.throws(
    () =>
      parsePeriod({ since: "2026-03-01T10:00:05.1239Z", until: "2026-03-01T10:00:05.1231Z" }, now),
    (error: unknown) =>
      isAppError(error, "usage.bad_time") && /is after --until/.test(error.message) &&
      /swap them \(--since "2026-03-01T10:00:05\.1231Z" --until "2026-03-01T10:00:05\.1239Z"\)/
        .test(error.hints.join("\n")),
  );
});

Deno.test("thoth audit export --since X --until X: a millisecond exports its record; a finer instant is refused with the fix", async () => {
  const home = await sampleLog(1, 4); // records stamped to the millisecond, seconds apart
  const third = JSON.parse((await thothAudit(home, "show", "--json")).out.split("\n")[2]!);
  assert.match(third.ts, /^2026-03-01T10:00:\d\d\.000Z$/);
  const out = `${home}/instant`;
  const ok = await thothAudit(
    home,
    "export",
    "--since",
    third.ts,
    "--until",
    third.ts,
    "--output",
    out,
  );
  assert.equal(ok.code, 0, ok.err);
  const manifest = JSON.parse(await Deno.readTextFile(`${out}/manifest.json`));
  assert.deepEqual(manifest.requested, { firstSeq: 2, lastSeq: 2 });

  const finer = third.ts.replace(/Z$/, "4Z");
  const refused = await thothAudit(
    home,
    "export",
    "--since",
    finer,
    "--until",
    finer,
    "--output",
    `${home}/never`,
  );
  assert.equal(refused.code, 2, refused.err);
  assert.ok(refused.err.includes(`lie within one millisecond (${third.ts})`), refused.err);
  assert.doesNotMatch(refused.err, /is after --until/);
  assert.ok(refused.err.includes(`--since ${third.ts} --until ${third.ts}`), refused.err);
  assert.match(refused.err, /thoth: hint: /);
  await assert.rejects(Deno.lstat(`${home}/never`), Deno.errors.NotFound);
});
