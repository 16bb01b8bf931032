/**
 * Whether the lost tallies' folder can hold a session's tally (see
 * `lost_tally_folder.ts`), as vectors of what `lstat` says: absent and a
 * writable folder are fine; anything else in its place, a folder its owner
 * cannot write, and one another user owns are named with the command that
 * fixes each; root writes any folder. What `thoth run` says when its tally
 * could not be made names the fix. Pure.
 */
import assert from "node:assert/strict";
import {
  judgeLostTallyFolder,
  lostTallyFolderFinding,
  tallyNotMadeNote,
} from "../../src/audit/lost_tally_folder.ts";

const DIR = "/home/ana/.thoth/audit/lost";

/** What `lstat` says of a folder (mode `mode`, owner `uid`) or of a regular file. */
function info(kind: "folder" | "file" | "link", mode: number, uid = 1000): Deno.FileInfo {
  return {
    isFile: kind === "file",
    isDirectory: kind === "folder",
    isSymlink: kind === "link",
    mode,
    uid,
  } as Deno.FileInfo;
}

Deno.test("judgeLostTallyFolder() passes an absent folder, a writable one and a link, and names what else stands there", () => {
  assert.equal(judgeLostTallyFolder(DIR, null, 1000), null);
  assert.equal(judgeLostTallyFolder(DIR, info("folder", 0o700), 1000), null);
  assert.equal(judgeLostTallyFolder(DIR, info("link", 0o777), 1000), null);
  assert.deepEqual(judgeLostTallyFolder(DIR, info("file", 0o600), 1000), {
    problem: `"${DIR}" is a regular file, not a folder`,
    fix: `mv '${DIR}' '${DIR}.moved-aside'`,
  });
});

Deno.test("judgeLostTallyFolder() names a folder its owner cannot write, or another user owns, with the fix; root writes any", () => {
  assert.deepEqual(judgeLostTallyFolder(DIR, info("folder", 0o500), 1000), {
    problem: `"${DIR}" is 0500; it must be 0700: its owner cannot list, enter or write it`,
    fix: `chmod 700 '${DIR}'`,
  });
  assert.deepEqual(judgeLostTallyFolder(DIR, info("folder", 0o700, 0), 1000), {
    problem: `"${DIR}" is owned by uid 0, not you (uid 1000)`,
    fix: `sudo chown -R 1000 '${DIR}'`,
  });
  assert.equal(judgeLostTallyFolder(DIR, info("folder", 0o500), 0), null);
  assert.equal(judgeLostTallyFolder(DIR, info("folder", 0o500), null), null);
});

Deno.test("tallyNotMadeNote() says the session keeps no tally, why, and the fix", () => {
  const file = tallyNotMadeNote(DIR, info("file", 0o600), new Error("File exists (os error 17)"));
  assert.match(file, /^warning: this session keeps no lost tally: cannot make it in /);
  assert.match(
    file,
    /is a regular file, not a folder[^]*leaves no trace once the session is killed/,
  );
  assert.ok(
    file.endsWith(`run: mv '${DIR}' '${DIR}.moved-aside' (the next session makes the folder)`),
  );
  const locked = tallyNotMadeNote(DIR, info("folder", 0o500), new Error("Permission denied"));
  assert.ok(locked.endsWith(`run: chmod 700 '${DIR}'`), locked);
  const full = tallyNotMadeNote(DIR, info("folder", 0o700), new Error("No space left on device"));
  assert.match(full, /\(No space left on device\)[^]*on a disk with room$/);
});

Deno.test("lostTallyFolderFinding() warns only of something other than a folder", () => {
  const home = "/home/ana/.thoth";
  assert.equal(lostTallyFolderFinding(home, null), undefined);
  assert.equal(lostTallyFolderFinding(home, info("folder", 0o500)), undefined);
  const finding = lostTallyFolderFinding(home, info("file", 0o600));
  assert.equal(finding?.kind, "lost_tally_unusable");
  assert.equal(finding?.severity, "warning");
  assert.match(finding!.message, /not a folder[^]*moved-aside/);
});
