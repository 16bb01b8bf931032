import assert from "node:assert/strict";
import {
  formatProjectConfigsNotWrapped,
  projectConfigsNotWrapped,
} from "../../src/config/project_configs_not_wrapped.ts";
import { projectConfigPlaces } from "../../src/config/project_config_places.ts";

const THOTH = "/opt/thoth/bin/thoth";

async function write(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, typeof value === "string" ? value : JSON.stringify(value));
}

Deno.test("projectConfigPlaces() lists each listed folder's config of one client, or of all", () => {
  const text = JSON.stringify({ projects: { "/w/web": {}, "relative": {}, "/w/api/": {} } });
  assert.deepEqual(projectConfigPlaces(text, "linux", "claude-code"), {
    places: [
      { client: "claude-code", folder: "/w/web", path: "/w/web/.mcp.json" },
      { client: "claude-code", folder: "/w/api/", path: "/w/api/.mcp.json" },
    ],
  });
  assert.deepEqual(
    projectConfigPlaces(text, "linux").places.map((place) => place.path).slice(0, 3),
    ["/w/web/.mcp.json", "/w/web/.cursor/mcp.json", "/w/web/.vscode/mcp.json"],
  );
  assert.deepEqual(projectConfigPlaces("{ not json", "linux"), { places: [] });
});

Deno.test("projectConfigsNotWrapped() names each project config with a server that runs without thoth, and the command for it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "thoth-project-" });
  try {
    const web = `${dir}/proj/web`;
    const done = `${dir}/proj/done`;
    const broken = `${dir}/proj/broken`;
    await write(`${dir}/home/.claude.json`, {
      mcpServers: {},
      projects: { [web]: {}, [done]: {}, [broken]: {}, [`${dir}/proj/gone`]: {} },
    });
    await write(`${web}/.mcp.json`, {
      mcpServers: { "shared-fs": { command: "npx" }, remote: { url: "https://x.example/mcp" } },
    });
    await write(`${done}/.mcp.json`, {
      mcpServers: { clock: { command: THOTH, args: ["run", "--", "/usr/bin/mcp-clock"] } },
    });
    await write(`${broken}/.mcp.json`, "{ not json");
    const left = await projectConfigsNotWrapped({
      client: "claude-code",
      os: "linux",
      env: { HOME: `${dir}/home` },
      isFile: (path) => path === THOTH,
      thothCommand: [THOTH],
    });
    assert.deepEqual(left.map((config) => [config.path, config.ungoverned]), [
      [`${web}/.mcp.json`, ["shared-fs"]],
      [`${broken}/.mcp.json`, []],
    ]);
    assert.match(left[1]!.problem!, /invalid JSON/);
    const text = formatProjectConfigsNotWrapped(
      left,
      (path) => `thoth wrap-config --client claude-code --tenant-id acme ${path}`,
    );
    assert.equal(
      text.split("\n").slice(0, 2).join("\n"),
      `thoth: note: not wrapped: the project config "${web}/.mcp.json" (a folder ` +
        `"${dir}/home/.claude.json" lists) has 1 stdio server that runs without thoth: ` +
        "shared-fs\n" +
        `thoth: hint: to wrap it, run: thoth wrap-config --client claude-code --tenant-id acme ` +
        `${web}/.mcp.json`,
    );
    assert.match(text, new RegExp(`project config "${broken}/\\.mcp\\.json" .* cannot be read`));
    // Clients that read no project configs, and a home with no ~/.claude.json: nothing.
    assert.deepEqual(
      await projectConfigsNotWrapped({
        client: "claude-desktop",
        os: "linux",
        env: { HOME: `${dir}/home` },
        isFile: () => false,
      }),
      [],
    );
    assert.deepEqual(
      await projectConfigsNotWrapped({
        client: "claude-code",
        os: "linux",
        env: { HOME: `${dir}/nobody` },
        isFile: () => false,
      }),
      [],
    );
    assert.equal(formatProjectConfigsNotWrapped([], (path) => path), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "projectConfigsNotWrapped() names no problem for /proc/self or a file listed as a project folder",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "thoth-project-" });
    try {
      const file = `${dir}/proj/file`;
      await write(file, "not a folder");
      await write(`${dir}/home/.claude.json`, {
        mcpServers: {},
        projects: { "/proc/self": {}, "/proc/1/root": {}, [file]: {} },
      });
      const left = await projectConfigsNotWrapped({
        client: "claude-code",
        os: "linux",
        env: { HOME: `${dir}/home` },
        isFile: () => false,
      });
      // Before: each was "cannot be read", with Deno's advice to run with --allow-all.
      assert.deepEqual(left, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
