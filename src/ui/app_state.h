// Everything the screens show and remember, as plain data. The host (browser or test)
// owns one AppState and one Library and calls draw_app() once per frame.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/article.h"
#include "core/article_store.h"
#include "core/database.h"
#include "core/search.h"
#include "fonts.h"
#include "editor.h"
#include "markdown_document.h"
#include "missed_searches.h"
#include "news.h"
#include "review.h"
#include "route.h"
#include "semantics.h"
#include "text_selection.h"
#include "touch_scroll.h"
#include "ui_platform.h"

namespace handbook::ui {

// The content the screens read: the device's store and its search engine.
struct Library {
    Database& db;
    SearchEngine& engine;
    Database* device = nullptr;  // the device's own store (drafts, outbox); null until it opens
};

struct CountedName {
    std::string name;
    int count = 0;
};

struct HomeData {
    std::vector<StoredArticle> recent;  // newest first
    std::vector<CountedName> categories;
    std::vector<CountedName> tags;
    int article_count = 0;
    std::string last_updated;  // newest updated_at
    std::string error;         // why the policies could not be listed ("" = they were)
};

inline constexpr int kResultLimit = 30;  // hits shown for one query
// Hits whose passage a search reads at once (about a screenful on a tall tablet); the
// others' as their cards come near the view (SearchQuery::passages).
inline constexpr int kPassagesAtOnce = 8;

struct SearchState {
    std::string query;                          // what was searched (the box's text)
    std::array<char, kMaxQueryBytes + 1> box{};  // the box's edit buffer
    std::string category;                       // filter, "" = all
    std::string tag;                            // filter, "" = all
    SearchResults results;
    std::string error;
    int selected = -1;           // keyboard selection in the hits
    bool focus_box = true;       // give the box keyboard focus next frame
    bool scroll_to_selected = false;
    bool box_active = false;     // the box had focus in the last frame
    int focus_frames = 0;        // frames left for the box to take the focus it was given
    std::vector<unsigned> held;  // typed while the box was taking the focus: typed into it then
    int visible_from = 0, visible_to = 0;  // hits on screen in the last frame
};

struct ReaderState {
    std::string slug;
    std::optional<StoredArticle> article;
    MarkdownDocument document;
    std::vector<std::string> terms;  // search words to highlight
    int selected_block = -1;         // the passage "Copy" copies when no text is selected
    TextSelection selection;         // part of the text, dragged over
    std::vector<float> block_top;    // each block's top in the body (content coordinates)
    int jump_to_block = -1;          // a section chosen in the contents: scroll there
    int jump_frames = 0;             // ... for this many frames more
    std::string section;             // the heading of the section at the top of the view
    std::string error;
    bool scroll_to_top = false;
    // Versions of it that come into force later, soonest first (the device holds them):
    // the reader shows the one in force, with a notice and a way to read what is coming.
    std::vector<ArticleVersion> upcoming;
    int reading_upcoming = 0;        // the version to come being read (0: the one in force)
    // A must-read change: what changed since the version the person last acknowledged,
    // marked within the lines (instead of the plain article while `show_changes`).
    bool show_changes = false;
    int changes_from = 0, changes_to = 0;
    DiffView changes;
    // "As in force on <date>": the version the device holds for that day, read instead.
    bool as_of_open = false;
    std::array<char, 11> as_of_input{};
    std::string as_of;                         // the date shown ("" = today's version)
    std::optional<ArticleVersion> as_of_version;
    std::string as_of_message;
    // "Confirm still correct" (editors and approvers): the next review date, and the answer.
    bool confirm_open = false;
    bool confirm_busy = false;
    std::array<char, 11> confirm_date{};
    std::string confirm_message;
};

struct SyncStatus {
    bool offline = false;   // the last feed request failed
    bool syncing = false;   // a feed request is in flight
    bool have_data = false; // the store holds at least one article
    std::string message;    // shown in the status pill's tooltip
    // When the server last confirmed that this device holds everything it published
    // (UTC, ISO 8601 "2026-12-04T16:50:00Z"; empty = never, on this device). Filled by
    // the host's sync; the screens show it ("policies as of ...").
    std::string confirmed_at;
    // Said when this device's clock and the server's disagree ("" = they agree, or unknown).
    std::string clock_note;
    // Non-empty while that confirmation is older than the freshness window
    // (content_trust.h): the date to show as "Policies as of 4 Dec 2026", so staff know
    // the policies may have changed since.
    std::string as_of;
};

// A control on screen, as the test hook lists them: its name and the visible part of it.
struct WidgetRect {
    std::string label;
    float x = 0, y = 0, w = 0, h = 0;  // CSS pixels
};

// The controls (focusable nodes) of `tree` that are on screen, in reading order.
std::vector<WidgetRect> visible_widgets(const SemanticsTree& tree);

// Who is signed in on this device (the server's session cookie says so to the server; this
// is what the app knows of it: from GET /api/session at start and from signing in).
struct Account {
    bool signed_in = false;
    std::string name;
    std::string role;  // staff, editor, approver, admin
    // Known from this device's memory (offline at start), not yet confirmed by the server.
    bool remembered = false;
    std::vector<std::string> categories;  // the categories they look after (empty: all, or not known here)
};

// The sign-in form. The password lives here only while the form is open.
struct SignInForm {
    std::array<char, 72> name{};
    std::array<char, 136> password{};
    bool show_password = false;
    bool busy = false;        // a request is on its way
    std::string message;      // what went wrong, in words a person can act on
    bool focus_name = true;   // the name field takes the keyboard when the form opens
    // Signed in: back to where the person was at the next frame (draw_app). The answer
    // comes later than the frame that sent the request, and the Library on screen may
    // have been replaced meanwhile (a first visit's download by the device's store).
    bool leave = false;
};

// A person signed in offline (against the device's verifier, offline_sign_in.h) has no
// server session, and what they acknowledge is taken only from a session of theirs. So
// the password they typed is held in memory, never stored, until the network is back,
// to open that session then without asking them again; it is wiped once used, at
// sign-out, and when someone else signs in.
struct SessionResume {
    std::string name;
    std::string password;
    bool due = false;   // the network is back: try now
    bool busy = false;  // the sign-in is on its way
};

struct AppState {
    Screen screen = Screen::home;
    Account account;
    bool account_checked = false;   // the server has said who is signed in (GET /api/session)
    std::string today;              // the date by the device's clock (the host sets it), "" = unknown
    SignInForm sign_in;
    Route before_sign_in;           // where signing in (or Cancel) returns to
    SearchState search;
    ReaderState reader;
    EditorState editor;             // the policy editor (editor.h)
    DraftSending draft_sending;     // drafts on their way to the server
    DraftsScreen drafts;            // My drafts, and the list waiting for review
    NewsState news;                 // What's new, and the person's To-read list (news.h)
    OutboxSending outbox;           // acknowledgements on their way to the server
    ReportState report;             // owners' reports of acknowledgements (news.h)
    SessionResume resume;           // an offline sign-in becoming a session (account.h)
    MissedSearchesState missed;     // searches that found nothing: watched here, listed for owners
    ReviewState review;             // one draft under review
    HistoryState history;           // an article's versions
    HomeData home;
    Settings settings;
    bool settings_changed = false;  // fonts need a rebuild (text size)
    bool touch = false;             // the last pointer input was a finger
    bool reduced_motion = false;    // the system asks for less motion: no flick after a drag
    SyncStatus sync;
    Fonts fonts;
    Route shown_route;              // the route the address bar shows
    SemanticsTree semantics;        // what the last frame drew (semantics.h): the twin, the test hook
    uint32_t twin_focus = 0;        // the node the page's keyboard focus is on (a focus ring is drawn)
    float twin_scroll = -1;         // the page scrolled the main area here (find-in-page, Tab); -1: no
    DragScroll scroll;              // finger scrolling of the main area
    bool animating = false;         // wants another frame (flick inertia, toast)
    double wake_at = 0;             // wants a frame at this ImGui time, even if nothing happens (a retry)
    std::string toast;              // short confirmation ("Link copied")
    double toast_until = 0;
    int frames = 0;
    bool popup_was_open = false;    // a popup was open as the frame began (its Escape is its own)
    Screen drawn_screen = Screen::home;  // the screen of the last frame (to reset scrolling)
    float search_scroll = 0;             // where the results list was, for "back to results"
};

}  // namespace handbook::ui
