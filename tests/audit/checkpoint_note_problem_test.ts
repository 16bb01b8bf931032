import assert from "node:assert/strict";
import { checkpointNoteProblem } from "../../src/audit/checkpoint_note_problem.ts";
import { formatCheckpoint } from "../../src/audit/checkpoint.ts";
import { signNote } from "../../src/audit/signed_note.ts";
import { otherSigner } from "./_log_helpers.ts";

Deno.test("checkpointNoteProblem() accepts a signed checkpoint whoever signed it", async () => {
  const signer = await otherSigner("example.org/log");
  const note = await signNote(
    formatCheckpoint({ origin: signer.name, size: 12, root: new Uint8Array(32) }),
    signer,
  );
  assert.equal(checkpointNoteProblem(note), undefined);
});

Deno.test("checkpointNoteProblem() names what keeps a text from being a signed checkpoint", async () => {
  const signer = await otherSigner("example.org/log");
  const note = await signNote(
    formatCheckpoint({ origin: signer.name, size: 12, root: new Uint8Array(32) }),
    signer,
  );
  const cases: [string, string][] = [
    ["  \n", "it is empty"],
    [
      note.replace("\n", "\r\n"),
      "it has carriage returns (CR LF line ends?): a signed note uses LF line ends only",
    ],
    [
      note.replace("12", "1\u00002"),
      "it holds a control character (0x00) at offset 17: a signed note is plain text",
    ],
    [note.slice(0, -1), "it does not end with a newline"],
    [
      note + "\n",
      "it ends with a blank line: a signed note ends right after its last signature line",
    ],
    ["a\nb\n", "it has no blank line between the checkpoint and its signatures"],
    [
      note.replace(/\n— .*\n$/, "\n— key\n"),
      'signature line 1 "— key" is not "— <key name> <base64 key hash and signature>"',
    ],
    [
      note.replace(/ (\S+)\n$/, " AAAA\n"),
      'signature line 1 "— example.org/log AAAA" is not "— <key name> <base64 key hash and signature>"',
    ],
    [
      note.replace("\n12\n", "\n-1\n"),
      "the text above its signatures is not a checkpoint (an origin line, a tree size, a base64 SHA-256 root hash)",
    ],
  ];
  for (const [text, problem] of cases) {
    assert.equal(checkpointNoteProblem(text), problem, JSON.stringify(text));
  }
});
