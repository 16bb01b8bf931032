import assert from "node:assert/strict";
import { governingFilePaths, outsideProfile } from "../../src/config/governing_file_paths.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("governingFilePaths() gives a --policy file elsewhere and where the profile's links lead", async () => {
  const root = await Deno.realPath(await tempFolder("thoth-governing-"));
  const thothHome = `${root}/profile`;
  await Deno.mkdir(thothHome);
  await Deno.mkdir(`${root}/managed`);
  await Deno.mkdir(`${root}/work`);
  await Deno.writeTextFile(`${root}/managed/policy.jsonc`, "{}");
  await Deno.writeTextFile(`${root}/managed/intents.json`, "{}");
  await Deno.writeTextFile(`${root}/ext.jsonc`, "{}");
  await Deno.symlink(`${root}/managed/policy.jsonc`, `${thothHome}/policy.jsonc`);
  await Deno.symlink(`${root}/managed/intents.json`, `${thothHome}/intent_map.json`);
  await Deno.symlink(`${root}/ext.jsonc`, `${root}/work/linked.jsonc`);

  // The profile's own policy: only where its links lead.
  assert.deepEqual(
    await governingFilePaths({ thothHome, policyFile: `${thothHome}/policy.jsonc`, cwd: root }),
    [`${root}/managed/policy.jsonc`, `${root}/managed/intents.json`],
  );
  // A --policy given relative to thoth's working folder, through a link: both spellings.
  assert.deepEqual(
    await governingFilePaths({ thothHome, policyFile: "./linked.jsonc", cwd: `${root}/work` }),
    [
      `${root}/work/linked.jsonc`,
      `${root}/ext.jsonc`,
      `${root}/managed/policy.jsonc`,
      `${root}/managed/intents.json`,
    ],
  );
  assert.deepEqual(
    await governingFilePaths({ thothHome, policyFile: "../ext.jsonc", cwd: `${root}/work` }),
    [`${root}/ext.jsonc`, `${root}/managed/policy.jsonc`, `${root}/managed/intents.json`],
  );
});

Deno.test("governingFilePaths() leaves out what the profile's protection covers", async () => {
  const thothHome = await Deno.realPath(await tempFolder("thoth-governing-plain-"));
  await Deno.writeTextFile(`${thothHome}/policy.jsonc`, "{}");
  assert.deepEqual(
    await governingFilePaths({ thothHome, policyFile: `${thothHome}/policy.jsonc`, cwd: "/" }),
    [],
  );
  assert.deepEqual(
    outsideProfile(["/p/x", "/p", "/q/p.jsonc", "/p2/x", "/q/p.jsonc"], ["/p/", undefined]),
    ["/q/p.jsonc", "/p2/x"],
  );
  assert.deepEqual(outsideProfile(["C:\\p\\x", "C:\\q"], ["C:\\p"]), ["C:\\q"]);
});
