/**
 * thoth processes writing one config at once take turns (a lock beside the
 * config) and look at the file again under the lock: no run says it wrote a
 * change that a rival's write then lost. Three real `wrap-config` processes
 * start together, round after round, each changing something else (the
 * mode, the tenant, a variable); every run that exits 0 must find its change
 * in the file afterwards, and one that fails must fail because the file
 * changed meanwhile (nothing written). The folder is left with no lock file
 * and no temp file.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

/**
 * Rounds of three rivals. Three processes started together overlap nearly
 * every round: with neither the lock nor the checks of the file (every writer
 * wrote what it planned), 29 rounds of 30 found a lost change, and 6 rounds
 * found one in each of three runs; without the lock alone, the checks still
 * kept every change (30 rounds found none).
 */
const ROUNDS = 6;

const PLAIN = JSON.stringify(
  {
    mcpServers: {
      fs: { command: "npx", args: ["-y", "server-fs", "/data"] },
      gh: { command: "node", args: ["gh.js"] },
    },
  },
  null,
  2,
) + "\n";

const WRAP = ["wrap-config", "--thoth-path", "/opt/thoth/bin/thoth", "--thoth-path-elsewhere"];

/** What each rival changes, and the text its change puts in both servers. */
const RIVALS = [
  { flags: ["--enforcement-mode", "observe"], mark: '"observe"' },
  { flags: ["--tenant-id", "acme"], mark: '"acme"' },
  { flags: ["--env", "THOTH_USER_ID=ana@example.com"], mark: '"ana@example.com"' },
];

function count(text: string, mark: string): number {
  return text.split(mark).length - 1;
}

Deno.test({
  name: "wrap-config runs at once on one config: none says it wrote a change that was lost",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-race-");
    const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/thoth`, NO_COLOR: "1" };
    await Deno.mkdir(env.HOME);
    const path = `${dir}/c.json`;
    await Deno.writeTextFile(path, PLAIN);
    const first = await runThoth([...WRAP, path], { env, cwd: dir });
    assert.equal(first.code, 0, first.err);
    const wrapped = await Deno.readTextFile(path);
    const problems: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await Deno.writeTextFile(path, wrapped);
      const runs = await Promise.all(
        RIVALS.map(({ flags }) => runThoth([...WRAP, ...flags, path], { env, cwd: dir })),
      );
      const final = await Deno.readTextFile(path);
      runs.forEach((run, i) => {
        const { flags, mark } = RIVALS[i]!;
        if (run.code === 0) {
          if (count(final, mark) !== 2) {
            problems.push(`round ${round}: ${flags.join(" ")} said it wrote, but it was lost`);
          }
        } else if (!/changed on disk while thoth was working/.test(run.err)) {
          problems.push(`round ${round}: ${flags.join(" ")} failed otherwise: ${run.err}`);
        }
      });
    }
    assert.deepEqual(problems, []);
    const left = [...Deno.readDirSync(dir)].map((entry) => entry.name)
      .filter((name) => name.endsWith(".tmp") || name.endsWith(".thoth-lock"));
    assert.deepEqual(left, [], "no lock file and no temp file is left beside the config");
  },
});
