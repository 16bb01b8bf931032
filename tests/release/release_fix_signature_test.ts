/**
 * The release signature covers the commit the build stamped, and the key
 * does not sign a build of uncommitted changes unless told to: what
 * `writeReleaseFiles` signs is what `verifyRelease` checks. A note in the
 * older format (no commit line) still verifies; a malformed commit line does
 * not; a note by a key nobody trusts names that key, the trusted ones and
 * `THOTH_RELEASE_VERIFIER_KEY`.
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";
import { writeReleaseFiles } from "../../src/release/release_files.ts";
import { newReleaseKey, readReleaseSigner } from "../../src/release/release_signing_key.ts";
import { releaseNoteText, verifyRelease } from "../../src/release/release_signature.ts";
import { signNote } from "../../src/audit/signed_note.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import { VERSION } from "../../src/version.ts";
import { isAppError } from "../../src/errors.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const KEY = await newReleaseKey("thoth-test-release");
const SIGNER = await readReleaseSigner(JSON.stringify(KEY.file), "test key");
const SUBJECT = {
  name: "thoth-linux-x86_64",
  sha256: await sha256Hex(new TextEncoder().encode("a binary")),
};

async function write(commit: string, signUncommitted?: boolean) {
  const outDir = `${await tempFolder("thoth-fix-sig-")}/dist`;
  const lockBytes = await Deno.readFile(`${ROOT}/deno.lock`);
  const written: string[] = [];
  const warnings: string[] = [];
  const run = writeReleaseFiles({
    root: ROOT,
    outDir,
    commit,
    timestamp: "2026-01-01T00:00:00.000Z",
    host: Deno.build.target,
    lock: JSON.parse(new TextDecoder().decode(lockBytes)),
    lockDigest: await sha256Hex(lockBytes),
    results: [],
    subjects: [SUBJECT],
    signer: SIGNER,
    ...(signUncommitted === undefined ? {} : { signUncommitted }),
    warn: (line) => warnings.push(line),
  }, written);
  return { outDir, written, warnings, run };
}

Deno.test("the release signature names the build commit, and verifyRelease returns it", async () => {
  const { outDir, run } = await write("abc1234def56");
  await run;
  const checksums = await Deno.readTextFile(`${outDir}/checksums.sha256`);
  const note = await Deno.readTextFile(`${outDir}/checksums.sha256.sig`);
  assert.ok(note.startsWith(`thoth release ${VERSION}\ncommit abc1234def56\n${checksums}\n`), note);
  const verified = await verifyRelease(note, VERSION, checksums, [KEY.verifierKey]);
  assert.equal(verified.commit, "abc1234def56");
  // The commit is signed: changing it breaks the signature.
  const forged = note.replace("commit abc1234def56", "commit 000000000000");
  await assert.rejects(
    verifyRelease(forged, VERSION, checksums, [KEY.verifierKey]),
    (e: unknown) => isAppError(e) && e.code === "release.bad_signature",
  );
});

for (const commit of ["abc1234def56-dirty", "unknown"]) {
  Deno.test(`writeReleaseFiles refuses to sign commit "${commit}" unless told to`, async () => {
    const refused = await write(commit);
    await assert.rejects(
      refused.run,
      (e: unknown) =>
        isAppError(e) && e.code === "build.uncommitted_signing" &&
        e.hints.some((h) => h.includes("--sign-uncommitted")),
    );
    assert.deepEqual(refused.written, []);
    assert.equal(await Deno.stat(refused.outDir).then(() => true, () => false), false);

    const allowed = await write(commit, true);
    await allowed.run;
    assert.ok(allowed.written.includes("checksums.sha256.sig"));
    assert.ok(
      allowed.warnings.some((w) => w.includes(`commit ${commit}`)),
      allowed.warnings.join(),
    );
    const checksums = await Deno.readTextFile(`${allowed.outDir}/checksums.sha256`);
    const note = await Deno.readTextFile(`${allowed.outDir}/checksums.sha256.sig`);
    assert.equal(
      (await verifyRelease(note, VERSION, checksums, [KEY.verifierKey])).commit,
      commit,
    );
  });
}

Deno.test("verifyRelease accepts the older format without a commit line, and refuses a malformed one", async () => {
  const checksums = `${SUBJECT.sha256}  ${SUBJECT.name}\n`;
  const legacy = await signNote(releaseNoteText("0.2.0", checksums), SIGNER);
  assert.equal(
    (await verifyRelease(legacy, "0.2.0", checksums, [KEY.verifierKey])).commit,
    undefined,
  );
  const bad = await signNote(`thoth release 0.2.0\ncommit ../../evil\n${checksums}`, SIGNER);
  await assert.rejects(
    verifyRelease(bad, "0.2.0", checksums, [KEY.verifierKey]),
    (e: unknown) =>
      isAppError(e) && e.code === "release.bad_signature" && /names the commit/.test(e.message),
  );
  // A commit line is not a checksums line: it cannot be slipped in after the version elsewhere.
  const moved = await signNote(`thoth release 0.2.0\n${checksums}commit abc1234def56\n`, SIGNER);
  await assert.rejects(
    verifyRelease(moved, "0.2.0", checksums, [KEY.verifierKey]),
    (e: unknown) => isAppError(e) && e.code === "release.bad_signature",
  );
});

Deno.test("verifyRelease names the signing key, the trusted ones and THOTH_RELEASE_VERIFIER_KEY", async () => {
  const other = await newReleaseKey("rotated-release");
  const checksums = `${SUBJECT.sha256}  ${SUBJECT.name}\n`;
  const note = await signNote(releaseNoteText("0.2.0", checksums, "abc1234def56"), SIGNER);
  await assert.rejects(
    verifyRelease(note, "0.2.0", checksums, [other.verifierKey]),
    (e: unknown) =>
      isAppError(e) && e.code === "release.bad_signature" &&
      e.message.includes("thoth-test-release (key hash ") &&
      e.message.includes(other.verifierKey.split("+").slice(0, 2).join("+")) &&
      e.hints.some((h) => h.includes("THOTH_RELEASE_VERIFIER_KEY")),
  );
});
