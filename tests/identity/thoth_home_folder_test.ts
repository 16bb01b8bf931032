import assert from "node:assert/strict";
import { profileNotFolderError } from "../../src/identity/thoth_home_error.ts";
import { requireProfileFolder } from "../../src/identity/thoth_home_folder.ts";
import { isAppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("profileNotFolderError() names THOTH_HOME when it set the path, else the profile", () => {
  const set = profileNotFolderError("/tmp/h", { THOTH_HOME: "/tmp/h" }, "it is a file");
  assert.ok(isAppError(set, "io.profile_not_folder"));
  assert.equal(set.message, 'THOTH_HOME "/tmp/h" is not a folder: it is a file');
  assert.match(set.hints[0]!, /^set THOTH_HOME to a folder/);
  const unset = profileNotFolderError("/home/ana/.thoth", {}, "it is a file");
  assert.equal(unset.message, 'the profile "/home/ana/.thoth" is not a folder: it is a file');
  assert.match(unset.hints[0]!, /move "\/home\/ana\/\.thoth" aside$/);
});

Deno.test("requireProfileFolder() passes a folder or nothing, refuses a file or a path through one", async () => {
  const dir = await tempFolder("thoth-profile-folder-");
  await requireProfileFolder(dir, {});
  await requireProfileFolder(`${dir}/not-yet`, {});
  await Deno.writeTextFile(`${dir}/file`, "");
  await assert.rejects(
    () => requireProfileFolder(`${dir}/file`, {}),
    (error) => isAppError(error, "io.profile_not_folder") && /it is a file$/.test(error.message),
  );
  await assert.rejects(
    () => requireProfileFolder(`${dir}/file/home`, {}),
    (error) => isAppError(error, "io.profile_not_folder") && /a file stands/.test(error.message),
  );
});
