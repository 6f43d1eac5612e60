// See editor.h.
#include "editor.h"

#include <imgui.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "app_actions.h"
#include "app_state.h"
#include "server_answer.h"
#include "core/article_store.h"
#include "core/local_drafts.h"
#include "core/text_diff.h"

namespace handbook::ui {

namespace {

constexpr double kSaveAfterSeconds = 1.0;   // typing is kept on the device this soon
constexpr double kRetryAfterSeconds = 15.0; // a draft the network or server did not take

void fill_editor(EditorState& e, const Article& a) {
    copy_to_field(e.title, a.title);
    copy_to_field(e.slug, a.slug);
    copy_to_field(e.category, a.category);
    copy_to_field(e.owner, a.owner);
    copy_to_field(e.effective, a.effective);
    copy_to_field(e.review_by, a.review_by);
    e.tags = a.tags;
    e.body = a.body;
    e.tag_input = {};
}

void start_editor(AppState& state) {
    state.editor = EditorState{};
    state.editor.open = true;
    state.screen = Screen::edit;
    state.scroll = {};
}

void load_local(EditorState& e, const LocalDraft& d) {
    fill_editor(e, d.content);
    e.last_seen = {e.body, 0, 0};
    e.client_id = d.client_id;
    e.base_version = d.base_version;
    e.start_slug = d.base_version > 0 ? d.content.slug : std::string{};
    e.server_id = d.server_id;
    e.server_state = d.state;
    e.note = d.note;
    e.edits_saved = d.edits;
    e.slug_typed = d.base_version > 0 || !d.content.slug.empty();
    copy_to_field(e.summary, d.summary);
}

std::string new_client_id(const UiPlatform& platform) {
    if (platform.new_id) return platform.new_id();
    static int counter = 0;
    return "draft-" + std::to_string(++counter);
}

std::string now_utc(const UiPlatform& platform) { return platform.now_utc ? platform.now_utc() : std::string("1970-01-01T00:00:00Z"); }

// Sends one draft: creates it on the server (POST, idempotent by client_id) or saves its
// newest text (PUT with the revision it started from). `done(ok)` after the answer.
// While an earlier send of the same draft is on its way (a save a second after typing),
// a `done` waits for its answer and the draft is then sent again from the device: its
// revision is the one that answer gave, and its text the newest. Sending it alongside
// would meet the server with a stale revision, and refusing would ask the person to
// press Submit again for a reason they cannot see.
void send_draft(AppState& state, Database* device, const UiPlatform& platform, const LocalDraft& d,
                SendDone done) {
    DraftSending& s = state.draft_sending;
    if (s.in_flight.count(d.client_id)) {
        if (!done) return;  // the background look sends the newest text after the answer
        if (auto earlier = s.after_flight.find(d.client_id); earlier != s.after_flight.end())
            earlier->second(false, "sent again meanwhile");
        s.after_flight[d.client_id] = std::move(done);
        return;
    }
    nlohmann::json body = nlohmann::json::parse(article_fields_json(d.content));
    std::string method = "POST", path = "api/drafts";
    if (d.server_id == 0) {
        body["base_version"] = d.base_version;
        body["client_id"] = d.client_id;
    } else {
        method = "PUT";
        path = "api/drafts/" + std::to_string(d.server_id);
        body["revision"] = d.server_revision;
        body["base_version"] = d.base_version;  // newer than the server's after a merge
    }
    s.in_flight.insert(d.client_id);
    const std::string id = d.client_id;
    const int64_t edits = d.edits;
    // (the device's store, not the Library: the library is replaced when a download is
    // installed, and the answer comes later)
    platform.api(method, path, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                 [&state, device, &platform, id, edits, done](int status, const std::string& answer) {
                     DraftSending& sending = state.draft_sending;
                     sending.in_flight.erase(id);
                     sending.look = true;  // newer text may have been kept meanwhile
                     bool ok = false;
                     std::string why;
                     if (status == 200 || status == 201) {
                         const auto j = nlohmann::json::parse(answer, nullptr, false);
                         if (j.is_object() && j.contains("id") && j["id"].is_number_integer()) {
                             const std::string st = j.value("state", std::string("draft"));
                             if (device) {
                                 (void)record_draft_sent(*device, id, edits, j["id"].get<int64_t>(), j.value("revision", 1), st);
                                 if (platform.persist) platform.persist();
                             }
                             if (state.editor.open && state.editor.client_id == id) {
                                 state.editor.server_id = j["id"].get<int64_t>();
                                 state.editor.server_state = st;
                                 // A refusal's reason is answered by this save; an approver's
                                 // comment stays with a returned draft until it is submitted.
                                 if (st != "returned") state.editor.note.clear();
                                 state.editor.saved_note = "Saved on this device and on the server";
                             }
                             ok = true;
                         }
                     }
                     if (!ok) {
                         why = server_said(status, answer);
                         if (status == 0 || status == 401 || status == 429 || status >= 500) {
                             // The network or the session: later, whether or not anyone touches the screen.
                             sending.retry_at = ImGui::GetTime() + kRetryAfterSeconds;
                         } else {
                             // Refused as it is (invalid, a conflict): kept on the device with why; not
                             // sent again until it changes.
                             sending.refused_at[id] = edits;
                             if (device) (void)record_draft_state(*device, id, "draft", why);
                             if (state.editor.open && state.editor.client_id == id) state.editor.note = why;
                         }
                         if (state.editor.open && state.editor.client_id == id)
                             state.editor.saved_note = status == 0 ? "Saved on this device (offline: it goes to the server when the network is back)"
                                                                   : "Saved on this device";
                     }
                     if (done) done(ok, why);
                     auto waiting = sending.after_flight.find(id);
                     if (waiting == sending.after_flight.end()) return;
                     SendDone then = std::move(waiting->second);
                     sending.after_flight.erase(waiting);
                     auto newest = device ? local_draft(*device, id) : Result<std::optional<LocalDraft>>(std::optional<LocalDraft>{});
                     if (!newest || !newest->has_value()) return then(false, "the draft could not be read back from this device");
                     send_draft(state, device, platform, **newest, std::move(then));
                 });
}

}  // namespace

Article editor_article(const EditorState& e) {
    Article a;
    a.title = e.title.data();
    a.slug = e.slug.data();
    a.category = e.category.data();
    a.tags = e.tags;
    a.owner = e.owner.data();
    a.effective = e.effective.data();
    a.review_by = e.review_by.data();
    a.body = e.body;
    a.status = "published";
    return a;
}

void check_editor(EditorState& e) {
    e.problems.clear();
    for (const FieldProblem& p : validate_article(editor_article(e)))
        if (!e.problems.count(p.field)) e.problems[p.field] = p.message;
}

namespace {
constexpr double kUndoStepSeconds = 1.0;  // typing closer together than this undoes together
constexpr size_t kMaxUndoSteps = 200;
}  // namespace

void note_body_change(EditorState& e, double now, bool new_step) {
    if (e.replaying) {
        e.replaying = false;
    } else if (new_step || now - e.last_step_at > kUndoStepSeconds || e.undo.empty()) {
        e.undo.push_back(e.last_seen);
        if (e.undo.size() > kMaxUndoSteps) e.undo.erase(e.undo.begin());
        e.redo.clear();
        e.last_step_at = now;
    } else {
        e.redo.clear();
    }
    e.last_seen = {e.body, e.select_begin, e.select_end};
}

bool undo_body(EditorState& e) {
    if (e.undo.empty()) return false;
    e.redo.push_back({e.body, e.select_begin, e.select_end});
    e.pending_edit = e.undo.back();
    e.undo.pop_back();
    e.replaying = true;
    e.last_step_at = -10;  // the next typing starts a step of its own
    return true;
}

bool redo_body(EditorState& e) {
    if (e.redo.empty()) return false;
    e.undo.push_back({e.body, e.select_begin, e.select_end});
    e.pending_edit = e.redo.back();
    e.redo.pop_back();
    e.replaying = true;
    e.last_step_at = -10;
    return true;
}

void note_editor_change(EditorState& e, double now) {
    if (!e.changed) e.changed_at = now;
    e.typed_at = now;
    e.changed = true;
    e.touched = true;
    check_editor(e);
}

void open_editor(AppState& state, Library& library, const std::string& slug) {
    start_editor(state);
    EditorState& e = state.editor;
    if (!slug.empty() && library.device) {
        auto mine = local_draft_of(*library.device, state.account.name, slug);
        if (mine && mine->has_value()) {
            load_local(e, **mine);
            check_editor(e);
            e.saved_note = "Your draft, kept on this device";
            return;
        }
    }
    if (!slug.empty()) {
        auto found = get_article(library.db, slug);
        if (found && found->has_value()) {
            fill_editor(e, (*found)->article);
            e.last_seen = {e.body, 0, 0};
            e.start_slug = slug;
            e.base_version = (*found)->version;
            e.slug_typed = true;
        } else {
            e.save_error = "There is no policy \"" + slug + "\" on this device to edit; this is a new one.";
            copy_to_field(e.slug, slug);
            e.slug_typed = true;
        }
    }
    check_editor(e);
}

void open_local_draft(AppState& state, Library& library, const std::string& client_id) {
    start_editor(state);
    if (!library.device) return;
    auto d = local_draft(*library.device, client_id);
    if (d && d->has_value()) load_local(state.editor, **d);
    else state.editor.save_error = "That draft is not on this device (it may have been published or discarded).";
    check_editor(state.editor);
}

void save_editor_now(AppState& state, Library& library, const UiPlatform& platform, double now) {
    EditorState& e = state.editor;
    if (!e.open || !e.changed) return;
    if (!library.device) {
        e.save_error = "This device cannot keep drafts (its storage did not open): copy your text before leaving.";
        return;
    }
    if (e.client_id.empty()) e.client_id = new_client_id(platform);
    LocalDraft d;
    d.client_id = e.client_id;
    d.person = state.account.name;
    d.base_version = e.base_version;
    d.content = editor_article(e);
    if (Status st = save_local_draft(*library.device, d, now_utc(platform)); !st) {
        e.save_error = "Your draft could not be kept on this device: " + st.error + ". Copy your text before leaving.";
        return;
    }
    if (platform.persist) platform.persist();
    state.draft_sending.look = true;
    state.animating = true;  // the next frame sends it (this one has looked already)
    e.save_error.clear();
    e.edits_saved = d.edits;
    e.changed = false;
    e.saved_note = "Saved on this device";
    (void)now;
}

void save_editor_when_due(AppState& state, Library& library, const UiPlatform& platform, double now) {
    EditorState& e = state.editor;
    if (!e.open || !e.changed) return;
    if (now - e.changed_at >= kSaveAfterSeconds) save_editor_now(state, library, platform, now);
    else state.animating = true;  // a frame comes back to save it
}

void send_unsent_drafts(AppState& state, Library& library, const UiPlatform& platform, double now) {
    if (!library.device || !platform.api || !state.account.signed_in || state.account.role == "staff") return;
    DraftSending& s = state.draft_sending;
    if (!s.look) return;
    // A frame is asked for when the look is due: an idle page draws none by itself, and the
    // newest text would wait on the device for the next touch.
    auto wake = [&](double at) {
        if (state.wake_at <= now || at < state.wake_at) state.wake_at = at;
    };
    if (now < s.retry_at) return wake(s.retry_at + 0.05);
    if (now < s.next_look) return wake(s.next_look + 0.05);
    s.next_look = now + 0.5;
    s.look = false;
    auto mine = local_drafts(*library.device, state.account.name);
    if (!mine) return;
    for (const LocalDraft& d : *mine) {
        if (!d.unsent() || s.in_flight.count(d.client_id)) continue;
        if (d.state == "in_review" || d.state == "published" || d.state == "discarded") continue;
        if (auto it = s.refused_at.find(d.client_id); it != s.refused_at.end() && it->second == d.edits) continue;
        if (!is_valid_slug(d.content.slug)) continue;  // the server knows a draft by its article's slug
        if (!draft_problems(d.content).empty()) continue;  // half-typed (a date): sent once it is whole
        send_draft(state, library.device, platform, d, nullptr);
    }
}

void take_server_word(AppState& state, Database* device, const std::string& client_id, const std::string& server_state,
                      const std::string& review_comment) {
    if (client_id.empty() || server_state.empty()) return;
    EditorState& e = state.editor;
    const bool open = e.open && e.client_id == client_id;
    std::string note;
    if (server_state == "returned") note = review_comment;
    else if (server_state == "draft" && open) note = e.note;  // a refusal's reason stays until the next send
    if (device) (void)record_draft_state(*device, client_id, server_state, note);
    if (!open) return;
    if (e.server_state != server_state) state.draft_sending.look = true;  // returned: its newer text goes up
    e.server_state = server_state;
    e.note = note;
}

void ask_where_draft_stands(AppState& state, Library& library, const UiPlatform& platform) {
    EditorState& e = state.editor;
    if (e.server_word_asked || e.server_id <= 0 || !platform.api || !state.account.signed_in) return;
    e.server_word_asked = true;
    Database* device = library.device;
    const std::string client_id = e.client_id;
    platform.api("GET", "api/drafts/" + std::to_string(e.server_id), "",
                 [&state, device, client_id](int status, const std::string& body) {
                     if (status != 200) return;  // offline, or not the server's any more: the device's word stands
                     const std::optional<ServerDraft> sd = read_server_draft(body);
                     if (!sd || (!sd->client_id.empty() && sd->client_id != client_id)) return;
                     take_server_word(state, device, client_id, sd->state, sd->review_comment);
                 });
}

bool editor_has_conflict(const EditorState& e) { return e.base_version > 0 && e.live_version > e.base_version; }

void check_live_version(AppState& state, Library& library) {
    EditorState& e = state.editor;
    if (!e.live_unknown || e.start_slug.empty() || e.base_version == 0) return;
    e.live_unknown = false;
    auto live = newest_version(library.db, e.start_slug);
    if (live) e.live_version = *live;
}

void load_their_change(AppState& state, Library& library, const UiPlatform& platform) {
    EditorState& e = state.editor;
    if (!editor_has_conflict(e) || e.their_change_for == e.live_version || e.their_change_loading) return;
    e.their_change_for = e.live_version;
    e.their_change_error.clear();
    e.their_change = {};
    e.their_change_note = "Version " + std::to_string(e.live_version);
    // The device keeps the versions it received: the diff is made here, offline too.
    auto before = article_version(library.db, e.start_slug, e.base_version);
    auto after = article_version(library.db, e.start_slug, e.live_version);
    if (after && after->has_value()) {
        const ArticleVersion& v = **after;
        if (!v.author.empty()) e.their_change_note += ", by " + v.author;
        if (!v.change_note.empty()) e.their_change_note += ": " + v.change_note;
    }
    if (before && after && before->has_value() && after->has_value()) {
        e.their_change = diff_view_of(diff_articles((*before)->article, (*after)->article));
        return;
    }
    if (!platform.api) {
        e.their_change_error = "This device does not hold version " + std::to_string(e.base_version) + " to compare with.";
        return;
    }
    e.their_change_loading = true;
    const std::string slug = e.start_slug, client_id = e.client_id;
    const int from = e.base_version, to = e.live_version;
    platform.api("GET", "api/articles/" + slug + "/diff?from=" + std::to_string(from) + "&to=" + std::to_string(to), "",
                 [&state, client_id, to](int status, const std::string& body) {
                     EditorState& ed = state.editor;
                     if (ed.client_id != client_id || ed.their_change_for != to) return;
                     ed.their_change_loading = false;
                     if (status != 200 || !read_diff(body, &ed.their_change)) {
                         ed.their_change_error = "Their change cannot be shown: " + server_said(status, body) + ".";
                         ed.their_change_for = 0;  // asked again when the screen is next drawn
                     }
                 });
}

void mark_merged(EditorState& e, double now) {
    if (!editor_has_conflict(e)) return;
    e.base_version = e.live_version;
    e.their_change_tab = false;
    e.their_change = {};
    e.their_change_for = 0;
    note_editor_change(e, now);
}

void submit_editor(AppState& state, Library& library, const UiPlatform& platform) {
    EditorState& e = state.editor;
    e.show_all_problems = true;
    check_editor(e);
    if (!e.problems.empty()) {
        e.submit_message = "Fix what is marked before submitting: " + e.problems.begin()->first + ": " + e.problems.begin()->second + ".";
        return;
    }
    if (editor_has_conflict(e)) {
        e.submit_message = "Version " + std::to_string(e.live_version) + " came out while you wrote: bring its change into your text first.";
        return;
    }
    const std::string summary = e.summary.data();
    if (summary.find_first_not_of(" \t\n") == std::string::npos) {
        e.submit_message = "Say what changed and why: staff read it in \"What's new\".";
        return;
    }
    if (!platform.api || !state.account.signed_in) {
        e.submit_message = "Sign in to submit for review.";
        return;
    }
    e.changed = true;  // always saved once more, so the server gets exactly what is on screen
    save_editor_now(state, library, platform, ImGui::GetTime());
    if (!library.device || !e.save_error.empty()) {
        e.submit_message = e.save_error.empty() ? "This device cannot keep drafts." : e.save_error;
        return;
    }
    auto d = local_draft(*library.device, e.client_id);
    if (!d || !d->has_value()) {
        e.submit_message = "The draft could not be read back from this device.";
        return;
    }
    e.submitting = true;
    e.submit_message.clear();
    const std::string id = e.client_id;
    const bool ack = e.must_acknowledge;
    Database* device = library.device;
    send_draft(state, library.device, platform, **d, [&state, device, &platform, id, summary, ack](bool ok, const std::string& why) {
        EditorState& ed = state.editor;
        if (!ok) {
            ed.submitting = false;
            ed.submit_message = "Not submitted: " + why + ". Your draft is kept on this device.";
            return;
        }
        auto sent = device ? local_draft(*device, id) : Result<std::optional<LocalDraft>>(std::optional<LocalDraft>{});
        if (!sent || !sent->has_value() || (*sent)->server_id == 0) {
            ed.submitting = false;
            ed.submit_message = "Not submitted: the server's draft is unknown here.";
            return;
        }
        const nlohmann::json body = {{"summary", summary}, {"must_acknowledge", ack}};
        platform.api("POST", "api/drafts/" + std::to_string((*sent)->server_id) + "/submit", body.dump(),
                     [&state, device, &platform, id, summary](int status, const std::string& answer) {
                         EditorState& edn = state.editor;
                         edn.submitting = false;
                         if (status != 200) {
                             edn.submit_message = "Not submitted: " + server_said(status, answer) + ". Your draft is kept on this device.";
                             return;
                         }
                         if (device) {
                             (void)record_draft_state(*device, id, "in_review", "", summary);
                             if (platform.persist) platform.persist();
                         }
                         edn.submit_dialog = false;
                         edn.touched = false;
                         state.toast = "Sent for review";
                         state.toast_until = ImGui::GetTime() + 2.5;
                         open_drafts_list(state, device, platform);
                     });
    });
}

bool may_leave_editor(AppState& state, const Route& to) {
    EditorState& e = state.editor;
    if (!e.open || !e.touched) return true;
    if (e.leave_dialog) return false;
    e.leave_dialog = true;
    e.leave_to = to;
    return false;
}

void leave_editor(AppState& state, Library& library, const UiPlatform& platform, bool discard) {
    EditorState& e = state.editor;
    const Route to = e.leave_to;
    if (discard) {
        // The changes typed since the last version the server has (or all, for a draft
        // only here) are dropped: the device keeps what was sent, or nothing.
        // The draft goes from this device (a copy already sent stays in the person's
        // drafts on the server).
        if (library.device && !e.client_id.empty()) {
            (void)remove_local_draft(*library.device, e.client_id);
            if (platform.persist) platform.persist();
        }
        e.changed = false;
    } else {
        save_editor_now(state, library, platform, ImGui::GetTime());
    }
    e.leave_dialog = false;
    e.touched = false;
    e.open = false;
    navigate(state, library, to, platform);
}

}  // namespace handbook::ui
