/**
 * thoth from source runs with `--cached-only`: with a Deno cache that lacks
 * its npm packages (a client started with another DENO_DIR, a checkout never
 * installed), each command says so and what to run, instead of "internal
 * error" or Deno's own stack; `thoth run` answers the client and starts no
 * server. Real processes, an empty DENO_DIR.
 */
import assert from "node:assert/strict";
import { SELF } from "./_source_thoth.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { packagesNotCached } from "../../src/platform/packages_not_cached.ts";

const CTL = SELF.map((word) => word.replace(/\/src\/cli\/thoth\.ts$/, "/src/cli/thothctl.ts"));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(words: readonly string[], args: string[], input?: string): Promise<Ran> {
  const root = await tempFolder("thoth-uncached-");
  await Deno.mkdir(`${root}/home`);
  await Deno.mkdir(`${root}/deno`);
  const [command, ...rest] = words;
  const child = new Deno.Command(command!, {
    args: [...rest, ...args],
    env: {
      ...Deno.env.toObject(),
      HOME: `${root}/home`,
      THOTH_HOME: `${root}/home/.thoth`,
      DENO_DIR: `${root}/deno`,
      NO_COLOR: "1",
    },
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

const SAID = /npm packages its deno\.lock lists are not all in Deno's cache/;
const REMEDY = /run "deno install --frozen" in thoth's source folder/;

Deno.test("thoth and thothctl from source say their npm packages are not cached, and what to run", async () => {
  for (const [words, args] of [[SELF, ["status"]], [CTL, ["--version"]]] as const) {
    const ran = await run(words, [...args]);
    assert.equal(ran.code, 1, ran.stderr);
    assert.match(ran.stderr, SAID);
    assert.match(ran.stderr, REMEDY);
    assert.doesNotMatch(ran.stderr, /internal error|Uncaught|--cached-only is specified/);
  }
  const json = await run(SELF, ["status", "--json"]);
  assert.equal(JSON.parse(json.stdout).error.code, "io.packages_not_cached", json.stderr);
});

Deno.test("thoth run from source without its packages answers the client and starts no server", async () => {
  const root = await tempFolder("thoth-uncached-run-");
  const marker = `${root}/started`;
  const policy = `${root}/policy.jsonc`;
  // Not what the quick reader takes: the full parser (jsonc-parser, zod) is needed to say why.
  await Deno.writeTextFile(policy, '{ "rules": [ { "id": "x", "bogus": 1 } ] ');
  const initialize = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    },
  });
  const ran = await run(
    SELF,
    [
      "run",
      "--policy",
      policy,
      "--",
      Deno.execPath(),
      "eval",
      "Deno.writeTextFileSync(Deno.args[0], 'started')",
      marker,
    ],
    `${initialize}\n`,
  );
  const answer = JSON.parse(ran.stdout.split("\n")[0] ?? "");
  assert.equal(answer.id, 1, ran.stderr);
  assert.match(answer.error.message, /npm packages are not in Deno's cache on this machine/);
  assert.match(ran.stderr, REMEDY);
  assert.doesNotMatch(ran.stderr, /internal error/);
  await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
});

Deno.test("packagesNotCached() reads Deno's words, also as a cause, and nothing else", () => {
  const deno = new TypeError(
    "Failed caching npm package 'zod@4.6.7'\n    0: npm package not found in cache: " +
      '"zod", --cached-only is specified.',
  );
  assert.equal(packagesNotCached(deno)?.code, "io.packages_not_cached");
  assert.equal(
    packagesNotCached(new Error("load", { cause: deno }))?.code,
    "io.packages_not_cached",
  );
  for (const other of [new Error("boom"), "npm package", undefined, null, 3]) {
    assert.equal(packagesNotCached(other), undefined);
  }
});
