/**
 * `thoth set-api-key --api-key -` given more than one line on a pipe refuses
 * the key, saving nothing, in the same words as a paste of several lines at
 * a terminal (see set_api_key_terminal_test.ts).
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { runProgram } from "../../src/cli/program.ts";
import { setApiKeyCommand } from "../../src/cli/set_api_key.ts";
import { fakeIo, withTempDir } from "../doctor/_helpers.ts";

Deno.test("thoth set-api-key --api-key - refuses more than one line, saving nothing", () =>
  withTempDir(async (home) => {
    for (const stdin of ["aten_part_one\nsecond_part\n", "aten_part_one\r\nsecond_part"]) {
      const io = fakeIo(home, {});
      const program = new Command("thoth").addCommand(
        setApiKeyCommand(io, () => Promise.resolve(stdin)),
      );
      const code = await runProgram("thoth", program, ["set-api-key", "--api-key", "-"], io);
      const stderr = io.stderr.join("");
      assert.equal(code, 2, stderr);
      assert.match(stderr, /the API key on standard input is more than one line/);
      assert.ok(!stderr.includes("part_one") && !stderr.includes("second_part"));
      await assert.rejects(Deno.lstat(`${home}/proxy_api_key.json`), Deno.errors.NotFound);
    }
  }));
