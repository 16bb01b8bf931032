/**
 * Whether the lost tallies' folder can hold a session's tally (see
 * `lost_tally_folder.ts`), as vectors of what `lstat` says: absent and a
 * writable folder are fine; anything else in its place (a symbolic link
 * among them, never followed), a folder its owner cannot use (in words that
 * say what it cannot do), and one another user owns are named with the
 * command that fixes each; root's modes are judged only when it was refused
 * (no capability to override them). What `thoth run` says when its tally
 * could not be made names the fix, and verify warns of a link and of a
 * folder it could not list. Pure.
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

Deno.test("judgeLostTallyFolder() passes an absent folder and a writable one, and names what else stands there, a link among them", () => {
  assert.equal(judgeLostTallyFolder(DIR, null, 1000), null);
  assert.equal(judgeLostTallyFolder(DIR, info("folder", 0o700), 1000), null);
  for (const uid of [1000, 0, null]) {
    assert.deepEqual(judgeLostTallyFolder(DIR, info("link", 0o777), uid), {
      problem: `"${DIR}" is a symbolic link, not a folder`,
      fix: `mv '${DIR}' '${DIR}.moved-aside'`,
    });
  }
  assert.deepEqual(judgeLostTallyFolder(DIR, info("file", 0o600), 1000), {
    problem: `"${DIR}" is a regular file, not a folder`,
    fix: `mv '${DIR}' '${DIR}.moved-aside'`,
  });
});

Deno.test("judgeLostTallyFolder() names a folder its owner cannot write, or another user owns, with the fix; root writes any", () => {
  assert.deepEqual(judgeLostTallyFolder(DIR, info("folder", 0o500), 1000), {
    problem: `"${DIR}" is 0500; it must be 0700: its owner cannot write it`,
    fix: `chmod 700 '${DIR}'`,
  });
  const cannot = (mode: number) =>
    judgeLostTallyFolder(DIR, info("folder", mode), 1000)?.problem.replace(/^.*: /, "");
  assert.equal(cannot(0o000), "its owner cannot list, enter or write it");
  assert.equal(cannot(0o300), "its owner cannot list it");
  assert.equal(cannot(0o600), "its owner cannot enter it");
  assert.equal(cannot(0o100), "its owner cannot list or write it");
  assert.deepEqual(judgeLostTallyFolder(DIR, info("folder", 0o700, 0), 1000), {
    problem: `"${DIR}" is owned by uid 0, not you (uid 1000)`,
    fix: `sudo chown -R 1000 '${DIR}'`,
  });
  assert.equal(judgeLostTallyFolder(DIR, info("folder", 0o500), 0), null);
  assert.equal(judgeLostTallyFolder(DIR, info("folder", 0o500), null), null);
});

Deno.test("judgeLostTallyFolder() judges root's folder when root was refused (no capability to override modes)", () => {
  const refused = "cannot be written: no file can be made in it (Permission denied (os error 13))";
  assert.deepEqual(judgeLostTallyFolder(DIR, info("folder", 0o500, 0), 0, refused), {
    problem: `"${DIR}" is 0500; it must be 0700: its owner cannot write it`,
    fix: `chmod 700 '${DIR}'`,
  });
  // The modes allow it, yet it was refused: another owner's folder, or what the modes do not tell.
  assert.deepEqual(judgeLostTallyFolder(DIR, info("folder", 0o700, 1000), 0, refused), {
    problem: `"${DIR}" ${refused} (it is owned by uid 1000; this process runs as uid 0)`,
    fix: `chown -R 0 '${DIR}'`,
  });
  assert.deepEqual(judgeLostTallyFolder(DIR, info("folder", 0o700, 1000), 1000, refused), {
    problem: `"${DIR}" ${refused}`,
    fix: `chmod 700 '${DIR}'`,
  });
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
  // Root refused (no capability to override modes): the modes are why, not "a disk with room".
  const root = tallyNotMadeNote(
    DIR,
    info("folder", 0o500, 0),
    new Deno.errors.PermissionDenied(`Permission denied (os error 13): open '${DIR}/s-1.tally'`),
  );
  assert.match(root, /\(Permission denied \(os error 13\)\): "[^"]+" is 0500; it must be 0700:/);
  assert.ok(root.endsWith(`run: chmod 700 '${DIR}'`), root);
  const link = tallyNotMadeNote(DIR, info("link", 0o777), new Error("a symbolic link stands"));
  assert.ok(link.includes(`"${DIR}" is a symbolic link, not a folder`), link);
  assert.ok(
    link.endsWith(`run: mv '${DIR}' '${DIR}.moved-aside' (the next session makes the folder)`),
  );
});

Deno.test("lostTallyFolderFinding() warns of something other than a folder, a link among them, and of a folder verify could not list", () => {
  const home = "/home/ana/.thoth";
  assert.equal(lostTallyFolderFinding(home, null), undefined);
  assert.equal(lostTallyFolderFinding(home, info("folder", 0o500)), undefined);
  const finding = lostTallyFolderFinding(home, info("file", 0o600));
  assert.equal(finding?.kind, "lost_tally_unusable");
  assert.equal(finding?.severity, "warning");
  assert.match(finding!.message, /not a folder[^]*moved-aside/);
  const link = lostTallyFolderFinding(home, info("link", 0o777));
  assert.equal(link?.kind, "lost_tally_unusable");
  assert.match(link!.message, /is a symbolic link, not a folder[^]*reads no tally through it/);
  const unlisted = lostTallyFolderFinding(
    home,
    info("folder", 0o000, 0),
    "Permission denied (os error 13)",
    0,
  );
  assert.equal(unlisted?.kind, "lost_tally_unusable");
  assert.equal(unlisted?.severity, "warning");
  assert.match(
    unlisted!.message,
    /is 0000; it must be 0700: its owner cannot list, enter or write it: verify cannot tell whether a killed session left a tally there[^]*run: chmod 700/,
  );
});
