// See signed_content.h.
#include "signed_content.h"

namespace handbook {

std::string seal_feed_page(const ServerKeys& keys, const FeedPage& page, const std::string& made_at) {
    SignedStatement statement;
    statement.kind = "feed";
    statement.server = page.server;
    statement.after = page.after;
    statement.latest = page.latest;
    statement.head = page.head;
    statement.made_at = made_at;
    return seal(keys.key, statement, page.json, keys.chain);
}

std::string seal_snapshot(const ServerKeys& keys, const DeviceSnapshot& snapshot, const std::string& made_at) {
    SignedStatement statement;
    statement.kind = "snapshot";
    statement.server = snapshot.server;
    statement.latest = snapshot.position;
    statement.head = snapshot.position;
    statement.made_at = made_at;
    return seal(keys.key, statement, snapshot.bytes, keys.chain);
}

}  // namespace handbook
