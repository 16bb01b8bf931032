/**
 * `thoth run` records, in every decision, the same `policyHash` that
 * `thoth policy check --json` prints for the file: both hash the file's
 * bytes as read, a byte-order mark, CRLF line ends and any byte a decoder
 * would replace included, so a fleet can match a file against its audit log.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { runProgram } from "../../src/cli/program.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempDir } from "../e2e/_harness.ts";

async function hexSha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What `thoth run --policy FILE` records and `thoth policy check FILE --json` prints. */
async function bothHashes(profile: string, file: string) {
  const io = fakeCliIo(profile, { PATH: "" });
  const run = await prepareSession(io, { server: "fs", mode: "block", policy: file }).then(
    (prepared) => prepared.enforcer.kind === "local" ? prepared.enforcer.policyHash : null,
    (error: unknown) => error,
  );
  const checkIo = fakeCliIo(profile, {});
  const program = new Command("thoth").addCommand(policyCommand(checkIo));
  const code = await runProgram("thoth", program, ["policy", "check", file, "--json"], checkIo);
  const check = code === 0 ? JSON.parse(checkIo.stdout).policyHash as string : null;
  return { run, check };
}

Deno.test("thoth run's policyHash is the one policy check --json prints, over the file's bytes", async () => {
  await using dir = await tempDir();
  const profile = `${dir.path}/.thoth`;
  Deno.mkdirSync(profile, { recursive: true, mode: 0o700 });
  const file = `${dir.path}/p.jsonc`;
  const policy = (comment: Uint8Array) => {
    const encode = (text: string) => new TextEncoder().encode(text);
    return new Uint8Array([
      ...encode("\uFEFF{\r\n  // the caf"),
      ...comment,
      ...encode(' policy\r\n  "version": 1,\r\n  "default": "allow"\r\n}\r\n'),
    ]);
  };
  const bytes = policy(new TextEncoder().encode("é"));
  await Deno.writeFile(file, bytes);
  const plain = await bothHashes(profile, file);
  assert.equal(plain.run, await hexSha256(bytes));
  assert.equal(plain.check, plain.run);
  // A byte no UTF-8 decoder keeps ("é" in Latin-1): never a hash of a re-encoded text. A
  // policy refused as not UTF-8 is refused by both.
  const odd = policy(new Uint8Array([0xe9]));
  await Deno.writeFile(file, odd);
  const both = await bothHashes(profile, file);
  if (typeof both.run !== "string" || both.check === null) {
    assert.ok(typeof both.run !== "string" && both.check === null, "refused by one only");
  } else {
    assert.equal(both.run, await hexSha256(odd));
    assert.equal(both.check, both.run);
  }
});
