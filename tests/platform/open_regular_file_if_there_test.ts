import assert from "node:assert/strict";
import { openRegularFileIfThere } from "../../src/platform/open_regular_file.ts";

Deno.test("openRegularFileIfThere() opens a regular file to read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
  try {
    await Deno.writeTextFile(`${dir}/f`, "one\n");
    const file = await openRegularFileIfThere(`${dir}/f`);
    assert.ok(file !== undefined);
    try {
      const buffer = new Uint8Array(16);
      const n = await file.read(buffer);
      assert.equal(new TextDecoder().decode(buffer.subarray(0, n ?? 0)), "one\n");
    } finally {
      file.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openRegularFileIfThere() is undefined for a missing path and for a folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
  try {
    assert.equal(await openRegularFileIfThere(`${dir}/gone`), undefined);
    await Deno.mkdir(`${dir}/folder`);
    assert.equal(await openRegularFileIfThere(`${dir}/folder`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "openRegularFileIfThere() throws what is neither gone nor a non-file",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
    try {
      // A path through a file (ENOTDIR) is no missing file: the error is the caller's.
      await Deno.writeTextFile(`${dir}/f`, "x");
      await assert.rejects(
        () => openRegularFileIfThere(`${dir}/f/below`),
        (error) => !(error instanceof Deno.errors.NotFound),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
