/**
 * `thoth status --check` judges stdio servers by the shape of their entry;
 * `--strict` also fails on a server with a URL (a local one over
 * `http://localhost` too: thoth never sees its tool calls) and on an entry
 * in thoth's shape whose command is not thoth (a `/usr/bin/python3` given
 * thoth's arguments and a `THOTH_WRAP` record naming it), checked as `thoth
 * doctor` checks it. The real CLI, so that an entry `wrap-config` wrote
 * starts this very thoth and passes.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const PYTHON = "/usr/bin/python3";

interface SetUp {
  dir: string;
  env: Record<string, string>;
  config: string;
}

async function setUp(): Promise<SetUp> {
  const dir = await tempFolder("thoth-strict-");
  const env = { HOME: `${dir}/home`, THOTH_HOME: `${dir}/home/.thoth` };
  await Deno.mkdir(env.THOTH_HOME, { recursive: true });
  const config = `${dir}/c.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({ mcpServers: { fs: { command: "/bin/cat", args: ["-u"] } } }, null, 2),
  );
  const wrap = await runThoth(["wrap-config", config], { env, cwd: dir });
  assert.equal(wrap.code, 0, wrap.err);
  return { dir, env, config };
}

/** Runs `thoth status FLAGS --config CONFIG` over what {@linkcode setUp} made. */
function status({ dir, env, config }: SetUp, flags: string[]) {
  return runThoth(["status", ...flags, "--config", config], { env, cwd: dir });
}

/** `config` with `servers` added under `mcpServers`. */
async function add(config: string, servers: Record<string, unknown>): Promise<void> {
  const doc = JSON.parse(await Deno.readTextFile(config));
  Object.assign(doc.mcpServers, servers);
  await Deno.writeTextFile(config, JSON.stringify(doc, null, 2));
}

Deno.test("thoth status --check --strict passes on what wrap-config wrote with this thoth", async () => {
  const set = await setUp();
  const run = await status(set, ["--check", "--strict"]);
  assert.equal(run.code, 0, run.out + run.err);
});

Deno.test("thoth status --check --strict fails on a localhost http server that --check lets pass", async () => {
  const set = await setUp();
  await add(set.config, { local: { type: "http", url: "http://127.0.0.1:8931/mcp" } });
  const check = await status(set, ["--check"]);
  assert.equal(check.code, 0, check.err);
  const strict = await status(set, ["--check", "--strict"]);
  assert.equal(strict.code, 1, strict.out + strict.err);
  assert.match(
    strict.err,
    /--strict: local \(in ".*c\.json"\): a server on this machine reached over the network/,
  );
});

Deno.test("thoth status --check --strict fails on a thoth-shaped entry whose command is python3", async () => {
  if (!(await Deno.stat(PYTHON).then((info) => info.isFile, () => false))) return;
  const set = await setUp();
  await add(set.config, {
    spoof: {
      command: PYTHON,
      args: ["run", "--agent-id", "spoof", "--enforcement-mode", "block", "--", "/bin/cat"],
      env: { THOTH_WRAP: `v1;thoth=${PYTHON}` },
    },
  });
  const check = await status(set, ["--check"]);
  assert.equal(check.code, 0, check.out + check.err);
  const strict = await status(set, ["--check", "--strict"]);
  assert.equal(strict.code, 1, strict.out + strict.err);
  assert.match(
    strict.err,
    /--strict: spoof \(in ".*c\.json"\): its command (is not|could not be verified as) thoth/,
  );
  assert.doesNotMatch(strict.err, /--strict: fs /);
});

Deno.test("thoth status --strict without --check is a usage error", async () => {
  const set = await setUp();
  const run = await status(set, ["--strict"]);
  assert.equal(run.code, 2, run.err);
  assert.match(run.err, /--strict works with --check only/);
});
