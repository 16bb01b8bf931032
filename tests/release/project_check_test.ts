import assert from "node:assert/strict";
import {
  checkProject,
  type ConfigFileFact,
  type ProjectFacts,
} from "../../src/release/project_check.ts";
import { NPM_BINS } from "../../src/release/npm_bins.ts";

const LOCK = {
  version: "5",
  specifiers: {
    "npm:zod@4.6.7": "4.6.7",
    "npm:@modelcontextprotocol/server-memory@2026.8.31": "2026.8.31_zod@4.6.7",
  },
};

function facts(over: Partial<ProjectFacts> = {}): ProjectFacts {
  return {
    config: { nodeModulesDir: "none", imports: { zod: "npm:zod@4.6.7" } },
    files: [],
    lock: LOCK,
    links: [],
    ...over,
  };
}

function found(over: Partial<ProjectFacts>): string[] {
  return checkProject(facts(over)).map((f) => `${f.code} ${f.where}`);
}

function file(path: string, place: ConfigFileFact["place"], content: unknown): ConfigFileFact {
  return { path, place, content };
}

Deno.test("checkProject() passes a project with no other config and known npm commands", () => {
  assert.deepEqual(checkProject(facts()), []);
  assert.deepEqual(
    found({
      files: [
        file("tests/fixtures/deno.json", "below", { imports: {}, fmt: {} }),
        file("package.json", "beside", { name: "x", dependencies: {}, scripts: {} }),
        file("/home/deno.json", "above", { tasks: { a: "x" }, permissions: {} }),
        file("/home/package.json", "above", { scripts: { a: "x" } }),
      ],
    }),
    [],
  );
});

Deno.test("checkProject() refuses a nested deno.json that redefines a set (bypass 5)", () => {
  assert.deepEqual(
    found({
      files: [
        file("sub/deno.json", "below", { permissions: { s: { all: true } } }),
        file("a/deno.jsonc", "below", { tasks: { t: "deno run -A x.ts" } }),
        file("b/deno.json", "below", { workspace: ["./c"] }),
        file("d/deno.json", "below", { test: { permissions: { read: true } } }),
        file("deno.jsonc", "beside", { permissions: {} }),
        file("e/deno.jsonc", "below", undefined),
      ],
    }),
    [
      'nested_config "sub/deno.json"',
      'nested_config "a/deno.jsonc"',
      'nested_config "b/deno.json"',
      'nested_config "d/deno.json"',
      'nested_config "deno.jsonc"',
      'nested_config "e/deno.jsonc"',
    ],
  );
});

Deno.test("checkProject() refuses package.json scripts and workspaces (bypass 4)", () => {
  assert.deepEqual(
    found({
      files: [
        file("package.json", "beside", { scripts: { evil: "deno run -A probe.ts" } }),
        file("sub/package.json", "below", { scripts: { x: "y" }, workspaces: ["a"] }),
        file("/srv/code/package.json", "above", { workspaces: ["main"] }),
        file("/srv/code/deno.json", "above", { workspace: ["./main"] }),
        file("/deno.jsonc", "above", undefined),
      ],
    }),
    [
      'package_scripts "package.json"',
      'package_scripts "sub/package.json"',
      'nested_config "sub/package.json"',
      'nested_config "/srv/code/package.json"',
      'nested_config "/srv/code/deno.json"',
      'nested_config "/deno.jsonc"',
    ],
  );
});

Deno.test("checkProject() refuses nodeModulesDir other than none or auto", () => {
  for (const mode of ["manual", undefined, true]) {
    const config = mode === undefined ? {} : { nodeModulesDir: mode };
    assert.deepEqual(found({ config }), ['npm_commands deno.json "nodeModulesDir"']);
  }
  assert.deepEqual(found({ config: { nodeModulesDir: "auto" } }), []);
});

Deno.test("checkProject() refuses npm packages whose commands it cannot list or that shadow", () => {
  assert.deepEqual(found({ lock: undefined }), ["npm_commands deno.lock"]);
  assert.deepEqual(found({ lock: { version: "4", specifiers: {} } }), ["npm_commands deno.lock"]);
  assert.deepEqual(
    found({ lock: { version: "5", specifiers: { ...LOCK.specifiers, "npm:evil@^1": "1.0.2" } } }),
    ["npm_commands npm package evil@1.0.2"],
  );
  assert.deepEqual(
    found({ config: { nodeModulesDir: "none", imports: { x: "npm:/@a/b@1/mod.js" } } }),
    ['npm_commands deno.json "imports"'],
  );
  const shadow = checkProject(
    facts({
      config: { nodeModulesDir: "none" },
      lock: { version: "5", specifiers: { "npm:probepkg@1.0.0": "1.0.0", "npm:x@2": "2.0.0" } },
    }),
    { "probepkg@1.0.0": ["probebin", "deno", "Echo"] },
  );
  assert.deepEqual(shadow.map((f) => `${f.where}: ${f.message.split(",")[0]}`), [
    'npm package probepkg@1.0.0: adds the command "deno"',
    'npm package probepkg@1.0.0: adds the command "Echo"',
    'npm package x@2.0.0: may add commands to deno task (its package.json "bin")',
  ]);
  assert.match(shadow[2]?.message ?? "", /list its commands in src\/release\/npm_bins\.ts$/);
});

Deno.test("checkProject() refuses symlinked folders it did not follow", () => {
  assert.deepEqual(found({ links: ["vendor"] }), ['nested_config "vendor"']);
});

Deno.test("NPM_BINS lists every command each npm package adds, as its package.json says", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  const cache = (JSON.parse(new TextDecoder().decode(info.stdout)) as { npmCache: string })
    .npmCache;
  for (const [id, bins] of Object.entries(NPM_BINS)) {
    const at = id.lastIndexOf("@");
    const name = id.slice(0, at);
    const path = `${cache}/registry.npmjs.org/${name}/${id.slice(at + 1)}/package.json`;
    const pkg = JSON.parse(await Deno.readTextFile(path)) as Record<string, unknown>;
    assert.equal(pkg["name"], name);
    assert.equal((pkg["directories"] as { bin?: unknown } | undefined)?.bin, undefined, id);
    const bin = pkg["bin"];
    const listed = bin === undefined
      ? []
      : typeof bin === "string"
      ? [name.replace(/^@[^/]+\//, "")]
      : Object.keys(bin as Record<string, unknown>);
    assert.deepEqual([...bins].sort(), listed.sort(), id);
  }
});

Deno.test("NPM_BINS lists every npm package of the real deno.lock", async () => {
  const lock = JSON.parse(await Deno.readTextFile(new URL("../../deno.lock", import.meta.url)));
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.deepEqual(checkProject({ config, files: [], lock, links: [] }), []);
});

Deno.test("checkProject() refuses linked local packages and nested lint plugins", () => {
  assert.deepEqual(found({ config: { nodeModulesDir: "auto", links: ["./pkg"] } }), [
    'npm_commands deno.json "links"',
  ]);
  assert.deepEqual(found({ config: { nodeModulesDir: "none", patch: ["./pkg"] } }), [
    'npm_commands deno.json "patch"',
  ]);
  assert.deepEqual(
    found({ lock: { ...LOCK, workspace: { links: { "npm:zod@4.6.7": {} } } } }),
    ["npm_commands deno.lock"],
  );
  assert.deepEqual(
    found({ files: [file("sub/deno.json", "below", { lint: { plugins: ["./p.ts"] } })] }),
    ['nested_config "sub/deno.json"'],
  );
});
