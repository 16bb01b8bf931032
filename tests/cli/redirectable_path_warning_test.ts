/**
 * The warning for a thoth path another user could change names the path
 * written, the part, why (its owner, or who may write to it), and the
 * remedies: --thoth-path to an installed copy, or the part fixed.
 */
import assert from "node:assert/strict";
import { redirectablePathWarning } from "../../src/cli/redirectable_path_warning.ts";

Deno.test("a writable folder: the path, the folder, why and both remedies", () => {
  const text = redirectablePathWarning(
    "/tmp/ww/deno",
    { path: "/tmp/ww", uid: 0, why: "writable" },
    false,
  );
  assert.match(text, /^the thoth path written, \/tmp\/ww\/deno, can be made to start another/);
  assert.match(text, /\/tmp\/ww may be written to by users other than its owner/);
  assert.match(text, /It is written all the same/);
  assert.match(text, /pass --thoth-path with an installed thoth no other user can change/);
  assert.match(text, /chmod go-w \/tmp\/ww\)/);
});

Deno.test("another user's part: named with its uid, and the owner to fix", () => {
  const text = redirectablePathWarning(
    "/opt/theirs/thoth",
    { path: "/opt/theirs", uid: 1001, why: "owner" },
    true,
  );
  assert.match(text, /^the --thoth-path written, \/opt\/theirs\/thoth,/);
  assert.match(text, /\/opt\/theirs belongs to another user \(uid 1001\)/);
  assert.match(text, /pass a --thoth-path no other user can change/);
  assert.match(text, /have \/opt\/theirs owned by you or root/);
});

Deno.test("a part that cannot be looked at, or a loop of links, says so", () => {
  assert.match(
    redirectablePathWarning("/x/thoth", { path: "/x", uid: null, why: "missing" }, true),
    /\/x is not there or cannot be looked at/,
  );
  assert.match(
    redirectablePathWarning("/x/thoth", { path: "/x/thoth", uid: 0, why: "loop" }, false),
    /\/x\/thoth leads through more than 40 links in a row/,
  );
});
