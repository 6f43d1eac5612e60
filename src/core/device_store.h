// What only this device holds, in a file of its own beside the replica (the library it
// downloads from the server): the outbox of what people did here and the server has not
// yet answered (drafts saved offline, acknowledgements, searches that found nothing), with
// the server's answer for each. The replica is a copy that may be deleted and downloaded
// again at any time (a damaged file, a replaced server database, a snapshot install);
// this file is never touched by any of that (the browser keeps it at /data/device.db).
//
// An outbox entry has an id made on the device, so sending it twice is harmless: the
// server answers the same for the same id. Nothing leaves the outbox until the server
// has said what became of it.
#pragma once
#include <memory>
#include <string>

#include "database.h"

namespace handbook {

// Opens (creating) the device's own store and brings its schema up to date.
Result<std::unique_ptr<Database>> open_device_store(const std::string& path);

}  // namespace handbook
