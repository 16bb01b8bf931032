/**
 * `readRegularFile` with a limit: a file over it is refused by its size
 * before any read, and one whose size says less than it holds (it grew, or
 * the OS does not know, as for `/proc` files) is read no further than one
 * byte past the limit. Without a limit it reads as before.
 */
import assert from "node:assert/strict";
import {
  FileOverLimitError,
  readRegularFile,
  readToEnd,
} from "../../src/platform/read_regular_file.ts";
import { withTempDir } from "../doctor/_helpers.ts";

Deno.test("readRegularFile() refuses a sparse file over its limit, naming its size and the limit", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/big`;
    await Deno.writeFile(path, new Uint8Array());
    await Deno.truncate(path, 600 * 1024 * 1024);
    const error = await readRegularFile(path, { limit: 4 * 1024 * 1024 }).catch((e) => e);
    assert.ok(error instanceof FileOverLimitError, String(error));
    assert.equal(error.size, 600 * 1024 * 1024);
    assert.equal(error.limit, 4 * 1024 * 1024);
    assert.equal(error.message, "it is 629145600 bytes, over the 4 MiB (4194304-byte) limit");
  }));

Deno.test("readRegularFile() reads a file of exactly its limit, and any file without one", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/f`;
    await Deno.writeFile(path, new Uint8Array(100_000).fill(7));
    assert.equal((await readRegularFile(path, { limit: 100_000 })).length, 100_000);
    assert.equal((await readRegularFile(path)).length, 100_000);
    await assert.rejects(readRegularFile(path, { limit: 99_999 }), FileOverLimitError);
    // The other refusals are unchanged.
    await assert.rejects(readRegularFile(`${dir}/none`, { limit: 10 }), Deno.errors.NotFound);
    await assert.rejects(readRegularFile(dir, { limit: 10 }), Deno.errors.InvalidData);
  }));

Deno.test("readToEnd() reads no further than one byte past its limit, whatever the size said", () =>
  withTempDir(async (dir) => {
    // As for a file that grew after its size was looked at: the read itself stops.
    const path = `${dir}/grown`;
    await Deno.writeFile(path, new Uint8Array(1_000_000));
    using file = await Deno.open(path);
    const error = await readToEnd(file, { limit: 16 }).catch((e) => e);
    assert.ok(error instanceof FileOverLimitError, String(error));
    assert.equal(error.size, 1_000_000);
    assert.equal(await file.seek(0, Deno.SeekMode.Current), 17);
  }));

Deno.test("FileOverLimitError ends its message with the remedy given", () => {
  assert.equal(
    new FileOverLimitError(2000, 1000, "remove it").message,
    "it is 2000 bytes, over the 1000-byte limit: remove it",
  );
});
