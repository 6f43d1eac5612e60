// The device's copy of the content: the SQLite file /data/handbook.db on IDBFS, which
// keeps files in memory and writes them to IndexedDB on sync. Implements: mounting and
// loading (FS.syncfs(true)) before the database is opened, saving after each change
// with at most one sync in flight and one queued (overlapping syncs lose writes), a
// save when the page is hidden (not beforeunload: unreliable on mobile), asking for
// persistent storage, and the settings in localStorage.
// Known limitations: IDBFS rewrites the whole database file on each save (fine at a
// few MB); a save cut short by closing the tab loses that update, which the next
// visit downloads again from the change feed. The store is opened without WAL (no
// shared memory here) and without reading every page first (a quick check of the whole
// file on every start would delay the first result); a damaged page shows as a failed
// read, and a file that is not a database is replaced by a fresh download.
#pragma once
#include <string>

#include "core/schema.h"
#include "ui_platform.h"

namespace handbook::web {

inline constexpr const char* kDatabasePath = "/data/handbook.db";
inline constexpr const char* kDevicePath = "/data/device.db";  // the device's own store (device_store.h)

// How the device's store is opened (see the known limitations above).
inline StoreOptions device_store_options() {
    StoreOptions options;
    options.wal = false;
    options.check = false;
    return options;
}

// Mounts and loads; calls `loaded(ok)` when the file system is ready.
void load_storage(void (*loaded)(bool ok));
void save_storage();
bool storage_saving();

// Tells the page (shell.js, on the next visit) whether this device's store holds the
// library, so a first visit can fetch it with the app: localStorage "handbook.stored".
void note_store_held(bool held);

ui::Settings load_settings();
void save_settings(const ui::Settings& settings);

}  // namespace handbook::web
