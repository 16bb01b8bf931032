/**
 * The tool globs of the default policy's `delete-like` rule, built from its
 * word lists so every case form (snake, camelCase, UPPER) holds the same
 * words. A tool name is read as words: split at `_ - . /` and at a camelCase
 * capital, and a lower-case word that starts with a deleting word is that
 * word run together with what it deletes.
 *
 * - delete, remove, drop, destroy, purge and rm delete as a word of their
 *   own anywhere in the name (`delete_file`, `files/delete`, `bulkDelete`,
 *   `Remove-Item`), and at the start of a lower-case word run together with
 *   what they delete, first in the name or after a separator (`deletefile`,
 *   `s3_deletefile`, `rmdir`, `droptable`; not `deleted_items`, `droplet`,
 *   `remover`), or last after bulk, batch, soft, force, hard, git or mass
 *   (`bulkdelete`, `gitrm`).
 * - prune, terminate, uninstall, erase, wipe, trash and unlink are also
 *   nouns or name read-only tools (`wipe_status`, `prune_preview`), so they
 *   delete as the whole name, before an object word somewhere after them
 *   (`prune_images`, `terminate_ec2_instances`, `wipe_all_devices`,
 *   `gmail_trashmessage`), or last after an object or tool word
 *   (`docker_prune`, `move_to_trash`).
 * - truncate deletes before table or file at the end (`truncate_table`).
 *
 * The trade globs cannot avoid: a glob has no "unless", so a name whose
 * first word reads before one of the later words and an object word
 * (`list_trash_items`) is asked too, and `removebackground` is asked as
 * `remove_background` is. An approval away, never a deletion unasked.
 *
 * @example
 * ```ts
 * const rule = { id: "delete-like", match: { tool: DELETE_LIKE_GLOBS }, decision: "step_up" };
 * ```
 */

/** Words that delete wherever they stand as a word. */
const STRONG = ["delete", "remove", "drop", "destroy", "purge", "rm"];
/** Words that delete before or after an object word (alone, nouns or read-only names too). */
const LATER = ["prune", "terminate", "uninstall", "erase", "wipe", "trash", "unlink"];
/** What a later word deletes: an object word (also plural with s or es). */
const OBJECTS = [
  "image",
  "container",
  "volume",
  "network",
  "system",
  "instance",
  "cluster",
  "node",
  "pod",
  "process",
  "job",
  "session",
  "vm",
  "server",
  "helm",
  "chart",
  "release",
  "package",
  "app",
  "plugin",
  "extension",
  "module",
  "disk",
  "drive",
  "device",
  "data",
  "database",
  "db",
  "bucket",
  "object",
  "blob",
  "file",
  "folder",
  "dir",
  "email",
  "mail",
  "message",
  "thread",
  "conversation",
  "chat",
  "item",
  "doc",
  "document",
  "page",
  "note",
  "task",
  "event",
  "row",
  "record",
  "history",
  "log",
  "account",
  "user",
  "member",
  "repo",
  "branch",
  "tag",
  "artifact",
  "cache",
  "backup",
  "snapshot",
  "table",
  "index",
  "collection",
  "stack",
  "deployment",
  "namespace",
  "workflow",
  "workspace",
  "project",
  "secret",
  "key",
  "token",
  "connection",
  "backend",
  "query",
  "all",
];
/** Words before a later word at the end that say what it deletes (`docker_prune`, `move_to_trash`). */
const TOOLS = [
  "docker",
  "git",
  "npm",
  "pip",
  "brew",
  "apt",
  "fs",
  "to",
  "empty",
  "force",
  "secure",
  "remote",
  "factory",
];
/** Words before a strong word run together at the end of a lower-case word (`bulkdelete`). */
const BULK = ["bulk", "batch", "soft", "force", "hard", "git", "mass"];

