/**
 * Groups the suite's test files so that `deno test` loads them in a few
 * isolates instead of one each: on the 2-core development machine a test file
 * of its own cost about 0.3 s before its first test ran (a worker, its
 * isolate, the modules it shares with its neighbours compiled again), which was
 * a quarter of the suite's time. Pure: it takes the file list and the files
 * that asked for an isolate of their own, and returns the groups.
 *
 * @example
 * ```ts
 * import { testGroups } from "./test_groups.ts";
 * testGroups(["cli/a_test.ts", "cli/b_test.ts", "audit/c_test.ts"], new Set(), 40);
 * // [{ name: "audit-1", files: ["audit/c_test.ts"] },
 * //  { name: "cli-1", files: ["cli/a_test.ts", "cli/b_test.ts"] }]
 * ```
 */

/** Test files loaded together, in one isolate, by one group module. */
export interface TestGroup {
  /** Names the group module (`cli-2`); unique among the groups. */
  readonly name: string;
  /** Paths relative to the tests folder, `/`-separated, in order. */
  readonly files: readonly string[];
}

/** The line a test file carries to be loaded in an isolate of its own. */
export const OWN_ISOLATE_MARK = "// thoth-test: own isolate";

/**
 * Whether a test file's text asks for an isolate of its own: a line that
 * starts with {@link OWN_ISOLATE_MARK} (what follows it says why), for a file
 * that changes what the whole isolate sees (a `Deno.*` function replaced at
 * load, say) or counts what its modules do from their first load.
 */
export function wantsOwnIsolate(text: string): boolean {
  return text.split("\n").some((line) => line.trimStart().startsWith(OWN_ISOLATE_MARK));
}

/**
 * Splits `files` (relative to the tests folder) into groups of at most
 * `maxFiles` files of one top folder each (`cli/…`, files at the top are
 * `top`), in sorted order, and gives each file of `ownIsolate` a group of its
 * own. Every file lands in exactly one group; duplicates are dropped.
 */
export function testGroups(
  files: readonly string[],
  ownIsolate: ReadonlySet<string>,
  maxFiles: number,
): TestGroup[] {
  if (!Number.isInteger(maxFiles) || maxFiles < 1) {
    throw new RangeError(`maxFiles must be a whole number above 0, not ${maxFiles}`);
  }
  const byFolder = new Map<string, string[]>();
  const alone: string[] = [];
  for (const file of [...new Set(files)].sort()) {
    if (ownIsolate.has(file)) {
      alone.push(file);
      continue;
    }
    const folder = file.includes("/") ? file.slice(0, file.indexOf("/")) : "top";
    const list = byFolder.get(folder) ?? [];
    list.push(file);
    byFolder.set(folder, list);
  }
  const groups: TestGroup[] = [];
  for (const folder of [...byFolder.keys()].sort()) {
    const list = byFolder.get(folder)!;
    // Even chunks: 41 files at most 40 a group make groups of 20 and 21, not 40 and 1.
    const count = Math.ceil(list.length / maxFiles);
    for (let i = 0; i < count; i++) {
      const from = Math.floor((i * list.length) / count);
      const to = Math.floor(((i + 1) * list.length) / count);
      groups.push({ name: `${folder}-${i + 1}`, files: list.slice(from, to) });
    }
  }
  alone.forEach((file, i) => groups.push({ name: `alone-${i + 1}`, files: [file] }));
  return groups;
}

/** The text of a group module: one bare import of each member, by file URL. */
export function groupModuleText(group: TestGroup, testsDir: URL): string {
  const lines = group.files.map((file) =>
    `import ${JSON.stringify(new URL(file, testsDir).href)};`
  );
  return `// ${group.name}: made by scripts/test.ts for this run\n${lines.join("\n")}\n`;
}
