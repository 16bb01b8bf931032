/**
 * Tool names the default policy's `delete-like` rule must ask about (a whole
 * word of the name deletes, or a lower-case name starts with the word run
 * together with what it deletes), and names it must leave alone (the word is
 * only part of another word, or the name mentions deleted things without
 * deleting them). Shared by the pure test and the `thoth policy explain` test.
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
];
