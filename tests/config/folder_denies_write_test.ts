/**
 * folderDeniesWrite() tells only a sure "no" from a folder's mode and owner:
 * the owner by the owner's bits, anyone else when neither the group bits
 * (the ACL mask) nor the other bits grant write and search; root, and
 * missing facts (Windows), never.
 */
import assert from "node:assert/strict";
import { folderDeniesWrite } from "../../src/config/folder_denies_write.ts";

const DIR = 0o40000;

const CASES: [string, { mode: number | null; uid: number | null }, number | null, boolean][] = [
  ["root's folder, others r-x, another user", { mode: DIR | 0o755, uid: 0 }, 65534, true],
  [
    "root's folder, group rwx, another user (maybe in the group)",
    { mode: DIR | 0o775, uid: 0 },
    65534,
    false,
  ],
  [
    "root's folder, others rwx (/tmp without the sticky bit)",
    { mode: DIR | 0o777, uid: 0 },
    65534,
    false,
  ],
  ["/tmp: others rwx and sticky", { mode: DIR | 0o1777, uid: 0 }, 65534, false],
  ["others -w- only: no search", { mode: DIR | 0o752, uid: 0 }, 65534, true],
  ["group -w- and others --x: neither grants both", { mode: DIR | 0o721, uid: 0 }, 65534, true],
  ["the owner's own 0555 folder", { mode: DIR | 0o555, uid: 501 }, 501, true],
  [
    "the owner's own 0355 folder (write and search, no list)",
    { mode: DIR | 0o355, uid: 501 },
    501,
    false,
  ],
  ["the owner, whose bits deny, though others may", { mode: DIR | 0o577, uid: 501 }, 501, true],
  ["root, whatever the mode", { mode: DIR | 0o000, uid: 501 }, 0, false],
  ["no mode (Windows)", { mode: null, uid: null }, null, false],
  ["no user id", { mode: DIR | 0o555, uid: 501 }, null, false],
];

for (const [name, folder, uid, denied] of CASES) {
  Deno.test(`folderDeniesWrite() ${denied ? "denies" : "does not deny"}: ${name}`, () => {
    assert.equal(folderDeniesWrite(folder, uid), denied);
  });
}
