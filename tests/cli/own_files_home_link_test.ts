/**
 * A home folder behind a symbolic link (`/home` a link to `/var/home`, as on
 * Fedora Silverblue): a server may name a client's config by either path, so
 * `thoth run` and `thoth policy explain` protect the configs at the home
 * folder's real path too, and under the variables that name folders in it.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { prepareSession } from "../../src/cli/prepare_session.ts";
import { policyCommand } from "../../src/cli/policy.ts";
import { runProgram } from "../../src/cli/program.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** A home folder `<root>/home/ana` whose `<root>/home` links to `<root>/var/home`. */
async function linkedHome(): Promise<{ home: string; real: string; thothHome: string }> {
  const root = await Deno.realPath(await tempFolder("thoth-linked-home-"));
  const real = `${root}/var/home/ana`;
  await Deno.mkdir(real, { recursive: true });
  await Deno.symlink(`${root}/var/home`, `${root}/home`);
  const thothHome = `${real}/.thoth`;
  await Deno.mkdir(thothHome);
  await Deno.writeTextFile(
    `${thothHome}/policy.jsonc`,
    JSON.stringify({ version: 1, default: "allow" }),
  );
  return { home: `${root}/home/ana`, real, thothHome };
}

Deno.test("thoth run protects the clients' configs at the linked home folder's real path too", async () => {
  if (Deno.build.os === "windows") return; // symbolic links need a privilege there
  const { home, real, thothHome } = await linkedHome();
  const env = { PATH: "", HOME: home, XDG_CONFIG_HOME: `${home}/xdg` };
  const prepared = await prepareSession(fakeCliIo(thothHome, env), {
    server: "fs",
    mode: "block",
  });
  assert.equal(prepared.enforcer.kind, "local");
  const configs = prepared.enforcer.kind === "local" ? prepared.enforcer.clientConfigs ?? [] : [];
  for (const folder of [home, real]) {
    assert.ok(configs.includes(`${folder}/.cursor/mcp.json`), `${folder}: ${configs.join(" ")}`);
    assert.ok(configs.includes(`${folder}/.claude.json`), `${folder}: ${configs.join(" ")}`);
    assert.ok(configs.includes(`${folder}/xdg/Code/User/mcp.json`), configs.join(" "));
  }
});

Deno.test("thoth policy explain blocks a config named by the linked home folder's real path", async () => {
  if (Deno.build.os === "windows") return;
  const { home, real, thothHome } = await linkedHome();
  const explain = async (args: Record<string, unknown>) => {
    const io = fakeCliIo(thothHome, { PATH: "", HOME: home, THOTH_HOME: thothHome });
    const program = new Command("thoth").addCommand(policyCommand(io));
    const argv = ["policy", "explain", "--server", "fs", "--tool", "read_file", "--base", home];
    await runProgram("thoth", program, [...argv, "--args", JSON.stringify(args)], io);
    return io.stdout + io.stderr;
  };
  for (const folder of [home, real]) {
    const out = await explain({ path: `${folder}/.cursor/mcp.json` });
    assert.match(out, /thoth\.client_config/, out);
  }
  const other = await explain({ path: `${real}/notes/mcp.json` });
  assert.doesNotMatch(other, /thoth\.client_config/, other);
});
