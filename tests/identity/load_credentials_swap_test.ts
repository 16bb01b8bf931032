/**
 * `thoth health` and `thoth doctor` run as root by a management tool read a
 * user's credential files: what the user swaps in between a look at the path
 * and its open must be refused, never opened (a FIFO blocks the open for ever)
 * or read (a device never ends).
 */
import assert from "node:assert/strict";
import { loadCredentials } from "../../src/identity/load_credentials.ts";
import { parseThothEnv } from "../../src/identity/thoth_env.ts";
import { HAS_FIFO, makeFifo, settlesAtOnce } from "../platform/_fifo.ts";
import { startSwapper } from "../platform/_swapper.ts";
import { withTempDir } from "../doctor/_helpers.ts";

const KEY_FILE = '{"version":1,"api_key":"file-api-key"}';
const ROUNDS = 3_000;

function keyFileEnv(path: string) {
  return parseThothEnv({ THOTH_API_KEY_FILE: path }).env;
}

Deno.test({
  name: "loadCredentials() is not blocked by a FIFO swapped in for the key file",
  ignore: !HAS_FIFO,
  fn: () =>
    withTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/key.json`, KEY_FILE);
      await makeFifo(`${dir}/fifo`);
      const swapper = await startSwapper(`${dir}/current`, [`${dir}/key.json`, `${dir}/fifo`]);
      const seen = new Set<string>();
      try {
        for (let i = 0; i < ROUNDS; i++) {
          const outcome = await settlesAtOnce(
            () =>
              loadCredentials(keyFileEnv(`${dir}/current`), dir, new Date()).then(
                ({ credential }) => credential?.source ?? "none",
                (error: unknown) => String(error),
              ),
            `${dir}/fifo`,
          );
          if (outcome === "THOTH_API_KEY_FILE") seen.add("read");
          else {
            assert.match(outcome, /not a regular file/);
            seen.add("refused");
          }
        }
      } finally {
        await swapper.stop();
      }
      // Both were met: the swap happened under the reader.
      assert.deepEqual([...seen].sort(), ["read", "refused"]);
    }),
});

Deno.test({
  name: "loadCredentials() never reads a device swapped in for the key file",
  ignore: !HAS_FIFO,
  fn: () =>
    withTempDir(async (dir) => {
      await Deno.writeTextFile(`${dir}/key.json`, KEY_FILE);
      // /dev/null ends at once; /dev/zero, read the same way, never would.
      const swapper = await startSwapper(`${dir}/current`, [`${dir}/key.json`, "/dev/null"]);
      const seen = new Set<string>();
      try {
        for (let i = 0; i < ROUNDS; i++) {
          try {
            const { credential } = await loadCredentials(
              keyFileEnv(`${dir}/current`),
              dir,
              new Date(),
            );
            assert.equal(credential?.source, "THOTH_API_KEY_FILE");
            seen.add("read");
          } catch (error) {
            // The only refusal allowed: "not a regular file", never a parse of what a device gave.
            assert.match(String(error), /not a regular file/);
            seen.add("refused");
          }
        }
      } finally {
        await swapper.stop();
      }
      assert.deepEqual([...seen].sort(), ["read", "refused"]);
    }),
});

Deno.test("loadCredentials() refuses a key file past 64 KiB however its size looked", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/key.json`, KEY_FILE);
    // A file that grows after a look at its size. Were it read, it would not parse.
    const big = KEY_FILE + "x".repeat(64 * 1024 - KEY_FILE.length + 1);
    await Deno.writeTextFile(`${dir}/big.json`, big);
    const swapper = await startSwapper(`${dir}/current`, [`${dir}/key.json`, `${dir}/big.json`]);
    const seen = new Set<string>();
    try {
      for (let i = 0; i < ROUNDS; i++) {
        try {
          await loadCredentials(keyFileEnv(`${dir}/current`), dir, new Date());
          seen.add("read");
        } catch (error) {
          assert.match(String(error), /bytes, over the 64 KiB \(65536-byte\) limit/);
          seen.add("refused");
        }
      }
    } finally {
      await swapper.stop();
    }
    assert.deepEqual([...seen].sort(), ["read", "refused"]);
  }));
