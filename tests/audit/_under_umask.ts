/**
 * Run as its own process by `export_bundle_modes_test.ts`: sets this
 * process's umask, then exports a bundle or writes a new folder. The umask
 * belongs to the whole process, and a test process runs other test files on
 * other threads at the same time (`deno test --parallel`): changing it there
 * would change the modes their files get, and theirs the modes these get.
 *
 * Usage, with the umask in octal:
 * - `_under_umask.ts <umask> export <home> <output>`: `thoth audit export
 *   --output <output>` against the profile `home`; prints `{"code", "out",
 *   "err"}` as one line of JSON;
 * - `_under_umask.ts <umask> write-new-folder <output>`: `writeNewFolder()`
 *   of `records/deep/a.jsonl`, `m.json` and an empty folder `empty`.
 */
import { writeNewFolder } from "../../src/audit/write_new_folder.ts";
import { thothAudit } from "./_audit_cli.ts";

const [umask, what, ...rest] = Deno.args;
if (umask === undefined || !/^[0-7]{1,4}$/.test(umask)) {
  throw new Error(`expected a umask in octal, found ${JSON.stringify(umask)}`);
}
Deno.umask(parseInt(umask, 8));
if (what === "export" && rest.length === 2) {
  const result = await thothAudit(rest[0]!, "export", "--output", rest[1]!);
  await Deno.stdout.write(new TextEncoder().encode(`${JSON.stringify(result)}\n`));
} else if (what === "write-new-folder" && rest.length === 1) {
  const bytes = new TextEncoder().encode("x\n");
  await writeNewFolder(
    rest[0]!,
    [{ path: "records/deep/a.jsonl", bytes }, { path: "m.json", bytes }],
    { flag: "--output", folders: ["empty"] },
  );
} else {
  throw new Error(`expected "export <home> <output>" or "write-new-folder <output>"`);
}
