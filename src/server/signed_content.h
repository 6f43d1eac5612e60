// What the server signs (src/core/signed_file.h): feed pages and snapshots as signed
// files, with the server's key and its rotation chain (signing_keys.h).
#pragma once
#include <string>

#include "core/change_feed.h"
#include "core/device_snapshot.h"
#include "signing_keys.h"

namespace handbook {

// A feed page signed at `made_at`: statement kind "feed", its server and positions.
std::string seal_feed_page(const ServerKeys& keys, const FeedPage& page, const std::string& made_at);

// A snapshot signed at `made_at`: statement kind "snapshot", its server and position.
std::string seal_snapshot(const ServerKeys& keys, const DeviceSnapshot& snapshot, const std::string& made_at);

}  // namespace handbook
