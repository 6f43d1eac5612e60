// The write side's lists and review, as state and actions (drawn by write_screens.cpp):
// "My drafts" (the drafts on this device and the person's drafts on the server, with
// where each stands), "Waiting for review" and one draft's review (summary, the diff
// against the live version, the preview, Publish or Return with a comment), and an
// article's history (every version; two compared; an old one opened; revert through
// review). Everything here comes from the server's API (src/server/api.h) on request.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/article.h"
#include "core/local_drafts.h"
#include "core/text_diff.h"
#include "markdown_document.h"

namespace handbook::ui {

struct AppState;
struct Library;
struct UiPlatform;

// Drafts on their way to the server (editor.cpp): one request per draft at a time.
// What a send of a draft reports when the server answered (or the network failed).
using SendDone = std::function<void(bool ok, const std::string& why)>;

struct DraftSending {
    std::set<std::string> in_flight;            // client ids
    std::map<std::string, SendDone> after_flight;  // a submit waiting for the send in flight
    std::map<std::string, int64_t> refused_at;  // refused at this local save: not sent again until changed
    double retry_at = 0;                        // the network or the session failed: not before this
    double next_look = 0;
    // Something may wait to be sent: a draft kept, a server's answer, the network back, a
    // sign-in. The store is read only then (not at every frame), twice a second at most.
    bool look = true;
};

// A draft as the server lists it.
struct ServerDraft {
    int64_t id = 0;
    std::string client_id, kind, slug, title, category, author, state, summary, review_comment, reviewer, updated_at;
    int base_version = 0;
    int revert_of = 0;
    bool must_acknowledge = false;
};

// A diff as the server sends it (core/text_diff.h): field changes and body lines, with
// the changed lines' insertions and deletions marked within them.
struct DiffSpanView {
    char kind = ' ';  // ' ' same, '+' inserted, '-' deleted
    std::string text;
};
struct DiffLineView {
    char kind = ' ';  // ' ' same, '+' added, '-' removed, '~' changed (spans)
    int old_number = 0, new_number = 0;
    std::string text;
    std::vector<DiffSpanView> spans;
};
struct FieldChangeView {
    std::string field, before, after;
};
struct DiffView {
    std::vector<FieldChangeView> fields;
    std::vector<DiffLineView> lines;
    int added = 0, removed = 0, changed = 0;
};
// Reads a draft as the server's draft routes give it (api.cpp); nullopt when the text is
// not one.
std::optional<ServerDraft> read_server_draft(const std::string& json_text);
// Reads a diff_json object (api.cpp); false when it is not one.
bool read_diff(const std::string& json_text, DiffView* out);
// The same from a diff made on the device (core/text_diff.h).
DiffView diff_view_of(const VersionDiff& diff);

struct DraftsScreen {
    std::vector<LocalDraft> local;       // on this device
    std::vector<ServerDraft> server;     // the person's own on the server
    std::vector<ServerDraft> waiting;    // waiting for this person's review (approvers)
    bool loading = false;
    bool reviews_only = false;           // #/review: the waiting list alone
    std::string error;                   // the server's list could not be had
    std::string damaged;                 // drafts on this device that could not be read
};

struct ReviewState {
    int64_t id = 0;
    bool loading = false;
    std::string error;
    ServerDraft draft;
    Article content;
    int live_version = 0;                // 0: a new article
    DiffView diff;
    MarkdownDocument preview;
    bool show_preview = false;           // the preview instead of the diff
    std::array<char, 11> effective{};
    bool must_acknowledge = false;
    std::array<char, 11> acknowledge_by{};
    std::array<char, 4001> comment{};
    bool return_dialog = false;
    bool busy = false;
    std::string message;
    // A publish refused because the live version moved on: the other change.
    bool conflict = false;
    DiffView conflict_diff;
};

struct HistoryVersion {
    int version = 0;
    std::string title, status, summary, author, approver, published_at, effective;
    bool must_acknowledge = false;
};

struct HistoryState {
    std::string slug;
    bool loading = false;
    std::string error;
    std::vector<HistoryVersion> versions;  // newest first
    int from = 0, to = 0;                  // the two compared (0: none chosen)
    bool diff_loading = false;
    std::string diff_error;
    DiffView diff;
    int shown_version = 0;                 // an old version opened as it was (0: none)
    std::optional<Article> shown;
    MarkdownDocument shown_document;
    bool revert_dialog = false;
    std::array<char, 1001> revert_summary{};
    std::string message;
};

void open_my_drafts(AppState& state, Library& library, const UiPlatform& platform);
// The same, from an answer that arrives later (the Library may have been replaced by then).
void open_drafts_list(AppState& state, Database* device, const UiPlatform& platform);
void open_review_list(AppState& state, Library& library, const UiPlatform& platform);
void open_review(AppState& state, Library& library, const UiPlatform& platform, int64_t id);
void publish_reviewed(AppState& state, Library& library, const UiPlatform& platform);
void return_reviewed(AppState& state, Library& library, const UiPlatform& platform);
void open_history(AppState& state, Library& library, const UiPlatform& platform, const std::string& slug);
void compare_versions(AppState& state, const UiPlatform& platform, int from, int to);
void show_version(AppState& state, const UiPlatform& platform, int version);
void request_revert(AppState& state, const UiPlatform& platform, int version);

}  // namespace handbook::ui
