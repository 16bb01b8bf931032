/**
 * The path wrap-config writes when no PATH entry is safe (the running
 * binary's own) or that --thoth-path names is judged by the rule a PATH entry
 * is picked by: a part another user can change is found, hop by hop through
 * links; on Windows, or for a path that is not absolute, nothing is.
 */
import assert from "node:assert/strict";
import { trustedUsers, writtenPathRisk } from "../../src/platform/written_path_risk.ts";
import type { PathPartInfo } from "../../src/platform/redirectable_part.ts";

const dir = (uid: number, mode: number): PathPartInfo => ({
  uid,
  mode: 0o40000 | mode,
  isSymlink: false,
  isDirectory: true,
});
const file = (uid: number, mode: number): PathPartInfo => ({
  uid,
  mode: 0o100000 | mode,
  isSymlink: false,
  isDirectory: false,
});
const link = (uid: number): PathPartInfo => ({
  uid,
  mode: 0o120777,
  isSymlink: true,
  isDirectory: false,
});

/** A machine: `/` and `/tmp` as usual, user 1000's folders, and `extra`. */
function look(
  extra: Record<string, PathPartInfo>,
  links: Record<string, string> = {},
  self: number | null = 1000,
  os = "linux",
) {
  const parts: Record<string, PathPartInfo> = {
    "/": dir(0, 0o755),
    "/tmp": dir(0, 0o1777),
    "/usr": dir(0, 0o755),
    "/usr/bin": dir(0, 0o755),
    "/usr/bin/deno": file(0, 0o755),
    ...extra,
  };
  return {
    os,
    lstat: (path: string) => parts[path],
    readLink: (path: string) => links[path],
    self,
  };
}

Deno.test("a binary in a folder anyone may write to is found, with the folder named", () => {
  const machine = look({ "/tmp/ww": dir(1000, 0o777), "/tmp/ww/deno": file(1000, 0o755) });
  assert.deepEqual(writtenPathRisk("/tmp/ww/deno", machine), {
    path: "/tmp/ww",
    uid: 1000,
    why: "writable",
  });
});

Deno.test("an installed binary, and one in the user's own folder under sticky /tmp, are safe", () => {
  const machine = look({ "/tmp/mine": dir(1000, 0o700), "/tmp/mine/deno": file(1000, 0o755) });
  assert.equal(writtenPathRisk("/usr/bin/deno", machine), undefined);
  assert.equal(writtenPathRisk("/tmp/mine/deno", machine), undefined);
});

Deno.test("a binary another user owns, or others may write, is found", () => {
  const machine = look({
    "/opt": dir(0, 0o755),
    "/opt/theirs": dir(1001, 0o755),
    "/opt/theirs/thoth": file(1001, 0o755),
    "/opt/open": file(0, 0o757),
  });
  assert.deepEqual(writtenPathRisk("/opt/theirs/thoth", machine), {
    path: "/opt/theirs",
    uid: 1001,
    why: "owner",
  });
  assert.deepEqual(writtenPathRisk("/opt/open", machine), {
    path: "/opt/open",
    uid: 0,
    why: "writable",
  });
});

Deno.test("a --thoth-path link is judged through to where it leads", () => {
  const machine = look(
    {
      "/opt": dir(0, 0o755),
      "/opt/thoth": link(0),
      "/tmp/ww": dir(0, 0o777),
      "/tmp/ww/thoth": file(0, 0o755),
      "/srv": dir(0, 0o777),
      "/srv/thoth": link(0),
    },
    { "/opt/thoth": "/tmp/ww/thoth", "/srv/thoth": "/usr/bin/deno" },
  );
  // A safe link to a file in a writable folder.
  assert.deepEqual(writtenPathRisk("/opt/thoth", machine), {
    path: "/tmp/ww",
    uid: 0,
    why: "writable",
  });
  // A link to a safe file, in a writable folder: the link can be swapped.
  assert.deepEqual(writtenPathRisk("/srv/thoth", machine), {
    path: "/srv",
    uid: 0,
    why: "writable",
  });
});

Deno.test("root, or a user who cannot be known, trusts root's parts alone", () => {
  assert.deepEqual([...trustedUsers(0)], [0]);
  assert.deepEqual([...trustedUsers(null)], [0]);
  assert.deepEqual([...trustedUsers(1000)].sort(), [0, 1000]);
  const parts = { "/home": dir(0, 0o755), "/home/ana": dir(1000, 0o755) };
  const ana = { ...parts, "/home/ana/thoth": file(1000, 0o755) };
  assert.equal(writtenPathRisk("/home/ana/thoth", look(ana, {}, 1000)), undefined);
  assert.deepEqual(writtenPathRisk("/home/ana/thoth", look(ana, {}, 0)), {
    path: "/home/ana",
    uid: 1000,
    why: "owner",
  });
  assert.deepEqual(writtenPathRisk("/home/ana/thoth", look(ana, {}, null))?.why, "owner");
});

Deno.test("a path that is not there cannot be trusted", () => {
  assert.deepEqual(writtenPathRisk("/usr/bin/thoth", look({})), {
    path: "/usr/bin/thoth",
    uid: null,
    why: "missing",
  });
});

Deno.test("on Windows, or for a path that is not absolute, nothing is judged", () => {
  const open = { "/tmp/ww": dir(0, 0o777), "/tmp/ww/deno": file(0, 0o755) };
  assert.equal(writtenPathRisk("/tmp/ww/deno", look(open, {}, null, "windows")), undefined);
  assert.equal(
    writtenPathRisk("C:\\Users\\ana\\thoth.exe", look({}, {}, null, "windows")),
    undefined,
  );
  assert.equal(writtenPathRisk("tmp/ww/deno", look(open)), undefined);
});
