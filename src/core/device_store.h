// What only this device holds, in a file of its own beside the replica (the library it
// downloads from the server): the outbox of what people did here and the server has not
// yet answered (drafts saved offline, acknowledgements, searches that found nothing), with
// the server's answer for each, and what the device trusts (content_trust.h: the pinned
// signing key, the newest signed time accepted). The replica is a copy that may be deleted and downloaded
// again at any time (a damaged file, a replaced server database, a snapshot install);
// this file is never touched by any of that (the browser keeps it at /data/device.db).
//
// An outbox entry has an id made on the device, so sending it twice is harmless: the
// server answers the same for the same id. Nothing leaves the outbox until the server
// has said what became of it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "database.h"

namespace handbook {

// Opens (creating) the device's own store and brings its schema up to date.
Result<std::unique_ptr<Database>> open_device_store(const std::string& path);

// Small facts the device keeps about itself ("last_account": who was last signed in here,
// so their drafts are theirs again offline); "" when unset.
Status save_device_value(Database& device, const std::string& key, const std::string& value);
Result<std::string> device_value(Database& device, const std::string& key);

inline constexpr size_t kMaxOutboxPayloadBytes = 600 * 1024;  // a draft of the largest article, as JSON

struct OutboxEntry {
    std::string id;          // made on the device (random): the server takes it once
    std::string kind;        // draft | acknowledgement | search_miss
    std::string person;      // who did it ("" = sent without a name)
    std::string payload;     // JSON for the server's endpoint
    std::string created_at;  // the device's clock, UTC
    int attempts = 0;
    std::string state = "pending";  // pending | refused
    std::string answer;      // the server's last word (why refused; the last failure while pending)
};

// Keeps `entry` until the server has answered it (atomic: there, whole, or not at all).
Status add_to_outbox(Database& device, const OutboxEntry& entry);
// Entries in `state`, oldest first (at most `limit`), of `kind` ("" = every kind).
Result<std::vector<OutboxEntry>> outbox_entries(Database& device, const std::string& state, int limit = 100,
                                                const std::string& kind = {});

// What became of a sent entry, from the server's answer (HTTP status, or 0 when the
// network failed), and so what the device does with it.
enum class OutboxOutcome {
    done,       // accepted (or already there): removed from the outbox
    refused,    // the server will not take it as it is (invalid, forbidden, a conflict): kept, with why, for its person
    sign_in,    // the person's session ended: kept; sent after they sign in again
    retry,      // the network, or the server for now (429, 5xx): kept, tried again later
};
OutboxOutcome outbox_outcome(int http_status);

// Records the answer for `id`: removes it (done), marks it refused with `answer`, or
// counts the attempt and keeps `answer` as the last failure.
Status record_outbox_answer(Database& device, const std::string& id, OutboxOutcome outcome, const std::string& answer);

}  // namespace handbook
