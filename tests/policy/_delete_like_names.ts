/**
 * Tool names the default policy's `delete-like` rule must ask about (a whole
 * word of the name deletes, or a lower-case name starts with the word run
 * together with what it deletes, or ends with it after bulk, batch, soft,
 * force, hard, git or mass), and names it must leave alone (the word is only
 * part of another word, or the name mentions deleted things without deleting
 * them). Shared by the pure test and the `thoth policy explain` test.
 */

/** Names that say they delete: STEP_UP by `delete-like`, whatever they declare. */
export const DELETES: readonly string[] = [
  "delete",
  "delete_file",
  "delete-file",
  "delete.file",
  "deleteFile",
  "DeleteFile",
  "DeleteObject",
  "bulkDelete",
  "bulk_delete_rows",
  "files/delete",
  "files.delete",
  "api/v1/files/delete_all",
  "DELETE",
  "HTTP_DELETE",
  "remove",
  "remove_user",
  "removeMember",
  "Remove-Item",
  "REMOVE_TAG",
  "drop",
  "drop_table",
  "dropTable",
  "DropTable",
  "DROP_TABLE",
  "TABLE_DROP",
  "db/drop",
  "destroy_instance",
  "destroyVm",
  "DestroyStack",
  "purge_cache",
  "purgeQueue",
  "PURGE",
  "rm",
  "rm_rf",
  "git_rm",
  "rmFile",
  "gitRm",
  "RM",
];

/**
 * Lower-case names that start with the word run together with what it
 * deletes: STEP_UP by `delete-like` (the pure test only: each name is a
 * process in the `thoth policy explain` test).
 */
export const DELETES_RUN_TOGETHER: readonly string[] = [
  "deletefile",
  "deleteall",
  "deleterole",
  "deletesecret",
  "deletedir",
  "deletedatabase",
  "deletedocument",
  "removeitem",
  "removedevice",
  "purgecache",
  "purgedata",
  "destroyall",
  "destroydisk",
  "destroyresource",
  "destroystack",
  "dropdb",
  "droptable",
  "dropdatabase",
  "dropcollection",
  "dropindex",
  "rmdir",
  "rmtree",
  "rmfile",
  // what follows delete, remove or purge starts with d
  "deletedb",
  "deletedbinstance",
  "deletedbcluster",
  "deletedbsnapshot",
  "deletedashboard",
  "deletedistribution",
  "deletedetector",
  "deletedraft",
  "deletedns",
  "deletedroplet",
  "purgedlq",
  "purgedeadletters",
  "purgedestination",
  "removedns",
  // more of what drop deletes
  "droptopic",
  "dropqueue",
  "dropkeyspace",
  "droprole",
  "dropfunction",
  // the word last, after bulk, batch, soft, force, hard, git or mass
  "bulkdelete",
  "batchdelete",
  "softdelete",
  "forcedelete",
  "harddelete",
  "massdelete",
  "gitrm",
  "s3_bulkdelete",
  "batchremove_items",
  // truncate run together with a table or file
  "truncatetable",
];

/**
 * Names that say they delete with a word the rule took later (prune,
 * terminate, uninstall, erase, wipe, trash, unlink; truncate before a table
 * or file): STEP_UP by `delete-like`, whatever they declare (the pure test
 * only).
 */
export const DELETES_OTHER_WORDS: readonly string[] = [
  "docker_prune",
  "system_prune",
  "container_prune",
  "prune_images",
  "pruneImages",
  "PRUNE",
  "terminate_instances",
  "ec2_terminate_instances",
  "TerminateInstances",
  "helm_uninstall",
  "uninstall_helm_chart",
  "erase_disk",
  "wipe_device",
  "trash_email",
  "move_to_trash",
  "empty_trash",
  "unlink_file",
  "truncate_table",
  "truncate_file",
  "truncateTable",
  "TRUNCATE_TABLE",
  "db/truncate_file",
];

/**
 * Names the rule asks about though they delete nothing: the trade for names
 * run together and for a later word before an object word (an approval away).
 */
export const ASKED_THOUGH_NOT_DELETING: readonly string[] = [
  "removebackground",
  "removestopwords",
  "list_trash_items",
  "prune_images_preview",
  "check_empty_queue",
];

/** Names where the word is part of another word, or names deleted things: no `delete-like`. */
export const DOES_NOT_DELETE: readonly string[] = [
  "dropbox_list_folder",
  "get_dropdown_options",
  "list_deleted_files",
  "search_removed_items",
  "backdrop_image",
  "undelete_file",
  "restore_deleted",
  "getDropdownOptions",
  "listDeletedFiles",
  "Dropbox_upload",
  "DROPBOX_LIST",
  "UNDELETE_FILE",
  "LIST_DELETED",
  "airdrop_status",
  "raindrop/bookmarks",
  "dropout_rate",
  "purger_status",
  "remover_info",
  "firmware_info",
  "norm_text",
  "crm_lookup",
  "CRM_LOOKUP",
  "confirm_order",
  "harmony",
];

/**
 * Lower-case names run together that do not delete: the word with an ending
 * of its own (deleted, remover, deletes), drop and rm before no object a
 * database or file system has. No `delete-like` (the pure test only).
 */
export const DOES_NOT_DELETE_RUN_TOGETHER: readonly string[] = [
  "droplet_list",
  "dropletlist",
  "dropzone_upload",
  "removed_items_list",
  "removeditems",
  "purged_messages",
  "purgedmessages",
  "deleteditems",
  "deleted_at",
  "deletedbuckets",
  "deletedevents",
  "destroyed_resources",
  "destroyer_class",
  "deletes_count",
  "removes",
  "rmi_registry",
  "rmse_score",
  "deletedfiles",
  "deletedmessages",
  "deletedblobs",
  "deletedbackups",
  "softdeleted_items",
  "softdeleteditems",
  "undelete",
  "undeletefile",
  "softdrop",
  "harddrop",
  "massdrop_list",
  "gitrm_dry_run",
];

/**
 * Names that hold a later word only inside another word or with an ending
 * of its own, beside a word that reads (list, get, status, preview, check),
 * or truncate before no table or file or not last: no `delete-like` (the
 * pure test only).
 */
export const DOES_NOT_DELETE_OTHER_WORDS: readonly string[] = [
  "truncate",
  "truncate_text",
  "truncate_string",
  "truncateText",
  "TRUNCATE_OUTPUT",
  "swipe",
  "mobile_swipe_on_screen",
  "swipeLeft",
  "SWIPE_UP",
  "untrash_message",
  "terminated_instances",
  "uninstalled_apps",
  "pruned_count",
  "eraser_size",
  "unlinked_issues",
  // the word before a reading word, or after one: it lists, checks or previews
  "list_trash",
  "gdrive_list_trash",
  "listTrash",
  "getTrash",
  "search_trash",
  "trash_list",
  "get_trash_contents",
  "restore_from_trash",
  "prune_preview",
  "preview_prune",
  "docker_prune_preview",
  "docker_image_prune_dry_run",
  "get_prune_candidates",
  "prune_check",
  "get_wipe_status",
  "getWipeStatus",
  "wipe_status",
  "get_device_wipe_status",
  "list_wipe_requests",
  "getEraseStatus",
  "erase_status",
  "erase_check",
  "get_uninstall_string",
  "list_uninstall_entries",
  "uninstall_preview",
  "get_unlink_status",
  "canUnlink",
  "terminate_check",
  // truncate before a table or file and more: a text tool's name part
  "truncate_file_name",
  "truncateFilename",
  "truncate_file_path",
  "truncate_table_cell",
  "truncateTableText",
];
