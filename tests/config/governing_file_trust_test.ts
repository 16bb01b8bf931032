/**
 * The rule for the file itself, as `governing_file_trust.ts` applies it to
 * the handle it reads: a policy its group or other users may write to is
 * refused by `readTrustedFile` and by `ownerJudge` (the doctor's intent map
 * reader), even where the check by path was passed (a file swapped in after
 * it); `writableByOthersWhy` says why in one sentence.
 */
import assert from "node:assert/strict";
import { ownerJudge, readTrustedFile } from "../../src/config/governing_file_trust.ts";
import { isAppError } from "../../src/errors.ts";
import { writableByOthersWhy } from "../../src/identity/owner_file_trust.ts";
import { tempFolder } from "../_temp_dirs.ts";

const posix = Deno.build.os !== "windows";

Deno.test("writableByOthersWhy() names a group's or everyone's write, and nothing else", () => {
  assert.equal(writableByOthersWhy(0o100666), "it is 0666: every user can write to it");
  assert.equal(writableByOthersWhy(0o100602), "it is 0602: every user can write to it");
  assert.equal(
    writableByOthersWhy(0o100664),
    "it is 0664: any member of its group can write to it",
  );
  assert.equal(
    writableByOthersWhy(0o100620),
    "it is 0620: any member of its group can write to it",
  );
  for (const mode of [0o100644, 0o100600, 0o100444, 0o100755, 0o100640]) {
    assert.equal(writableByOthersWhy(mode), undefined, mode.toString(8));
  }
  assert.equal(writableByOthersWhy(null), undefined);
});

Deno.test({
  name: "readTrustedFile() refuses a handle its group or other users may write to",
  ignore: !posix,
  fn: async () => {
    const dir = await tempFolder("thoth-trusted-read-");
    const path = `${dir}/policy.jsonc`;
    await Deno.writeTextFile(path, '{"version": 1}');
    const self = Deno.uid()!;
    const file = { kind: "policy", path, thothHome: dir, named: true } as const;
    const trust = { owner: self, self };
    for (const mode of [0o666, 0o620]) {
      await Deno.chmod(path, mode);
      const error = await readTrustedFile(file, trust, 1024).then(() => undefined, (e) => e);
      assert.ok(isAppError(error, "policy.untrusted"), String(error));
      assert.match(error.message, new RegExp(`: it is 0${mode.toString(8)}: `));
      assert.match(error.hints[0] ?? "", /chmod go-w '/);
    }
    await Deno.chmod(path, 0o644);
    assert.equal(
      new TextDecoder().decode(await readTrustedFile(file, trust, 1024)),
      '{"version": 1}',
    );
  },
});

Deno.test("ownerJudge() refuses an open intent map others may write to, whoever owns it", () => {
  const file = { kind: "intent_map", path: "/p/intent_map.json", thothHome: "/p" } as const;
  const judge = ownerJudge(file, { owner: 1000, self: 1000 });
  for (const uid of [0, 1000]) {
    assert.throws(
      () => judge({ uid, mode: 0o100664 }),
      (error) => isAppError(error, "intent_map.untrusted") && /0664/.test(error.message),
    );
    judge({ uid, mode: 0o100644 });
  }
  assert.throws(
    () => judge({ uid: 1001, mode: 0o100600 }),
    (error) => isAppError(error, "intent_map.untrusted") && /uid 1001/.test(error.message),
  );
  // Nothing is judged where there are no owners (Windows).
  ownerJudge(file, null)({ uid: null, mode: null });
});
