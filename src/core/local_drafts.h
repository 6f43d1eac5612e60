// Drafts as the device keeps them (in its own store, device_store.h): what a policy owner
// typed, saved within seconds of typing, whether or not the server can be reached. A
// draft's row is its own outbox entry: the newest text wins (sending every keystroke's
// version would be pointless), and `edits` / `sent_edits` say whether the server has the
// newest. The server knows the draft by `client_id` (made here), so creating it twice
// (a request whose answer was lost) returns the same draft there.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "article.h"
#include "database.h"

namespace handbook {

struct LocalDraft {
    std::string client_id;     // made on the device (random); the server's client_id
    std::string person;        // whose draft (user name)
    int base_version = 0;      // the live version it started from (0: a new article)
    Article content;           // the fields and body as typed
    int64_t edits = 0;         // local saves so far
    int64_t sent_edits = 0;    // the save the server has (edits > sent_edits: not sent yet)
    int64_t server_id = 0;     // the server's draft id (0: not created there yet)
    int server_revision = 0;   // the server's revision (a save names the one it started from)
    std::string state = "draft";  // the server's word: draft | in_review | returned | published | discarded
    std::string note;          // a reviewer's comment, or why the server refused it
    std::string summary;       // "what changed and why", once submitted
    std::string updated_at;    // the device's clock, UTC, at the last local save

    bool unsent() const { return edits > sent_edits; }
};

// Keeps the draft's content (creating the row): `edits` goes up by one, the state goes back
// to "draft" unless it is in review; base_version only moves forward (the author merged a
// newer live version). Fills draft.edits and updated_at.
Status save_local_draft(Database& device, LocalDraft& draft, const std::string& now_utc);

// `person`'s drafts, newest first ("" = everyone's). A row whose content cannot be read
// (a damaged store) is left out, not the whole list, so the other drafts are still listed
// and still sent; its id and why go to `unreadable` when given.
Result<std::vector<LocalDraft>> local_drafts(Database& device, const std::string& person,
                                             std::vector<std::string>* unreadable = nullptr);
Result<std::optional<LocalDraft>> local_draft(Database& device, const std::string& client_id);
// The open draft `person` has of `slug` on this device, if any (so Edit continues it).
Result<std::optional<LocalDraft>> local_draft_of(Database& device, const std::string& person, const std::string& slug);

// The server took save number `sent_edits` as its draft `server_id` at `revision`.
Status record_draft_sent(Database& device, const std::string& client_id, int64_t sent_edits, int64_t server_id,
                         int revision, const std::string& state);
// The server's word on the draft: its state and a note (a reviewer's comment, a refusal).
Status record_draft_state(Database& device, const std::string& client_id, const std::string& state,
                          const std::string& note, const std::string& summary = {});
Status remove_local_draft(Database& device, const std::string& client_id);

// The draft's content as JSON for the server's draft routes (api.h), and back.
std::string article_fields_json(const Article& article);
Result<Article> article_from_fields_json(const std::string& json);

}  // namespace handbook
