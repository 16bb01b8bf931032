/**
 * redirectablePart() names the first part of a path, or of where its links
 * lead, hop by hop, that another user could change to make it lead to
 * another file: by owner, by a folder or file others may write to, by what
 * cannot be looked at, and by a loop of links.
 */
import assert from "node:assert/strict";
import { redirectablePart } from "../../src/platform/redirectable_part.ts";
import { tree } from "./_fake_tree.ts";

const ANA = 1000;
const MALLORY = 1001;
const TRUSTED = new Set([0, ANA]);

function judge(parts: Parameters<typeof tree>[0], path: string, trusted = TRUSTED) {
  const { lstat, readLink } = tree(parts);
  return redirectablePart(path, { lstat, readLink, trusted });
}

Deno.test("redirectablePart() passes a path whose every part is the user's or root's and closed", () => {
  assert.equal(
    judge({
      "/home/ana": { kind: "dir", uid: ANA, mode: 0o700 },
      "/home/ana/bin/deno": { kind: "link", uid: ANA, to: "../../../usr/lib/deno/deno" },
      "/usr/lib/deno/deno": { kind: "file" },
    }, "/home/ana/bin/deno"),
    undefined,
  );
});

Deno.test("redirectablePart() names the part at fault, and why", () => {
  const file = { kind: "file" } as const;
  const cases: [string, Parameters<typeof tree>[0], string, unknown][] = [
    [
      "a world-writable folder holding the link",
      {
        "/srv/ww": { kind: "dir", mode: 0o777 },
        "/srv/ww/deno": { kind: "link", to: "/x" },
        "/x": file,
      },
      "/srv/ww/deno",
      { path: "/srv/ww", uid: 0, why: "writable" },
    ],
    [
      "a group-writable folder above the one holding the link",
      {
        "/opt": { kind: "dir", mode: 0o775 },
        "/opt/bin/deno": { kind: "link", to: "/x" },
        "/x": file,
      },
      "/opt/bin/deno",
      { path: "/opt", uid: 0, why: "writable" },
    ],
    [
      "another user's link",
      { "/usr/bin/deno": { kind: "link", uid: MALLORY, to: "/x" }, "/x": file },
      "/usr/bin/deno",
      { path: "/usr/bin/deno", uid: MALLORY, why: "owner" },
    ],
    [
      "another user's folder",
      { "/home/mallory": { kind: "dir", uid: MALLORY }, "/home/mallory/deno": file },
      "/home/mallory/deno",
      { path: "/home/mallory", uid: MALLORY, why: "owner" },
    ],
    [
      "the second hop of a chain in a world-writable folder",
      {
        "/usr/bin/deno": { kind: "link", to: "/srv/ww/deno" },
        "/srv/ww": { kind: "dir", mode: 0o777 },
        "/srv/ww/deno": { kind: "link", uid: ANA, to: "/x" },
        "/x": file,
      },
      "/usr/bin/deno",
      { path: "/srv/ww", uid: 0, why: "writable" },
    ],
    [
      "a file others may write to, where the links end",
      {
        "/usr/bin/deno": { kind: "link", to: "deno-2" },
        "/usr/bin/deno-2": { kind: "file", mode: 0o666 },
      },
      "/usr/bin/deno",
      { path: "/usr/bin/deno-2", uid: 0, why: "writable" },
    ],
    [
      "another user's link in a sticky folder",
      {
        "/tmp": { kind: "dir", mode: 0o1777 },
        "/tmp/deno": { kind: "link", uid: MALLORY, to: "/x" },
        "/x": file,
      },
      "/tmp/deno",
      { path: "/tmp/deno", uid: MALLORY, why: "owner" },
    ],
    [
      "a link that leads nowhere",
      { "/usr/bin/deno": { kind: "link", to: "/gone/deno" } },
      "/usr/bin/deno",
      { path: "/gone", uid: null, why: "missing" },
    ],
    [
      "a loop of links",
      { "/a": { kind: "link", to: "/b" }, "/b": { kind: "link", to: "/a" } },
      "/a",
      { path: "/a", uid: 0, why: "loop" },
    ],
  ];
  for (const [label, parts, path, expected] of cases) {
    assert.deepEqual(judge(parts, path), expected, label);
  }
});

Deno.test("redirectablePart() passes the user's own link in a sticky folder like /tmp", () => {
  assert.equal(
    judge({
      "/tmp": { kind: "dir", mode: 0o1777 },
      "/tmp/deno": { kind: "link", uid: ANA, to: "/usr/lib/deno/deno" },
      "/usr/lib/deno/deno": { kind: "file" },
    }, "/tmp/deno"),
    undefined,
  );
});

Deno.test("redirectablePart() trusts root alone when asked to", () => {
  assert.deepEqual(
    judge(
      { "/home/ana/deno": { kind: "file", uid: ANA } },
      "/home/ana/deno",
      new Set([0]),
    ),
    { path: "/home/ana/deno", uid: ANA, why: "owner" },
  );
});
