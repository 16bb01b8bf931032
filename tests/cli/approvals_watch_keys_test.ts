/**
 * The keys `approvals watch` takes at a terminal (`watch_keys.ts`): one key
 * per read answers; several bytes in one read (a paste, keys typed in a
 * burst, an arrow key) never do, whatever the first; and watch refuses to
 * start on input that is not a terminal.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { approvalsCommand } from "../../src/cli/approvals.ts";
import { runProgram } from "../../src/cli/program.ts";
import { keyPress } from "../../src/cli/watch_keys.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { waitingRequest } from "../approval/_waiting_request.ts";
import { queueWithKeys } from "../approval/_signed_answers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("one key per read answers; a paste, a burst or an arrow key does not", () => {
  assert.deepEqual(keyPress(bytes("Y")), { kind: "key", key: "y" });
  assert.deepEqual(keyPress(bytes("\r")), { kind: "enter" });
  assert.deepEqual(keyPress(bytes("\n")), { kind: "enter" });
  assert.deepEqual(keyPress(bytes("\x04")), { kind: "end" });
  assert.deepEqual(keyPress(bytes("y\r")), { kind: "other", text: "y\r" });
  assert.deepEqual(keyPress(bytes("yes")), { kind: "other", text: "yes" });
  assert.deepEqual(keyPress(bytes("\x1b[A")), { kind: "other", text: "\x1b[A" });
  assert.deepEqual(keyPress(bytes("y\x03")), { kind: "cancel" });
});

Deno.test("watch refuses input that is not a terminal, answering nothing", async () => {
  const home = await tempFolder("thoth-watch-keys-");
  const queue = await queueWithKeys(home);
  const entry = await queue.submit(waitingRequest("a".repeat(64), { shape: [] }));
  let reads = 0;
  const pipe = {
    isTerminal: () => false,
    setRaw: () => {
      throw new Error("not a terminal");
    },
    read: (buffer: Uint8Array) => {
      reads++;
      buffer[0] = 0x79; // "y", for ever
      return Promise.resolve(1);
    },
  };
  const io = fakeCliIo(home, { USER: "cli-user" });
  const program = new Command("thoth").addCommand(approvalsCommand(io, () => pipe));
  const code = await runProgram("thoth", program, ["approvals", "watch"], io);
  assert.equal(code, 2, io.stderr);
  assert.equal(reads, 0, "nothing was read");
  assert.equal(await queue.answer(entry.id), undefined);
  assert.match(io.stderr, /watch answers at a terminal, and standard input is not one/);
  assert.match(io.stderr, /hint: a script answers with "thoth approvals approve ID"/);
});
