/**
 * `thoth status` judges `THOTH_HOME/intent_map.json` as `thoth run` does: a
 * map it cannot use, or a mapped intent the policy does not define, makes the
 * server one thoth run refuses (and `--check` fails); a valid mapped intent
 * is the server's session intent. `thoth health` lists such servers under
 * `refused`. The readers `status` uses answer as `thoth run`'s own
 * `mappedIntent` does, case by case.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { thothRunReaders } from "../../src/cli/run_readers.ts";
import { mappedIntent } from "../../src/cli/mapped_intent.ts";
import { isAppError } from "../../src/errors.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { runThoth } from "./_thoth_process.ts";

/** One server, wrapped without --intent: thoth run looks its intent up in the map. */
const CONFIG = JSON.stringify({
  mcpServers: {
    everything: {
      command: THOTH,
      args: ["run", "--agent-id", "everything", "--enforcement-mode", "block", "--", "npx", "x"],
    },
  },
});

async function withMap(dir: string, map: string): Promise<string> {
  await Deno.mkdir(`${dir}/home/.thoth`, { recursive: true });
  await Deno.writeTextFile(`${dir}/home/.thoth/intent_map.json`, map);
  await Deno.writeTextFile(`${dir}/c.json`, CONFIG);
  return `${dir}/c.json`;
}

Deno.test("thoth status --check fails on a mapped intent the policy does not define", async () => {
  await inTempDir(async (dir) => {
    const path = await withMap(dir, '{"everything": "nope"}');
    const check = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(check.code, 1, check.out);
    assert.match(
      check.err,
      /^thoth: error: 1 governed server\(s\) that will not start: everything$/m,
    );
    assert.match(
      check.out,
      /thoth run will refuse to start: intent "nope" is not in the policy \(the default policy, which defines: calendar_management, phi_eligibility_check\); the intent map ".*intent_map\.json" maps "everything" to it; map "everything" to an intent the policy defines/,
    );
  });
});

Deno.test("thoth status --check fails on an intent map thoth run cannot read", async () => {
  await inTempDir(async (dir) => {
    const path = await withMap(dir, '{"everything": ');
    const json = await thoth(["status", "--json", "--config", path], { cwd: dir });
    const [row] = JSON.parse(json.out).servers;
    assert.match(row.refusals[0], /^thoth run will refuse to start: invalid JSON in intent map /);
    assert.equal(row.intent, null);
    const check = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(check.code, 1, check.out);
  });
});

Deno.test("thoth status shows a valid mapped intent in the Session Intent column", async () => {
  await inTempDir(async (dir) => {
    const path = await withMap(dir, '{"everything": "calendar_management"}');
    const run = await thoth(["status", "--check", "--config", path], { cwd: dir });
    assert.equal(run.code, 0, run.err);
    assert.match(
      run.out,
      /^everything +✓ +everything +calendar_management \(intent map\) +block$/m,
    );
    const json = await thoth(["status", "--json", "--config", path], { cwd: dir });
    const [row] = JSON.parse(json.out).servers;
    assert.deepEqual([row.intent, row.intentSource], ["calendar_management", "intent_map"]);
  });
});

Deno.test({
  name: "thoth health --json lists a server whose mapped intent the policy lacks under refused",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "thoth-health-map-" });
    try {
      await Deno.mkdir(`${dir}/.config/Claude`, { recursive: true });
      // A thoth the client can start (health lists a server whose thoth is missing as
      // not startable, before any refusal): an executable file named thoth.
      const bin = `${dir}/bin/thoth`;
      await Deno.mkdir(`${dir}/bin`);
      await Deno.writeTextFile(bin, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      await Deno.writeTextFile(
        `${dir}/.config/Claude/claude_desktop_config.json`,
        CONFIG.replaceAll(JSON.stringify(THOTH), JSON.stringify(bin)),
      );
      await Deno.mkdir(`${dir}/.thoth`);
      await Deno.writeTextFile(`${dir}/.thoth/intent_map.json`, '{"everything": "nope"}');
      const env = { HOME: dir, XDG_CONFIG_HOME: `${dir}/.config`, THOTH_HOME: `${dir}/.thoth` };
      const run = await runThoth(["health", "--json"], { env, cwd: dir });
      const report = HealthReportSchema.parse(JSON.parse(run.out));
      assert.deepEqual(report.clients?.[0]?.refused.map((r) => r.name), ["everything"]);
      assert.match(report.clients?.[0]?.refused[0]?.reasons[0] ?? "", /intent "nope"/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Intent maps as thoth run meets them; each answer must be thoth run's own. */
const MAPS: readonly {
  name: string;
  make: (file: string) => Promise<void>;
  expect: "none" | "mapped" | "refused";
}[] = [
  { name: "no map", expect: "none", make: () => Promise.resolve() },
  {
    name: "an entry",
    expect: "mapped",
    make: (f) => Deno.writeTextFile(f, '{"everything": "calendar_management"}'),
  },
  {
    name: "no entry",
    expect: "none",
    make: (f) => Deno.writeTextFile(f, '{"other": "calendar_management"}'),
  },
  {
    name: "an unknown intent",
    expect: "mapped",
    make: (f) => Deno.writeTextFile(f, '{"everything": "nope"}'),
  },
  {
    name: "invalid JSON",
    expect: "refused",
    make: (f) => Deno.writeTextFile(f, '{"everything": '),
  },
  {
    name: "a value that is no intent",
    expect: "refused",
    make: (f) => Deno.writeTextFile(f, '{"everything": 3}'),
  },
  {
    name: "a server name key",
    expect: "refused",
    make: (f) => Deno.writeTextFile(f, `{"everything!": "x"}`),
  },
  { name: "a directory", expect: "refused", make: (f) => Deno.mkdir(f) },
  {
    name: "a FIFO",
    expect: "refused",
    make: async (f) => {
      assert.equal((await new Deno.Command("mkfifo", { args: [f] }).output()).code, 0);
    },
  },
];

for (const map of MAPS) {
  Deno.test({
    name: `thothRunReaders().mappedIntent() answers as thoth run's mappedIntent() for ${map.name}`,
    ignore: Deno.build.os === "windows",
    fn: async () => {
      const home = await Deno.makeTempDir({ prefix: "thoth-map-" });
      try {
        await map.make(`${home}/intent_map.json`);
        const ours = thothRunReaders(home).mappedIntent!(undefined, "everything");
        const theirs = await mappedIntent(home, "everything").then(
          (entry) => entry === undefined ? { kind: "none" } : { kind: "mapped", ...entry },
          (error) => {
            assert.ok(isAppError(error), String(error));
            return { kind: "refused", code: error.code, message: error.message };
          },
        );
        const seen = ours.kind === "refused"
          ? { kind: "refused", code: ours.error.code, message: ours.error.message }
          : ours.kind === "mapped"
          ? { kind: "mapped", key: ours.key, intent: ours.intent }
          : ours;
        assert.deepEqual(seen, theirs);
        assert.equal(seen.kind, map.expect);
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    },
  });
}
