import assert from "node:assert/strict";
import { formatCheckpoint, parseCheckpoint } from "../../src/audit/checkpoint.ts";
import { fromBase64, fromHex } from "../../src/audit/encoding.ts";
import { noteKeyHash, noteVerifierKey, openNote, signNote } from "../../src/audit/signed_note.ts";

const vector = JSON.parse(
  await Deno.readTextFile(
    new URL("../fixtures/audit/c2sp_signed_note_vector.json", import.meta.url),
  ),
) as {
  signerKey: string;
  verifierKey: string;
  name: string;
  keyHash: string;
  text: string;
  note: string;
};

async function vectorSigner() {
  const encoded = vector.signerKey.split("+").slice(4).join("+");
  const seed = fromBase64(encoded)!.subarray(1);
  const pkcs8 = new Uint8Array([...fromHex("302e020100300506032b657004220420")!, ...seed]);
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, "Ed25519", true, ["sign"]);
  const publicKey = fromBase64(vector.verifierKey.split("+").slice(2).join("+"))!.slice(1);
  return { name: vector.name, privateKey, publicKey };
}

Deno.test("noteKeyHash() and noteVerifierKey() match the C2SP example key", async () => {
  const signer = await vectorSigner();
  assert.equal(await noteKeyHash(signer.name, signer.publicKey), vector.keyHash);
  assert.equal(await noteVerifierKey(signer.name, signer.publicKey), vector.verifierKey);
});

Deno.test("signNote() reproduces the C2SP example note byte for byte", async () => {
  assert.equal(await signNote(vector.text, await vectorSigner()), vector.note);
});

Deno.test("openNote() verifies the example, rejects a changed text and names unknown keys", async () => {
  const signer = await vectorSigner();
  const verifier = { name: signer.name, publicKey: signer.publicKey };
  const opened = await openNote(vector.note, [verifier]);
  assert.equal(opened?.text, vector.text);
  assert.equal(opened?.verified.length, 1);
  const changed = await openNote(vector.note.replace("cryptography", "cryptographY"), [verifier]);
  assert.equal(changed?.verified.length, 0);
  assert.equal(changed?.invalid.length, 1);
  const unknown = await openNote(vector.note, []);
  assert.equal(unknown?.unknown[0]?.keyHash, vector.keyHash);
  assert.equal(await openNote("no blank line\n", [verifier]), undefined);
  assert.equal(await openNote(vector.text + "\n— PeterNeumann !!!\n", [verifier]), undefined);
});

Deno.test("formatCheckpoint() and parseCheckpoint() round-trip the C2SP checkpoint body", () => {
  const root = new Uint8Array(32).fill(7);
  const body = formatCheckpoint({ origin: "thoth.local/audit/x", size: 42, root });
  assert.equal(body, "thoth.local/audit/x\n42\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n");
  assert.deepEqual(parseCheckpoint(body), { origin: "thoth.local/audit/x", size: 42, root });
  assert.equal(parseCheckpoint("o\n042\nBwcH\n"), undefined);
  assert.equal(parseCheckpoint("o\n1\nnot-base64\n"), undefined);
});