const SEP = "[-_./]";
/** The start of the name or anything up to a separator: the word starts a word. */
const AT_WORD = `{,**${SEP}}`;

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
const list = (words: readonly string[]) => `{${words.join(",")}}`;
/** `[iI]mage`: a word in lower case or capitalized (camelCase). */
const either = (w: string) => `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`;

const objectsEither = list(OBJECTS.map(either));
const objectsUpper = list(OBJECTS.map((w) => w.toUpperCase()));
const beforeLast = [...OBJECTS, ...TOOLS];
/** After an object word: its plural, then the end or another word. */
const OBJECT_END = "{,s,es}{,[-_./A-Z0-9]**}";
/**
 * Between a later word and its object: nothing, a separator, words between
 * separators, or camelCase words (`terminate_ec2_instances`, `pruneOldImages`).
 */
const BETWEEN = `{,${SEP},${SEP}**${SEP},[A-Z0-9]**}`;

/** The `delete-like` rule's tool globs, in the order the default policy writes them. */
export const DELETE_LIKE_GLOBS: readonly string[] = [
  // A strong word as a word of its own.
  `${AT_WORD}${list(STRONG)}{,[-_./A-Z]**}`,
  `**${list(STRONG.map(cap))}{,[-_./A-Z]**}`,
  `${AT_WORD}${list(STRONG.map((w) => w.toUpperCase()))}{,${SEP}**}`,
  // A later word as the whole name.
  list(LATER.flatMap((w) => [w, cap(w), w.toUpperCase()])),
  // A later word before an object word, at once or words later.
  `${AT_WORD}${list(LATER)}${BETWEEN}${objectsEither}${OBJECT_END}`,
  `**${list(LATER.map(cap))}${BETWEEN}${objectsEither}${OBJECT_END}`,
  `${AT_WORD}${list(LATER.map((w) => w.toUpperCase()))}{${SEP},${SEP}**${SEP}}${objectsUpper}` +
  "{,S,ES}{,[-_./0-9]**}",
  // A later word last, after an object or tool word.
  `${AT_WORD}${list(beforeLast)}{,s,es}${SEP}${list(LATER)}`,
  `**${list(beforeLast.map(either))}{,s,es}${list(LATER.map(cap))}`,
  `${AT_WORD}${list(beforeLast.map((w) => w.toUpperCase()))}{,S,ES}${SEP}` +
  list(LATER.map((w) => w.toUpperCase())),
  // A strong word last in a lower-case word, after bulk and the others, alone or before an object.
  `${AT_WORD}${list(BULK)}{delete,remove,destroy,purge,rm}`,
  `${AT_WORD}${list(BULK)}{delete,remove,destroy,purge,rm}{,${SEP}}${objectsEither}${OBJECT_END}`,
  // A strong word run together with what it deletes, at the start of a lower-case word:
  // not with an ending of its own (deleted, remover, deletes, destroyed, droplet).
  `${AT_WORD}{delete,remove,purge}[a-ce-qt-z]**`,
  `${AT_WORD}{delete,remove,destroy,purge}[rs][a-z]**`,
  `${AT_WORD}destroy[a-df-qt-z]**`,
  `${AT_WORD}{delete,remove,purge}d{ata,ir,isk,evice,ocument,omain,eployment,ashboard,` +
  "istribution,etector,raft,ns,roplet,lq,eadletter,estination}**",
  `${AT_WORD}{delete,remove,purge}db{,instance**,cluster**,snapshot**,proxy**,[-_./A-Z]**}`,
  `${AT_WORD}drop{table,db,database,index,collection,schema,view,user,column,topic,queue,` +
  "keyspace,role,function,procedure,trigger}**",
  `${AT_WORD}rm{dir,file,tree,rf}**`,
  // truncate before table or file at the end.
  "**{truncate,Truncate}{,[-_./]}{table,file,Table,File}{,s}",
  "**TRUNCATE[-_./]{TABLE,FILE}{,S}",
];
