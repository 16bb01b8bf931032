/**
 * A client config entry that starts thoth from source with launch words
 * `wrap-config` does not write (`--frozen=false`, which deno reads as turning
 * `--frozen-lockfile` off; `-A` for `-P=thoth`): `thoth status` shows it as
 * drift, `thoth wrap-config` rewrites it saying the same, and after that both
 * leave it alone. Runs the real thoth from source, started as it starts itself.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { SELF, sourceThoth as thoth } from "./_source_thoth.ts";

interface Row {
  name: string;
  state: string;
  drift: string[];
}

const EXTRA = "deno runs thoth with words wrap-config does not write";
const CASES: [string, string[], string][] = [
  [
    "unfrozen",
    [...SELF.slice(0, -1), "--frozen=false", SELF.at(-1)!],
    `${EXTRA}: --frozen=false (so thoth cannot count on --frozen-lockfile)`,
  ],
  [
    "allall",
    SELF.map((word) => word === "-P=thoth" ? "-A" : word),
    `older flag set: deno runs thoth without -P=thoth; ${EXTRA}: -A`,
  ],
];

Deno.test("thoth status and wrap-config agree on an entry started with --frozen=false or -A", async () => {
  const dir = await tempFolder("thoth-launch-words-");
  const home = `${dir}/home`;
  const config = `${dir}/claude_desktop_config.json`;
  const run = (
    id: string,
  ) => ["run", "--agent-id", id, "--enforcement-mode", "block", "--", "/bin/cat"];
  const servers = Object.fromEntries(
    CASES.map(([id, [command, ...launch]]) => [id, { command, args: [...launch!, ...run(id)] }]),
  );
  // Launch flags are deno's only before thoth's script.
  for (const [id] of CASES) assert.ok(servers[id]!.args.indexOf(SELF.at(-1)!) > 0, id);
  await Deno.writeTextFile(config, JSON.stringify({ mcpServers: servers }, null, 2));

  const rows = async () =>
    JSON.parse(await thoth(home, ["status", "--json", "--config", config])).servers as Row[];
  const before = await rows();
  const wrapped = await thoth(home, ["wrap-config", config]);
  for (const [id, , drift] of CASES) {
    const row = before.find((r) => r.name === id);
    assert.equal(row?.state, "governed", JSON.stringify(before));
    assert.ok(
      row?.drift.some((d) => d.startsWith(`${drift}; run "thoth wrap-config`)),
      `${id}: ${JSON.stringify(row?.drift)}`,
    );
    const said = wrapped.split("\n").find((line) => new RegExp(`^ *updated +${id} `).test(line));
    assert.ok(said?.includes(`thoth launch arguments changed (${drift})`), `${id}: ${wrapped}`);
  }
  const entries = JSON.parse(await Deno.readTextFile(config)).mcpServers;
  for (const [id] of CASES) {
    assert.equal(entries[id].command, SELF[0]);
    assert.deepEqual(entries[id].args, [...SELF.slice(1), ...run(id)]);
  }
  for (const row of await rows()) assert.deepEqual(row.drift, [], row.name);
  const again = await thoth(home, ["wrap-config", config]);
  for (const [id] of CASES) assert.match(again, new RegExp(`unchanged +${id} +already governed`));
});
