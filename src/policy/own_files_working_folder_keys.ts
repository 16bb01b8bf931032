/**
 * The argument names whose value is a working folder a call runs in, for
 * the protections of thoth's own files (`own_files.ts`, its item 4):
 * {@linkcode WORKING_FOLDER_KEYS}, compared without case, `_` and `-`
 * ({@linkcode isWorkingFolderKey}), and the words that make a JSON text a
 * string holds worth parsing for one ({@linkcode MAY_NAME_WORKING_FOLDER}).
 * Pure.
 *
 * @example
 * ```ts
 * isWorkingFolderKey("Working_Dir"); // true
 * isWorkingFolderKey("path"); // false
 * MAY_NAME_WORKING_FOLDER.test('{"cwd": "~"}'); // true
 * ```
 */

/**
 * The argument names whose value is a folder the call runs in, which a
 * relative path in the same call may be resolved against:
 * `{"command": "cat .thoth/keys/x", "cwd": "~"}`. A key is compared without
 * case and without `_` and `-` (`working_dir`, `workingDir`, `work-dir`,
 * `Current_Directory`); its value is a string or an array of strings.
 */
export const WORKING_FOLDER_KEYS: ReadonlySet<string> = new Set([
  "cwd",
  "cwdpath",
  "dir",
  "directory",
  "workdir",
  "workingdir",
  "workingdirectory",
  "workingfolder",
  "currentdir",
  "currentdirectory",
]);

/** `_` and `-`, which a working folder's key is compared without. */
const KEY_JOINERS = /[_-]/g;

/** Whether `key` names a working folder (see {@linkcode WORKING_FOLDER_KEYS}). */
export function isWorkingFolderKey(key: string): boolean {
  // Most keys start otherwise or are longer: no lower-case copy for them.
  if (key.length < 3 || key.length > 40) return false;
  const first = key.charCodeAt(0) | 32;
  if (first !== 99 && first !== 100 && first !== 119 && first !== 127 && first !== 45) {
    return false;
  }
  const plain = key.toLowerCase().replace(KEY_JOINERS, "");
  return WORKING_FOLDER_KEYS.has(plain);
}

/**
 * A JSON text a string may hold that may name a working folder: one of the
 * keys' words in it (`cwd`, `dir`, `work`, `folder`), in any case. Such a
 * string is parsed even when nothing else in it asks for that.
 */
export const MAY_NAME_WORKING_FOLDER = /cwd|dir|work|folder/i;
