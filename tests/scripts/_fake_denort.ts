/**
 * A stand-in runtime base for release build tests: a small C program for this
 * host that carries a denort's marks (which the build accepts, as
 * `runtime_base.ts` documents: marks prove nothing) and answers `--version`
 * with the line the build checks for, naming the binary it was compiled into
 * (`thoth-linux-x86_64` → `thoth`, `thothctl-…` → `thothctl`). `deno compile`
 * takes it as a base, so the build compiles, runs and lists real files without
 * downloading Deno's denort. Needs a C compiler; {@linkcode findCc} says
 * whether there is one (none on Windows).
 *
 * @example
 * ```ts
 * const cc = await findCc();
 * if (cc !== undefined) {
 *   const base = await fakeDenort(cc, dir, `${VERSION} (${Deno.build.target}; commit ${commit})`);
 * }
 * ```
 */
import assert from "node:assert/strict";
import { sha256Hex } from "../../src/release/sha256.ts";

/** The first C compiler on PATH (`cc`, `gcc`, `clang`), or undefined. */
export async function findCc(): Promise<string | undefined> {
  if (Deno.build.os === "windows") return undefined;
  for (const name of ["cc", "gcc", "clang"]) {
    try {
      const out = await new Deno.Command(name, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (out.code === 0) return name;
    } catch {
      // Not on PATH.
    }
  }
  return undefined;
}

/**
 * Compiles the stand-in into `dir/fake-denort`: for `--version` it prints
 * `<name> <rest>`, where `<name>` is its file name up to the first `-`.
 */
export async function fakeDenort(
  cc: string,
  dir: string,
  rest: string,
): Promise<{ path: string; sha256: string }> {
  const source = `${dir}/fake-denort.c`;
  const path = `${dir}/fake-denort`;
  await Deno.writeTextFile(
    source,
    `#include <stdio.h>
#include <string.h>
__attribute__((used)) static const char marks[] = "Deno.build.standalone Deno/${Deno.version.deno} ";
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    const char *name = strrchr(argv[0], '/');
    name = name == NULL ? argv[0] : name + 1;
    printf("%.*s %s\\n", (int)strcspn(name, "-"), name, ${JSON.stringify(rest)});
  }
  return 0;
}
`,
  );
  const out = await new Deno.Command(cc, {
    args: ["-o", path, source],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return { path, sha256: await sha256Hex(await Deno.readFile(path)) };
}
