// What's new and read-and-acknowledge, for the app (issue 19): the versions published
// lately and how many came since this person last looked; the must-read versions they
// have not acknowledged (their "To read" list); acknowledging on the device, offline too
// (the outbox, device_acknowledgements.h), and sending what waits when the server can be
// reached. All of it is worked out from what the device holds: the replica's versions,
// the device's store.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/acknowledgements.h"
#include "core/article.h"
#include "core/whats_new.h"

namespace handbook::ui {

struct AppState;
struct Library;
struct UiPlatform;

struct NewsState {
    std::vector<PublishedChange> recent;  // published lately, newest first
    std::vector<ToRead> to_read;          // the signed-in person's, due first
    std::vector<StoredArticle> due_for_review;  // past their review-by date, longest overdue first (editors and approvers)
    bool all_due_shown = false;           // the whole list, not only the first few
    int64_t seen_seq = 0;                 // the newest change they had seen before (the screen marks what came after)
    int unseen = 0;                       // published since their last look (0 once the screen is open)
    std::string load_error;               // why the lists could not be read from the device
    std::string message;                  // what became of an acknowledgement (shown until the next one)
    std::string message_slug;             // ... of this policy's
    std::string loaded_for = "\x01";      // whose lists these are ("" = nobody signed in; read at the first frame)
    bool stale = false;                   // a server's answer changed the device's store: read again next frame
};

// Owners' report of one must-read version (GET api/reports/acknowledgements): who has
// acknowledged it (when on their device, when it arrived), who has not, who is overdue.
struct AcknowledgementRow {
    std::string user, role, store, acknowledged_at, received_at;
    bool overdue = false;
};
struct AcknowledgementReport {
    std::string slug, title, acknowledge_by, summary;
    int version = 0;
    int acknowledged = 0, pending = 0, overdue = 0;
    std::vector<AcknowledgementRow> rows;  // empty in the list of every version
};
struct ReportState {
    bool loading = false;
    std::string error;
    std::vector<AcknowledgementReport> versions;  // What's new: every must-read version in the person's categories
    AcknowledgementReport shown;                  // #/report/<slug>
};

// Acknowledgements on their way to the server (like DraftSending for drafts).
struct OutboxSending {
    bool look = true;             // something may wait: an acknowledgement made, the network back, a sign-in
    double next_look = 0;
    double retry_at = 0;          // the network or the session failed: not before this
    int in_flight = 0;
    std::string asked_for;        // whose acknowledgements the server was last asked for (once a session)
};

// Owners' reports, from the server: every must-read version in the person's categories
// with its counts (What's new), or one policy's rows (`slug`; the report screen).
void load_acknowledgement_reports(AppState& state, const UiPlatform& platform, const std::string& slug = {});
// Reads one answer of GET api/reports/acknowledgements[?slug=] (false: not one).
bool read_acknowledgement_report(const std::string& json_text, AcknowledgementReport* one, std::vector<AcknowledgementReport>* all);

// Reads the lists again from the device (after a download, a sign-in or out, an acknowledgement).
void load_news(AppState& state, Library& library);
// Opens What's new: what came since the last look is marked, and counts as seen from now.
void open_news(AppState& state, Library& library);
// The number on the top bar: versions since the last look, and what is still to read.
int news_count(const AppState& state);
// The signed-in person's To-read entry for the article open in the reader, if any.
const ToRead* to_read_for_reader(const AppState& state);
// "I have read and understood": kept on the device at once, sent when it can be.
void acknowledge_reading(AppState& state, Library& library, const UiPlatform& platform, const ToRead& item);
// Sends what waits in the outbox: the signed-in person's acknowledgements, and the
// searches that found nothing (nobody's), each once (the server counts an id once); asks
// the server for the person's acknowledgements once a session and after each sync.
// Called every frame; reads the store only when something may have changed.
void send_outbox(AppState& state, Library& library, const UiPlatform& platform, double now);
// A sync with the server has finished: the person's acknowledgements (made on other
// devices too) are asked for again, and what waits here is sent. Personal state does not
// travel in the signed feed, which is the same for every device; it follows each sync.
void sync_reached_server(AppState& state);

}  // namespace handbook::ui
