/**
 * `thoth run` reads its policy only up to the most bytes a policy can hold:
 * a huge (here sparse) `policy.jsonc` is refused as too large, with its size
 * and a remedy, never read whole into memory; `doctor`'s reading of the
 * profile's policy is bounded the same way.
 */
import assert from "node:assert/strict";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { isAppError } from "../../src/errors.ts";
import { profilePolicyText } from "../../src/policy/profile_policy_text.ts";
import { MAX_POLICY_FILE_BYTES } from "../../src/policy/policy_shape.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempDir } from "../e2e/_harness.ts";

/** A sparse file of `bytes` bytes: no disk space, but a whole read would take them in memory. */
async function sparse(path: string, bytes: number): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true });
  try {
    await file.truncate(bytes);
  } finally {
    file.close();
  }
}

Deno.test("a policy larger than any policy can be is refused by thoth run, naming its size", async () => {
  await using dir = await tempDir("thoth-large-policy-");
  const size = 600 * 1024 * 1024;
  await sparse(`${dir.path}/policy.jsonc`, size);
  await assert.rejects(
    () => prepareSession(fakeCliIo(dir.path, { PATH: "" }), { server: "fs", mode: "block" }),
    (error: unknown) =>
      isAppError(error, "policy.unreadable") &&
      error.message.includes(`it is ${size} bytes, over the`) &&
      /move it aside/.test(error.hints[0] ?? ""),
  );
  // Also through --policy.
  const other = `${dir.path}/other.jsonc`;
  await sparse(other, MAX_POLICY_FILE_BYTES + 1);
  await assert.rejects(
    () =>
      prepareSession(fakeCliIo(dir.path, { PATH: "" }), {
        server: "fs",
        mode: "block",
        policy: other,
      }),
    (error: unknown) => isAppError(error, "policy.unreadable") && /over the/.test(error.message),
  );
  // doctor's reading of the profile's policy: cannot be read, not read whole.
  assert.equal(await profilePolicyText(dir.path), undefined);
});
