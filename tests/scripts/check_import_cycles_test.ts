/** `scripts/check_import_cycles.ts` as CI runs it: a subprocess over a project folder. */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

async function check(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-run",
      `${ROOT}/scripts/check_import_cycles.ts`,
      ...args,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** A temp project with `files` (path → text); removed after `body`. */
async function withProject(
  files: Record<string, string>,
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth-cycles-" });
  try {
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.writeTextFile(`${dir}/${path}`, text);
    }
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("check_import_cycles.ts finds no cycle among the project's src/ modules", async () => {
  const r = await check([]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^check_import_cycles: ok: \d+ src\/ module\(s\) from \d+ entry point\(s\), no import cycle\n$/,
  );
});

Deno.test("check_import_cycles.ts reports two modules that import each other and exits 1", async () => {
  await withProject({
    "mod.ts": 'export { a } from "./src/a.ts";\n',
    "src/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b();\n',
    "src/b.ts": 'import { a } from "./a.ts";\nexport const b = (): unknown => a;\n',
  }, async (dir) => {
    const r = await check(["--root", dir]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "check_import_cycles: cycle: src/a.ts → src/b.ts → src/a.ts\n" +
        "check_import_cycles: 1 cycle(s) among src/ modules\n",
    );
  });
});

Deno.test("check_import_cycles.ts passes the same modules once the cycle is gone", async () => {
  await withProject({
    "mod.ts": 'export { a } from "./src/a.ts";\n',
    "src/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b();\n',
    "src/b.ts": "export const b = (): unknown => 1;\n",
  }, async (dir) => {
    const r = await check(["--root", dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      "check_import_cycles: ok: 2 src/ module(s) from 1 entry point(s), no import cycle\n",
    );
  });
});

Deno.test("check_import_cycles.ts names every module of a larger cycle group", async () => {
  await withProject({
    "mod.ts": 'import "./src/a.ts";\n',
    "src/a.ts": 'import "./b.ts";\nimport "./c.ts";\n',
    "src/b.ts": 'import "./a.ts";\n',
    "src/c.ts": 'import "./b.ts";\n',
  }, async (dir) => {
    const r = await check(["--root", dir]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "check_import_cycles: cycle: src/a.ts → src/b.ts → src/a.ts (3 modules reach each " +
        "other: src/a.ts, src/b.ts, src/c.ts)\n" +
        "check_import_cycles: 1 cycle(s) among src/ modules\n",
    );
  });
});

Deno.test("check_import_cycles.ts reads a worker's modules and counts type-only imports with --types", async () => {
  await withProject({
    "deno.json": JSON.stringify({ tasks: { start: "deno run src/start.ts" } }),
    "src/start.ts": 'new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });\n',
    "src/worker.ts": 'import type { T } from "./shape.ts";\nexport const w = (t: T) => t;\n',
    "src/shape.ts": 'import { w } from "./worker.ts";\nexport type T = typeof w | number;\n',
  }, async (dir) => {
    const plain = await check(["--root", dir]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stderr, /ok: 3 src\/ module\(s\) from 2 entry point\(s\)/);
    const typed = await check(["--root", dir, "--types"]);
    assert.equal(typed.code, 1);
    assert.equal(
      typed.stderr,
      "check_import_cycles: cycle: src/shape.ts → src/worker.ts → src/shape.ts\n" +
        "check_import_cycles: 1 cycle(s) among src/ modules\n",
    );
  });
});

Deno.test("check_import_cycles.ts reads the modules no entry imports statically, and finds their cycles", async () => {
  await withProject({
    "mod.ts": 'export { a } from "./src/a.ts";\n',
    // A command loaded by a computed URL, as importUnlisted() does: deno info does not follow it.
    "src/a.ts":
      'const at = "./c.ts";\nexport const a = () => import(new URL(at, import.meta.url).href);\n',
    "src/c.ts": 'import "./d.ts";\n',
    "src/d.ts": 'import "./c.ts";\n',
    "src/lone.ts": "export const lone = 1;\n",
  }, async (dir) => {
    const r = await check(["--root", dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      "check_import_cycles: cycle: src/c.ts → src/d.ts → src/c.ts\n" +
        "check_import_cycles: 1 cycle(s) among src/ modules\n",
    );
    await Deno.writeTextFile(`${dir}/src/d.ts`, "export const d = 1;\n");
    const fixed = await check(["--root", dir]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /ok: 4 src\/ module\(s\) from 3 entry point\(s\), no import cycle/);
  });
});
