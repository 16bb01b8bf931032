import assert from "node:assert/strict";
import {
  FileOverLimitError,
  readSmallRegularFile,
} from "../../src/platform/read_small_regular_file.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "./_fifo.ts";
import { ROOT, runAsNobody } from "./_as_nobody.ts";

const notRegular = (error: unknown) =>
  error instanceof Deno.errors.InvalidData && error.message === "it is not a regular file";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readSmallRegularFile() reads a file up to the limit, and one through a link", () =>
  withDir(async (dir) => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    await Deno.writeFile(`${dir}/f`, bytes);
    assert.deepEqual(await readSmallRegularFile(`${dir}/f`, 1000), bytes);
    assert.deepEqual(await readSmallRegularFile(`${dir}/f`, 5000), bytes);
    await Deno.writeFile(`${dir}/empty`, new Uint8Array());
    assert.equal((await readSmallRegularFile(`${dir}/empty`, 10)).length, 0);
    if (HAS_FIFO) {
      // A Kubernetes secret mount is a link: it is followed.
      await Deno.symlink(`${dir}/f`, `${dir}/link`);
      assert.deepEqual(await readSmallRegularFile(`${dir}/link`, 1000), bytes);
    }
  }));

Deno.test("readSmallRegularFile() refuses a file one byte past the limit", () =>
  withDir(async (dir) => {
    await Deno.writeFile(`${dir}/f`, new Uint8Array(1001));
    await assert.rejects(
      () => readSmallRegularFile(`${dir}/f`, 1000),
      (e) =>
        e instanceof FileOverLimitError && e.size === 1001 &&
        e.message === "it is 1001 bytes, over the 1000-byte limit",
    );
  }));

Deno.test("readSmallRegularFile() throws NotFound for a missing file and refuses a folder", () =>
  withDir(async (dir) => {
    await assert.rejects(() => readSmallRegularFile(`${dir}/nope`, 10), Deno.errors.NotFound);
    await assert.rejects(() => readSmallRegularFile(dir, 10), notRegular);
  }));

Deno.test({
  name: "readSmallRegularFile() refuses a FIFO, a link to one and a device at once",
  ignore: !HAS_FIFO,
  fn: () =>
    withDir(async (dir) => {
      const fifo = `${dir}/fifo`;
      await makeFifo(fifo);
      const read = await settlesAtOnce(
        () => readSmallRegularFile(fifo, 10).catch((e: unknown) => e),
        fifo,
      );
      assert.ok(notRegular(read), String(read));
      await Deno.symlink(fifo, `${dir}/link`);
      const linked = await settlesAtOnce(
        () => readSmallRegularFile(`${dir}/link`, 10).catch((e: unknown) => e),
        fifo,
      );
      assert.ok(notRegular(linked), String(linked));
      await Deno.symlink("/dev/zero", `${dir}/zero`);
      await assert.rejects(() => readSmallRegularFile(`${dir}/zero`, 10), notRegular);
    }),
});

Deno.test({
  name: "readSmallRegularFile() throws PermissionDenied for a file its user cannot read",
  ignore: !ROOT,
  fn: () =>
    withDir(async (dir) => {
      await Deno.chmod(dir, 0o755);
      await Deno.writeTextFile(`${dir}/secret`, "x");
      await Deno.chmod(`${dir}/secret`, 0o600);
      const out = await runAsNobody(`
        import { readSmallRegularFile } from ${
        JSON.stringify(
          new URL("../../src/platform/read_small_regular_file.ts", import.meta.url).href,
        )
      };
        try { await readSmallRegularFile(${
        JSON.stringify(`${dir}/secret`)
      }, 10); console.log("read"); }
        catch (e) { console.log(e instanceof Deno.errors.PermissionDenied ? "denied" : String(e)); }
      `);
      assert.equal(out.trim(), "denied");
    }),
});
