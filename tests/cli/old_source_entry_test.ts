/**
 * A client config entry the previous release wrote for thoth run from source
 * (its `deno run …` line without `--no-remote`) after thoth added the flag:
 * `thoth status` still counts it as governed, and `thoth wrap-config`
 * rewrites it with `--no-remote`, saying why, and leaves it alone after that.
 * Runs the real thoth from source, started as it starts itself.
 */
import assert from "node:assert/strict";
import { launchDrift } from "../../src/config/wrap_entry.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { SELF, sourceThoth as thoth } from "./_source_thoth.ts";

/** The line the previous release wrote: the same, without the flags that keep modules off the network. */
const NEW_FLAGS = ["--no-remote", "--cached-only", "--frozen-lockfile"];
const OLD_SELF = SELF.filter((arg) => !NEW_FLAGS.includes(arg));
const MISSING =
  "older flag set: deno runs thoth without --no-remote, --cached-only, --frozen-lockfile";

interface Row {
  name: string;
  governed: boolean;
  state: string;
  drift: string[];
}

Deno.test("an entry the previous release wrote for thoth from source is governed, and wrap-config adds --no-remote", async () => {
  assert.notDeepEqual(OLD_SELF, SELF, "thoth starts itself from source with --no-remote and more");
  for (const flag of NEW_FLAGS) assert.ok(SELF.includes(flag), flag);
  assert.equal(launchDrift(OLD_SELF), MISSING);
  assert.equal(
    launchDrift(SELF.filter((arg) => arg !== "--cached-only")),
    "older flag set: deno runs thoth without --cached-only",
  );
  assert.equal(launchDrift(SELF), undefined);
  assert.equal(launchDrift(["/opt/thoth/bin/thoth"]), undefined);

  const dir = await tempFolder("thoth-old-entry-");
  const home = `${dir}/home`;
  const config = `${dir}/claude_desktop_config.json`;
  const [command, ...launch] = OLD_SELF;
  const run = ["run", "--agent-id", "clock", "--enforcement-mode", "block", "--", "/bin/cat"];
  await Deno.writeTextFile(
    config,
    JSON.stringify({ mcpServers: { clock: { command, args: [...launch, ...run] } } }, null, 2),
  );

  const before = JSON.parse(await thoth(home, ["status", "--json", "--config", config]));
  const row = (before.servers as Row[]).find((r) => r.name === "clock");
  assert.equal(row?.state, "governed", JSON.stringify(before));
  assert.equal(row?.governed, true);
  assert.ok(
    row?.drift.some((d) => d.startsWith(`${MISSING}; run "thoth wrap-config`)),
    JSON.stringify(row?.drift),
  );

  const wrapped = await thoth(home, ["wrap-config", config]);
  assert.match(
    wrapped,
    new RegExp(
      `updated +clock +thoth launch arguments changed \\(${MISSING}\\)`,
    ),
  );
  const entry = JSON.parse(await Deno.readTextFile(config)).mcpServers.clock;
  assert.equal(entry.command, SELF[0]);
  assert.deepEqual(entry.args, [...SELF.slice(1), ...run]);

  const after = JSON.parse(await thoth(home, ["status", "--json", "--config", config]));
  const rewritten = (after.servers as Row[]).find((r) => r.name === "clock");
  assert.equal(rewritten?.state, "governed");
  assert.deepEqual(rewritten?.drift, []);
  const again = await thoth(home, ["wrap-config", config]);
  assert.match(again, /unchanged +clock +already governed/);
});
