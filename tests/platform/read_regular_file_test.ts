import assert from "node:assert/strict";
import { openRegularFile } from "../../src/platform/open_regular_file.ts";
import { readRegularFile } from "../../src/platform/read_regular_file.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "./_fifo.ts";

const notRegular = (error: unknown) =>
  error instanceof Deno.errors.InvalidData && error.message === "it is not a regular file";

Deno.test("readRegularFile() reads a regular file whole, and one through a link", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
  try {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251);
    await Deno.writeFile(`${dir}/f`, bytes);
    assert.deepEqual(await readRegularFile(`${dir}/f`), bytes);
    await Deno.writeFile(`${dir}/empty`, new Uint8Array());
    assert.equal((await readRegularFile(`${dir}/empty`)).length, 0);
    if (HAS_FIFO) {
      await Deno.symlink(`${dir}/f`, `${dir}/link`);
      assert.deepEqual(await readRegularFile(`${dir}/link`), bytes);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readRegularFile() throws NotFound for a missing file and refuses a folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
  try {
    await assert.rejects(() => readRegularFile(`${dir}/nope`), Deno.errors.NotFound);
    await assert.rejects(() => readRegularFile(dir), notRegular);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "readRegularFile() and openRegularFile() refuse a FIFO and a device at once",
  ignore: !HAS_FIFO,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
    try {
      const fifo = `${dir}/fifo`;
      await makeFifo(fifo);
      const read = await settlesAtOnce(() => readRegularFile(fifo).catch((e: unknown) => e), fifo);
      assert.ok(notRegular(read), String(read));
      const opened = await settlesAtOnce(
        () => openRegularFile(fifo).catch((e: unknown) => e),
        fifo,
      );
      assert.ok(notRegular(opened), String(opened));
      await Deno.symlink(fifo, `${dir}/link`);
      await assert.rejects(() => readRegularFile(`${dir}/link`), notRegular);
      // A device never ends: /dev/zero would be read until memory runs out.
      await assert.rejects(() => readRegularFile("/dev/zero"), notRegular);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
