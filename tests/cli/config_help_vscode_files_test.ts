/**
 * `wrap-config --help` and `unwrap-config --help` name every file `--client
 * vscode` works on, as it does: VS Code's, VS Code Insiders' and VSCodium's
 * mcp.json and settings.json, and each profile's; not "both files".
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";

for (const command of ["wrap-config", "unwrap-config"]) {
  Deno.test(`thoth ${command} --help names Insiders, VSCodium and profile files for --client vscode`, () =>
    inTempDir(async (dir) => {
      const help = await thoth([command, "--help"], { cwd: dir });
      assert.equal(help.code, 0, help.err);
      const text = help.out.replace(/\s+/g, " ");
      const start = text.indexOf("--client vscode without INPUT");
      assert.ok(start >= 0, help.out);
      const paragraph = text.slice(start, start + 700);
      assert.match(
        paragraph,
        /VS Code Insiders and VSCodium, and of each profile \(User\/profiles\/\*\/\)/,
      );
      assert.doesNotMatch(paragraph, /\bboth files\b|\bBoth are\b/);
    }));
}

Deno.test("thoth unwrap-config --client vscode restores an Insiders file and a profile's, as its help says", () =>
  inTempDir(async (dir) => {
    const governed = JSON.stringify({
      servers: {
        a: { command: THOTH, args: ["run", "--agent-id", "a", "--", "/usr/bin/mcp-clock"] },
      },
    });
    const files = [
      `${dir}/home/.config/Code/User/mcp.json`,
      `${dir}/home/.config/Code - Insiders/User/mcp.json`,
      `${dir}/home/.config/Code/User/profiles/-6f2a9c1/mcp.json`,
    ];
    for (const file of files) {
      await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(file, governed);
    }
    const run = await thoth(["unwrap-config", "--client", "vscode"], { cwd: dir });
    assert.equal(run.code, 0, run.out + run.err);
    for (const file of files) {
      assert.doesNotMatch(await Deno.readTextFile(file), /thoth/, file);
    }
  }));
