/**
 * Which paths of thoth's written command `wrap-config` judges: the program,
 * and, from source, thoth's entry script and deno's `--config=` file, each
 * named in the warning for what it is; a part already named is not said
 * again. A compiled thoth (or a --thoth-path) is its one path.
 */
import assert from "node:assert/strict";
import { writtenCommandRisks } from "../../src/platform/written_path_risk.ts";
import { redirectablePathWarning } from "../../src/cli/redirectable_path_warning.ts";
import type { RedirectablePart } from "../../src/platform/redirectable_part.ts";

const SOURCE = [
  "/usr/bin/deno",
  "run",
  "-P=thoth",
  "--no-prompt",
  "--config=/srv/code/thoth/deno.json",
  "/srv/code/thoth/src/cli/thoth.ts",
];

/** `partOf` for a machine where the parts in `risky` (path → part) can be changed by others. */
function partsOf(risky: Record<string, RedirectablePart>) {
  return (path: string) => Object.entries(risky).find(([prefix]) => path.startsWith(prefix))?.[1];
}

Deno.test("writtenCommandRisks() judges the entry script and deno's config, not only deno", () => {
  const open: RedirectablePart = { path: "/srv/code", uid: 0, why: "writable" };
  const risks = writtenCommandRisks(SOURCE, partsOf({ "/srv/code/": open }));
  assert.deepEqual(risks, [{
    path: "/srv/code/thoth/src/cli/thoth.ts",
    role: "script",
    part: open,
  }]);
  const config: RedirectablePart = { path: "/srv/code/thoth/deno.json", uid: 0, why: "writable" };
  assert.deepEqual(
    writtenCommandRisks(SOURCE, partsOf({ "/srv/code/thoth/deno.json": config })),
    [{ path: "/srv/code/thoth/deno.json", role: "config", part: config }],
  );
  const shared: RedirectablePart = { path: "/usr", uid: 1001, why: "owner" };
  const theirs: RedirectablePart = { path: "/srv/code/thoth", uid: 1001, why: "owner" };
  assert.deepEqual(
    writtenCommandRisks(SOURCE, partsOf({ "/usr/": shared, "/srv/code/thoth/": theirs })).map((r) =>
      r.role
    ),
    ["program", "script"],
  );
  assert.deepEqual(writtenCommandRisks(SOURCE, () => undefined), []);
});

Deno.test("writtenCommandRisks() judges a compiled thoth or a --thoth-path by its one path", () => {
  const open: RedirectablePart = { path: "/opt", uid: 0, why: "writable" };
  assert.deepEqual(writtenCommandRisks(["/opt/thoth"], partsOf({ "/opt/": open })), [
    { path: "/opt/thoth", role: "program", part: open },
  ]);
  assert.deepEqual(writtenCommandRisks([], partsOf({ "/": open })), []);
});

Deno.test("the warning names the entry script or deno's config for what it is", () => {
  const part: RedirectablePart = { path: "/srv/code", uid: 0, why: "writable" };
  assert.match(
    redirectablePathWarning("/srv/code/thoth/src/cli/thoth.ts", part, false, "script"),
    /^the thoth entry script written, \/srv\/code\/thoth\/src\/cli\/thoth\.ts, can be made to start/,
  );
  assert.match(
    redirectablePathWarning("/srv/code/thoth/deno.json", part, false, "config"),
    /^the deno config written \(--config\), \/srv\/code\/thoth\/deno\.json, can be made to start/,
  );
  assert.match(
    redirectablePathWarning("/usr/bin/deno", part, false),
    /^the thoth path written, \/usr\/bin\/deno, can be made/,
  );
});
