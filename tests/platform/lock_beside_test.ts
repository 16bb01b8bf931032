/**
 * lockBeside(): writers of one file take turns on a lock file beside it,
 * which is gone again once no writer holds it; a lock path that is a link is
 * refused, and a folder that lets no file be made takes no lock and says why.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { lockBeside, lockPathFor } from "../../src/platform/lock_beside.ts";
import { isAppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { ROOT, runAsNobody } from "./_as_nobody.ts";

const HOLDER = fileURLToPath(new URL("./_beside_holder.ts", import.meta.url));

function holder(file: string, name: string, waitMs?: number): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-config",
      "--quiet",
      HOLDER,
      file,
      name,
      ...(waitMs === undefined ? [] : [String(waitMs)]),
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

async function waitFor(file: string, line: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const log = await Deno.readTextFile(`${file}.log`).catch(() => "");
    if (log.split("\n").includes(line)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no "${line}" in ${file}.log`);
}

Deno.test("lockBeside() makes a second writer wait for the first, and leaves no lock file", async () => {
  const dir = await tempFolder("thoth-beside-");
  const file = `${dir}/c.json`;
  await Deno.writeTextFile(file, "{}\n");
  const a = holder(file, "a");
  await waitFor(file, "a took");
  const b = holder(file, "b");
  await waitFor(file, "b started");
  // Long enough for b to reach the lock: it must still be waiting there.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Deno.writeTextFile(`${file}.go-a`, "");
  await waitFor(file, "b took");
  await Deno.writeTextFile(`${file}.go-b`, "");
  const [ra, rb] = await Promise.all([a.output(), b.output()]);
  assert.equal(ra.code, 0, new TextDecoder().decode(ra.stderr));
  assert.equal(rb.code, 0, new TextDecoder().decode(rb.stderr));
  assert.deepEqual((await Deno.readTextFile(`${file}.log`)).trim().split("\n"), [
    "a started",
    "a took",
    "b started",
    "a done",
    "b took",
    "b done",
  ]);
  if (Deno.build.os !== "windows") {
    await assert.rejects(Deno.lstat(lockPathFor(file)), Deno.errors.NotFound);
  }
});

Deno.test("lockBeside() says once that it waits for another writer, and gives up in time", async () => {
  const dir = await tempFolder("thoth-beside-");
  const file = `${dir}/c.json`;
  await Deno.writeTextFile(file, "{}\n");
  const a = holder(file, "a");
  await waitFor(file, "a took");
  const b = holder(file, "b", 1_000);
  await waitFor(file, "b gave up: io.lock_busy");
  await Deno.writeTextFile(`${file}.go-a`, "");
  const [ra, rb] = await Promise.all([a.output(), b.output()]);
  assert.equal(ra.code, 0, new TextDecoder().decode(ra.stderr));
  assert.equal(rb.code, 0, new TextDecoder().decode(rb.stderr));
  const log = (await Deno.readTextFile(`${file}.log`)).trim().split("\n");
  const waiting = log.filter((line) => line.startsWith("b waiting: "));
  assert.equal(waiting.length, 1, log.join("\n"));
  assert.ok(waiting[0]!.includes(`another thoth process writing "${file}"`), waiting[0]);
  assert.ok(waiting[0]!.includes(lockPathFor(file)), waiting[0]);
  assert.deepEqual(log.filter((line) => !line.startsWith("b waiting: ")), [
    "a started",
    "a took",
    "b started",
    "b gave up: io.lock_busy",
    "a done",
  ]);
});

Deno.test({
  name: "lockBeside() refuses a lock path that is a link, and makes nothing where it points",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await tempFolder("thoth-beside-");
    const file = `${dir}/c.json`;
    await Deno.writeTextFile(file, "{}\n");
    await Deno.symlink(`${dir}/elsewhere`, lockPathFor(file));
    await assert.rejects(
      () => lockBeside(file),
      (error) => isAppError(error, "io.unsafe_path") && error.message.includes(lockPathFor(file)),
    );
    await assert.rejects(Deno.lstat(`${dir}/elsewhere`), Deno.errors.NotFound);
  },
});

Deno.test({
  name: "lockBeside() in a folder that lets no file be made takes no lock and says why",
  ignore: !ROOT,
  fn: async () => {
    const dir = await tempFolder("thoth-beside-");
    await Deno.chmod(dir, 0o755);
    const file = `${dir}/c.json`;
    await Deno.writeTextFile(file, "{}\n");
    const src = new URL("../../src/platform/lock_beside.ts", import.meta.url).href;
    const out = await runAsNobody(
      `import { lockBeside } from "${src}";
const lock = await lockBeside(${JSON.stringify(file)});
await lock.release();
console.log(JSON.stringify({ skipped: lock.skipped }));
`,
    );
    assert.deepEqual(JSON.parse(out), {
      skipped: `cannot make the lock file "${lockPathFor(file)}": permission denied`,
    });
  },
});
