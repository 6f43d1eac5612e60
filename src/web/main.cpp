// The browser entry point: owns the WebGL2 context, the ImGui context, the device's
// store and the UI state, and draws frames only when something happened (input, a
// resize, new content, a running animation): no 60 fps loop while idle.
// Start-up: load IDBFS (started first, so IndexedDB works while WebGL and the fonts are
// set up) -> open /data/handbook.db -> draw from the local copy -> fetch the change feed
// after what the device holds -> apply it -> save -> refresh. On a first visit shell.js
// has fetched the library as one database file (api/snapshot) with the app: it is
// searched in memory at once (IndexedDB can take half a second to open), then written
// into /data/handbook.db when IndexedDB has answered with nothing, and the feed is taken
// from its position. Until that library is shown (or a second has passed) no frame is
// drawn: the shell's loading panel stays, and the page's thread goes to the library.
// The start-up's steps are marked on the page's timeline ("handbook: ...", for the
// browser benchmark's trace). When a fetch fails the app keeps working from the local copy and
// shows "Offline"; when the library download fails it starts empty and takes the feed.
// Everything downloaded is signed: it is checked against the key this device pinned on its
// first visit (the page names it; src/core/content_trust.h) before anything is applied,
// and refused otherwise. The content comes from `handbook serve` (api/feed, api/snapshot)
// or, when the page says so, from a static tree (content/latest, then the pages it names;
// src/core/static_tree.h). "Policies as of <date>" is shown when the newest signed
// confirmation is older than the freshness window.
// Fonts: start-up bakes the faces the first screen draws into ImGui's atlas, and the
// others into a second atlas (a texture made here) once that screen is painted.
// Known limitations: WebGL context loss is not handled (the page must be reloaded).
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "account.h"
#include "app.h"
#include "api_fetch.h"
#include "app_actions.h"
#include "browser_input.h"
#include "browser_page.h"
#include "browser_storage.h"
#include "core/change_feed.h"
#include "core/article_store.h"
#include <nlohmann/json.hpp>

#include "core/device_clock.h"
#include "core/content_trust.h"
#include "core/device_snapshot.h"
#include "core/device_store.h"
#include "core/signed_file.h"
#include "core/static_tree.h"
#include "core/schema.h"
#include "core/search.h"
#include "feed_fetch.h"
#include "snapshot_fetch.h"
#include "semantics_mirror.h"
#include "text_agent.h"
#include "theme.h"

namespace {

using namespace handbook;

struct Host {
    ui::AppState state;
    ui::UiPlatform platform;
    std::unique_ptr<Database> db;
    std::unique_ptr<SearchEngine> engine;
    std::unique_ptr<ui::Library> library;
    web::CanvasSize canvas;
    float fonts_ratio = 0;     // the ratio and text size the atlas was baked for
    int fonts_text_size = -1;
    unsigned later_faces = 0;  // faces still to bake after the first screen (ui::LaterFace)
    ImFontAtlas later_atlas;   // ... baked here, with a texture of its own
    GLuint later_texture = 0;
    bool theme_dark = false, theme_touch = false, theme_applied = false;
    int frames_wanted = 0;     // frames still to draw before going idle
    bool loop_running = false;
    bool mirror = false;        // the accessible twin is on (semantics_mirror.h)
    uint64_t mirror_print = 0;  // what it shows (ui::semantics_fingerprint)
    bool in_frame = false;
    bool first_sync_done = false;
    bool fetching = false;
    bool restarting = false;   // the library is being downloaded again (start_again_from_snapshot)
    int failed_checks = 0;     // checks for news that failed in a row (the next one backs off)
    int check_timer = 0;       // the next check (emscripten_set_timeout id; 0 = none)
    int wake_timer = 0;        // a frame the UI asked for later (AppState::wake_at)
    double wake_timer_at = 0;
    int64_t clock_offset = 0;  // the server's clock minus this device's, at the last sync
    bool storage_ok = true;    // IndexedDB gave back what it held (or had nothing)
    bool storage_ready = false;  // IndexedDB has answered: /data holds what it kept
    bool store_empty = true;   // ... and it held no library (device_store_is_empty)
    bool gl_ready = false;     // main() has set up WebGL and ImGui: frames can be drawn
    bool drawn_once = false;   // the canvas shows a frame (the shell's loading panel is gone)
    // A first visit's library is on its way: no frame until it is shown, or a second has
    // passed (main() says why).
    bool holding_for_library = false;
    bool settled = false;      // showing the device's own store (not a provisional one)
    bool snapshot_asked = false;     // the library download was requested
    bool awaiting_snapshot = false;  // ... and has not arrived or failed yet
    std::string snapshot;      // the download (a signed file), until it is written into the store
    std::string snapshot_pointer;  // ... and the static tree's signed pointer that named it
    std::unique_ptr<Database> device;  // the device's own store: what it trusts (content_trust.h)
    std::string remembered_account;    // the account last written to it (remember_account)
    uint32_t pending_activation = 0;   // a twin node to tap once scrolled into view
    int pending_activation_frames = 0;
    // The twin's scroll moved the canvas: ImGui scrolls there a frame later, so node
    // positions are true again only from this frame on (a tap before it lands on whatever
    // was there before the scroll).
    int scroll_settles_frame = 0;
    DeviceTrust trust;
    std::string app_key;       // the key the page names (pinned on the first visit)
    bool static_source = false;  // content from a static tree (static_tree.h), not api/
    StaticPointer pointer;     // a static tree's pointer being followed ...
    OpenedFile pointer_opened; // ... its signed statement (accepted once its pages are in)
    bool pointer_from_network = false;
    std::vector<StaticPage> pending_pages;  // ... the pages still to apply, in order
    std::string restart_sha256;  // the library being downloaded again (static: its hash)
    double last_time = 0;
    std::string cursor;
    std::string fatal;         // why the app cannot show content (shown instead of it)
};

Host* g_host = nullptr;

void request_frames(int n);

// A baked atlas as a texture of its own (the renderer makes the one of io.Fonts).
GLuint upload_atlas(ImFontAtlas& atlas) {
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
    GLuint texture = 0;
    glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    glBindTexture(GL_TEXTURE_2D, 0);
    atlas.SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture)));
    atlas.ClearTexData();  // the GPU has it
    return texture;
}

void drop_later_faces(Host& h) {
    if (h.later_texture) glDeleteTextures(1, &h.later_texture);
    h.later_texture = 0;
    h.later_faces = 0;
    h.later_atlas.Clear();
}

// At start-up only the faces of the first screen (see ui::faces_to_bake_later); every
// face in one atlas when the ratio or the text size changes later.
void rebuild_fonts_if_needed(Host& h) {
    if (h.fonts_ratio == h.canvas.pixel_ratio && h.fonts_text_size == h.state.settings.text_size) return;
    ImGuiIO& io = ImGui::GetIO();
    const bool starting = h.fonts_ratio == 0;
    if (!starting) ImGui_ImplOpenGL3_DestroyFontsTexture();
    drop_later_faces(h);
    if (starting) h.later_faces = ui::faces_to_bake_later(ui::parse_route(web::current_hash()));
    float body = 16.0f * ui::kTextScales[h.state.settings.text_size];
    h.state.fonts = ui::build_fonts(*io.Fonts, ui::font_files_in("/fonts"), body, h.canvas.pixel_ratio, h.later_faces);
    if (!starting) ImGui_ImplOpenGL3_CreateFontsTexture();
    web::publish_fonts_pending(h.later_faces);
    h.fonts_ratio = h.canvas.pixel_ratio;
    h.fonts_text_size = h.state.settings.text_size;
}

void wake();

// After the first screen is on show: the faces it did not need (a tenth of a second on a
// slow tablet, no longer in front of the first result).
void bake_later_fonts() {
    Host& h = *g_host;
    if (!h.later_faces) return;  // rebuilt whole meanwhile
    ui::bake_later_faces(h.state.fonts, h.later_atlas, ui::font_files_in("/fonts"), h.later_faces, h.fonts_ratio);
    h.later_texture = upload_atlas(h.later_atlas);
    h.later_faces = 0;
    web::publish_fonts_pending(0);
    wake();
}

// Before the store is open (a few milliseconds), or instead of it when it cannot be.
void draw_loading(const std::string& fatal) {
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("loading", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    std::string text = fatal.empty() ? "Opening Handbook..." : "Handbook cannot open its policies: " + fatal + " Reload the page to try again.";
    float width = std::min(io.DisplaySize.x - 48, 560.0f);
    ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, width);
    ImGui::SetCursorPos(ImVec2((io.DisplaySize.x - width) * 0.5f, (io.DisplaySize.y - size.y) * 0.5f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::End();
}

const char* css_cursor(ImGuiMouseCursor c) {
    switch (c) {
    case ImGuiMouseCursor_TextInput: return "text";
    case ImGuiMouseCursor_Hand: return "pointer";
    case ImGuiMouseCursor_NotAllowed: return "not-allowed";
    default: return "default";
    }
}

void remember_account(Host& h);
std::string device_today();
void finish_pending_activation(Host& h);

// One frame: input share, UI, GL draw, and the page told what changed.
void run_frame() {
    Host& h = *g_host;
    if (h.in_frame) return;
    h.in_frame = true;
    h.canvas = web::fit_canvas();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(h.canvas.css_width, h.canvas.css_height);
    io.DisplayFramebufferScale = ImVec2(h.canvas.pixel_ratio, h.canvas.pixel_ratio);
    double now = emscripten_get_now() / 1000.0;
    // ImGui's clock follows the wall clock, idle time included: the UI's timers (a draft's
    // next send, a retry, a toast) are set in it and the host's wake timer waits for them
    // in real time. (Clamping the step after idle made ImGui's clock lag: a wake-up came
    // "early" by its reckoning and the draft waited for the next touch.) Animations clamp
    // their own step (touch_scroll.cpp).
    io.DeltaTime = h.last_time > 0 ? static_cast<float>(std::max(now - h.last_time, 1e-4)) : 1.0f / 60;
    h.last_time = now;

    rebuild_fonts_if_needed(h);
    if (!h.theme_applied || h.theme_dark != h.state.settings.dark || h.theme_touch != h.state.touch) {
        ui::apply_theme(h.state.settings.dark, h.state.touch);
        h.theme_dark = h.state.settings.dark;
        h.theme_touch = h.state.touch;
        h.theme_applied = true;
    }
    bool more_input = web::apply_queued_input(io);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    h.state.today = device_today();  // (the editor's calendar opens on this month)
    if (h.library) ui::draw_app(h.state, *h.library, h.platform);
    else draw_loading(h.fatal);
    remember_account(h);
    ImGui::Render();

    const ui::Palette& p = ui::palette(h.state.settings.dark);
    ImVec4 bg = ImGui::ColorConvertU32ToFloat4(p.background);
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * h.canvas.pixel_ratio),
               static_cast<int>(io.DisplaySize.y * h.canvas.pixel_ratio));
    glClearColor(bg.x, bg.y, bg.z, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    if (h.state.settings_changed) {
        h.state.settings_changed = false;
        request_frames(2);
    }
    // The accessible twin follows what was drawn (sent when it changed; its scroll every
    // frame), and the text agent follows ImGui: the active field's twin element takes the
    // typing (or the hidden input, placed at the top where the search box is).
    if (h.mirror && h.library) {
        const uint64_t print = ui::semantics_fingerprint(h.state.semantics);
        if (print != h.mirror_print) {
            h.mirror_print = print;
            web::publish_semantics(ui::semantics_json(h.state.semantics));
        }
        web::sync_mirror_scroll(h.state.semantics.scroll_y);
    }
    // ImGui says it wants text a frame after a field became active (io.WantTextInput is
    // updated by the next NewFrame); the field itself is known at once, and its twin element
    // should have the page's keyboard before the app goes idle.
    const uint32_t field = ui::semantics_active_text_field(h.state.semantics);
    web::sync_text_agent(io.WantTextInput || field != 0, 24, 16, field);
    const char* cursor = css_cursor(ImGui::GetMouseCursor());
    if (h.cursor != cursor) {
        h.cursor = cursor;
        web::set_cursor(cursor);
    }
    web::test_state_drawn(h.library != nullptr && h.first_sync_done);
    if (!h.drawn_once) {
        h.drawn_once = true;
        web::first_frame_drawn();
    }
    finish_pending_activation(h);
    // The UI wants a frame later though nothing happens meanwhile (a draft's retry).
    if (h.state.wake_at > ImGui::GetTime() && h.state.wake_at != h.wake_timer_at) {
        if (h.wake_timer) emscripten_clear_timeout(h.wake_timer);
        h.wake_timer_at = h.state.wake_at;
        h.wake_timer = emscripten_set_timeout([](void*) {
            g_host->wake_timer = 0;
            wake();
        }, (h.state.wake_at - ImGui::GetTime()) * 1000.0, nullptr);
    }
    if (more_input || h.state.animating || io.MouseDown[0]) request_frames(2);
    h.in_frame = false;
}

EM_BOOL animation_frame(double, void*) {
    Host& h = *g_host;
    run_frame();
    if (h.frames_wanted > 0) h.frames_wanted--;
    if (h.frames_wanted > 0 || web::has_queued_input()) return EM_TRUE;
    h.loop_running = false;
    return EM_FALSE;
}

void request_frames(int n) {
    Host& h = *g_host;
    if (h.frames_wanted < n) h.frames_wanted = n;
    if (h.holding_for_library) return;  // stop_holding_for_library starts them
    if (!h.loop_running) {
        h.loop_running = true;
        emscripten_request_animation_frame_loop(animation_frame, nullptr);
    }
}

// ImGui needs a few frames to settle after an event (layout, then hover, then focus).
void wake() { request_frames(3); }

// The first visit's library is shown, or failed, or is a second late: frames again.
void stop_holding_for_library() {
    Host& h = *g_host;
    if (!h.holding_for_library) return;
    h.holding_for_library = false;
    wake();
}

void fetch_updates();
void start_again_from_snapshot(const std::string& why, const std::string& url, const std::string& sha256);

// What the device trusts (content_trust.h): its own store's pin once IndexedDB has
// answered; before that (a first visit's provisional library) the key the page names.
DeviceTrust checking_trust() {
    Host& h = *g_host;
    if (h.device) return h.trust;
    return DeviceTrust{h.app_key, ""};
}

void save_trust() {
    Host& h = *g_host;
    if (!h.device) return;
    if (Status st = save_device_trust(*h.device, h.trust); !st)
        std::fprintf(stderr, "Handbook: what this device trusts could not be saved: %s\n", st.error.c_str());
}

// "Policies as of <date>" while the newest confirmation is older than the freshness
// window (a server that cannot be reached, a frozen copy on a CDN, a replayed answer).
void refresh_freshness() {
    Host& h = *g_host;
    const std::string& confirmed = h.state.sync.confirmed_at;
    h.state.sync.as_of = !confirmed.empty() && content_is_stale(confirmed, web::utc_now()) ? short_date(confirmed) : "";
}

// The next check for news (seconds_until_next_feed_check): while the page stays open, a
// till left on all day picks up a publish within minutes; failures back off.
void schedule_next_check() {
    Host& h = *g_host;
    refresh_freshness();
    if (h.check_timer) emscripten_clear_timeout(h.check_timer);
    const double seconds = seconds_until_next_feed_check(h.failed_checks, web::random_unit());
    h.check_timer = emscripten_set_timeout([](void*) {
        g_host->check_timer = 0;
        fetch_updates();
    }, seconds * 1000.0, nullptr);
}

// Today by the server's clock (the device's, corrected by the last offset seen).
std::string device_today() { return server_today(web::device_now_seconds(), g_host->clock_offset); }

// Moves the library to today: a version whose effective date has come is shown from now
// on, offline too (checked at start, with every check for news, and when the page is shown).
void bring_in_force() {
    Host& h = *g_host;
    if (!h.db || !h.settled) return;
    auto changed = refresh_in_force(*h.db, device_today());
    if (!changed) {
        std::fprintf(stderr, "Handbook: the policies in force today could not be worked out: %s\n", changed.error().c_str());
        return;
    }
    if (*changed > 0) {
        ui::refresh_content(h.state, *h.library);
        web::save_storage();
        wake();
    }
}

// The store's position, or why it cannot be read (shown; the check is tried again later).
bool read_position(FeedPosition* out) {
    Host& h = *g_host;
    auto held = applied_feed_position(*h.db);
    if (!held) {
        h.state.sync.message = "This device's copy of the policies cannot be read: " + held.error();
        std::fprintf(stderr, "Handbook: %s\n", h.state.sync.message.c_str());
        return false;
    }
    *out = *held;
    return true;
}

// The end of a check that changed nothing on the device: why, shown; tried again later.
void check_refused(const std::string& message) {
    Host& h = *g_host;
    h.fetching = false;
    h.first_sync_done = true;
    h.state.sync.syncing = false;
    h.state.sync.message = message;
    std::fprintf(stderr, "Handbook: %s\n", message.c_str());
    ++h.failed_checks;
    bring_in_force();  // a date that has come switches the policy, whatever the update was
    schedule_next_check();
    wake();
}

void feed_failed(const std::string& reason) {
    Host& h = *g_host;
    h.fetching = false;
    h.state.sync.syncing = false;
    h.state.sync.offline = true;
    h.state.sync.message = "Working offline from the copy on this device (" + reason + ").";
    h.first_sync_done = true;
    ++h.failed_checks;
    bring_in_force();  // offline too: a date that has come switches the policy
    schedule_next_check();
    wake();
}

// The server's (or the static tree's) signed word that the device holds everything up
// to `made_at`: kept as the device's confirmation, shown as "policies as of" once old.
// `server_time`: the server's clock in its answer (device_clock.h; "" from a static
// tree, whose pointer may be minutes old: the last offset stays).
void sync_finished(bool from_network, const std::string& made_at, const std::string& server_time) {
    Host& h = *g_host;
    h.fetching = false;
    h.first_sync_done = true;
    h.state.sync.syncing = false;
    // The service worker answers from its copy when the network is down: that is no
    // word from the server, so the device is offline and not confirmed current.
    h.state.sync.offline = !from_network;
    if (from_network) {
        h.failed_checks = 0;
        if (made_at > h.state.sync.confirmed_at)
            if (Status st = record_feed_confirmed(*h.db, made_at); st) h.state.sync.confirmed_at = made_at;
        h.state.sync.message = "Up to date";
        ui::sync_reached_server(h.state);  // the person's acknowledgements follow the sync (news.h)
        if (auto offset = clock_offset(server_time, web::device_now_seconds())) {
            h.clock_offset = *offset;
            (void)record_clock_offset(*h.db, *offset);
            h.state.sync.clock_note = clock_disagreement(*offset);
        }
    } else {
        ++h.failed_checks;
        h.state.sync.message = "Working offline from the copy on this device (the server cannot be reached).";
    }
    web::save_storage();  // also keeps the feed position (IDBFS writes changed files only)
    bring_in_force();
    schedule_next_check();
    wake();
}

void feed_arrived(const std::string& body, bool from_network) {
    Host& h = *g_host;
    auto applied = apply_signed_feed(*h.db, h.trust, body);
    if (!applied && applied.code() == StatusCode::diverged) {
        h.fetching = false;
        start_again_from_snapshot(applied.error(), "api/snapshot", "");
        return;
    }
    if (!applied && !from_network) {
        feed_failed("the server cannot be reached");  // the service worker's old copy: nothing new in it
        return;
    }
    if (!applied) {
        // Refused (not signed by the key this device trusts, older than what it holds) or
        // damaged: the store is untouched (apply is atomic); say so and carry on.
        check_refused("The last update was not used: " + applied.error());
        return;
    }
    save_trust();
    if (applied->articles_changed > 0 || applied->synonyms_changed) ui::refresh_content(h.state, *h.library);
    web::note_store_held(applied->latest > 0);
    if (applied->more) {
        h.fetching = false;
        web::save_storage();
        fetch_updates();
        return;
    }
    sync_finished(from_network, applied->made_at, applied->server_time);
}

// --- A static tree (static_tree.h): the signed pointer, then the pages it names ------
void next_static_page();

void static_page_arrived(const std::string& bytes, bool) {
    Host& h = *g_host;
    const StaticPage page = h.pending_pages.front();
    SignedFeedOptions options;
    options.claim = false;  // the pointer, checked already, vouches for it by hash
    options.expected_sha256 = page.sha256;
    options.expected_server = h.pointer.server;
    auto applied = apply_signed_feed(*h.db, h.trust, bytes, options);
    if (!applied && applied.code() == StatusCode::diverged) {
        h.fetching = false;
        start_again_from_snapshot(applied.error(), h.pointer.snapshot_file, h.pointer.snapshot_sha256);
        return;
    }
    if (!applied) {
        check_refused("The last update was not used: " + applied.error());
        return;
    }
    if (applied->articles_changed > 0 || applied->synonyms_changed) ui::refresh_content(h.state, *h.library);
    web::note_store_held(applied->latest > 0);
    h.pending_pages.erase(h.pending_pages.begin());
    next_static_page();
}

void next_static_page() {
    Host& h = *g_host;
    if (!h.pending_pages.empty()) {
        web::fetch_signed(h.pending_pages.front().file, kMaxFeedBytes + kMaxSignedHeaderBytes, false,
                          web::FeedCallbacks{static_page_arrived, feed_failed});
        return;
    }
    // Every page the pointer names is applied: the pointer's time is the device's now.
    accept_claim(h.trust, h.pointer_opened);
    save_trust();
    sync_finished(h.pointer_from_network, h.pointer.made_at, "");
}

void pointer_arrived(const std::string& bytes, bool from_network) {
    Host& h = *g_host;
    OpenedFile opened;
    auto pointer = open_static_pointer(bytes, h.trust, &opened);
    if (!pointer && !from_network) {
        feed_failed("the server cannot be reached");
        return;
    }
    if (!pointer) {
        check_refused("The list of published policies was not used: " + pointer.error());
        return;
    }
    FeedPosition held;
    if (!read_position(&held)) {
        check_refused(h.state.sync.message);
        return;
    }
    if ((!held.server.empty() && held.server != pointer->server) || pointer->head < held.seq) {
        h.fetching = false;
        start_again_from_snapshot(held.server != pointer->server
                                      ? "the published library is not the one this device followed (its server's database was re-created or replaced)"
                                      : "the published library is behind this device's copy (restored from an older backup?)",
                                  pointer->snapshot_file, pointer->snapshot_sha256);
        return;
    }
    opened.body = {};  // points into `bytes`; only the statement and signer are kept
    h.pointer = std::move(*pointer);
    h.pointer_opened = std::move(opened);
    h.pointer_from_network = from_network;
    h.pending_pages = pages_after(h.pointer, held.seq);
    next_static_page();
}

void fetch_updates() {
    Host& h = *g_host;
    if (!h.db || !h.settled || h.fetching || h.restarting) return;
    FeedPosition held;
    if (!read_position(&held)) {
        schedule_next_check();
        return;
    }
    h.fetching = true;
    h.state.sync.syncing = true;
    if (h.static_source)
        web::fetch_signed(kStaticPointerPath, kMaxStaticPointerBytes, true, web::FeedCallbacks{pointer_arrived, feed_failed});
    else
        web::fetch_signed("api/feed?after=" + std::to_string(held.seq), kMaxFeedBytes + kMaxSignedHeaderBytes, true,
                          web::FeedCallbacks{feed_arrived, feed_failed});
    wake();
}

void show_store(std::unique_ptr<Database> db, bool settled);

// The library inside a signed download, checked with `trust`: a static tree's pointer
// (when given) names the file by hash; a snapshot alone is checked by its own signature.
Result<std::string_view> checked_library(std::string_view file, std::string_view pointer_file, DeviceTrust& trust, std::string sha256) {
    if (!pointer_file.empty()) {
        auto pointer = open_static_pointer(pointer_file, trust, nullptr);
        if (!pointer) return pointer.status();
        sha256 = pointer->snapshot_sha256;
    }
    return open_signed_snapshot(file, trust, sha256);
}

// The server's history and this device's copy disagree (its database was re-created, or
// restored from an older backup): the copy is replaced by the server's current library.
// Until the download arrives the old copy stays on screen; if it cannot be downloaded now,
// the next check tries again.
void restart_snapshot_arrived(std::string_view bytes, std::string_view) {
    Host& h = *g_host;
    h.restarting = false;
    auto library = checked_library(bytes, "", h.trust, h.restart_sha256);
    if (!library) {
        check_refused("The server's library was not used: " + library.error());
        return;
    }
    if (Status st = install_device_snapshot(web::kDatabasePath, *library); !st) {
        check_refused("The server's library could not be kept on this device: " + st.error);
        return;
    }
    save_trust();
    web::save_storage();
    auto db = open_store(web::kDatabasePath, web::device_store_options());
    if (!db) {
        h.state.sync.message = "The server's library could not be opened on this device: " + db.error();
        wake();
        return;
    }
    h.state.sync.message = "This device downloaded the server's library again: the server's database had been replaced or restored.";
    h.state.toast = "Policies downloaded again from the server";
    h.state.toast_until = ImGui::GetTime() + 4.0;
    show_store(std::move(*db), true);
}

void restart_snapshot_failed(const std::string& reason) {
    Host& h = *g_host;
    h.restarting = false;
    h.state.sync.offline = true;
    h.state.sync.message = "The server's library must be downloaded again, and that failed (" + reason + "); trying again later.";
    ++h.failed_checks;
    schedule_next_check();
    wake();
}

void start_again_from_snapshot(const std::string& why, const std::string& url, const std::string& sha256) {
    Host& h = *g_host;
    std::fprintf(stderr, "Handbook: %s\n", why.c_str());
    h.restarting = true;
    h.first_sync_done = true;
    h.state.sync.syncing = true;
    h.state.sync.message = "Downloading the server's library again: " + why;
    h.restart_sha256 = sha256;
    web::fetch_snapshot(url, web::SnapshotCallbacks{restart_snapshot_arrived, restart_snapshot_failed});
    wake();
}

// Shows `db` as the library: the device's own store (settled), or a first visit's
// download opened in memory while IndexedDB is still loading (provisional: searched and
// read, never written, no feed applied to it). Later calls replace what is shown and
// keep the screen the user is on.
void show_store(std::unique_ptr<Database> db, bool settled) {
    Host& h = *g_host;
    auto engine = SearchEngine::create(*db);
    if (!engine) {
        h.fatal = engine.error();
        std::fprintf(stderr, "Handbook: search is unavailable: %s\n", engine.error().c_str());
        wake();
        return;
    }
    const bool first = h.library == nullptr;
    if (first) web::mark_start_up("search ready");
    // The old library goes before the store it reads from.
    h.library.reset();
    h.engine = std::move(*engine);
    h.db = std::move(db);
    h.library = std::make_unique<ui::Library>(ui::Library{*h.db, *h.engine, h.device.get()});
    h.settled = settled;
    if (first) {
        ui::load_home(h.state, *h.library);
        web::mark_start_up("home loaded");
        ui::apply_route(h.state, *h.library, ui::parse_route(web::current_hash()), h.platform);
        web::mark_start_up("route applied");
        h.state.search.focus_box = h.state.screen != ui::Screen::article;
    } else {
        ui::refresh_content(h.state, *h.library);
    }
    if (settled) {
        if (!h.storage_ok) h.state.sync.message = "The saved copy could not be read; downloading the policies again.";
        FeedPosition held;
        if (read_position(&held)) {
            web::note_store_held(held.seq > 0);
            h.state.sync.confirmed_at = held.confirmed_at;
            h.clock_offset = held.clock_offset;
            h.state.sync.clock_note = clock_disagreement(held.clock_offset);
            refresh_freshness();
        }
        bring_in_force();
        fetch_updates();
    }
    // The first screen with content is drawn now, not at the next animation frame (a
    // tenth of a second later on a slow tablet). One frame is enough to lay out and draw
    // it (the app's windows have fixed sizes); the frames wake() asks for settle hover
    // and focus. (A second synchronous frame made no difference to the throttled first
    // result that could be told from the noise of the benchmark, either way.)
    if (first) {
        run_frame();
        web::mark_start_up("first screen drawn");
        if (h.later_faces) web::call_after_next_paint(bake_later_fonts);
    }
    wake();
}

// The device's own store (device_store.h): what it trusts lives there. The key the page
// names is pinned on the first visit; afterwards the pin rules (content_trust.h).
// Who was last signed in on this device, kept in its own store: a reload while offline
// (the server cannot say) still knows whose drafts these are. The server's answer, when it
// comes, replaces it (sign-out, an ended session).
void remember_account(Host& h) {
    if (!h.device) return;
    const ui::Account& a = h.state.account;
    const std::string now =
        a.signed_in ? nlohmann::json{{"name", a.name}, {"role", a.role}, {"categories", a.categories}}.dump() : std::string{};
    if (now == h.remembered_account) return;
    if (save_device_value(*h.device, "last_account", now)) {
        h.remembered_account = now;
        web::save_storage();
    }
}

void recall_account(Host& h) {
    auto saved = device_value(*h.device, "last_account");
    if (!saved) return;
    h.remembered_account = *saved;
    if (h.state.account_checked || h.state.account.signed_in || saved->empty()) return;
    ui::Account account;  // kept as the server gave it (remember_account)
    if (!ui::read_account(*saved, &account)) return;
    account.remembered = true;
    h.state.account = account;
}

void open_device_trust() {
    Host& h = *g_host;
    auto device = open_device_store(web::kDevicePath);
    if (!device) {
        std::fprintf(stderr, "Handbook: this device's own store could not be opened (%s); starting a fresh one.\n", device.error().c_str());
        std::remove(web::kDevicePath);
        device = open_device_store(web::kDevicePath);
    }
    if (!device) device = open_device_store(":memory:");
    if (!device) return;
    h.device = std::move(*device);
    if (h.library) h.library->device = h.device.get();  // drafts typed here (editor.h)
    recall_account(h);
    // The editor opened before the device's store did: open it again, with this device's draft.
    if (h.library && h.state.screen == ui::Screen::edit && h.state.editor.edits_saved == 0 && !h.state.editor.touched)
        ui::apply_route(h.state, *h.library, ui::parse_route(web::current_hash()), h.platform);
    if (Status st = pin_key_on_first_use(*h.device, h.app_key); !st) h.state.sync.message = st.error;
    if (auto trust = load_device_trust(*h.device)) h.trust = *trust;
}

// IndexedDB has answered (and the library download, if one was asked for): opens the
// device's store, first writing the download into it when it holds nothing yet.
void settle_store() {
    Host& h = *g_host;
    // IndexedDB answers only after main() has returned; if main() could not start
    // WebGL the page shows why, and there is nothing to draw into.
    if (!h.gl_ready || h.settled) return;
    open_device_trust();
    if (!h.snapshot.empty() && h.store_empty) {
        auto library = checked_library(h.snapshot, h.snapshot_pointer, h.trust, "");
        Status st = library ? install_device_snapshot(web::kDatabasePath, *library) : library.status();
        if (!st)
            std::fprintf(stderr, "Handbook: the library download could not be kept (%s); taking the update feed instead.\n", st.error.c_str());
        else
            web::save_storage();
        save_trust();
    }
    h.snapshot = std::string();  // a copy of the whole library: not kept longer than needed
    h.snapshot_pointer = std::string();
    auto db = open_store(web::kDatabasePath, web::device_store_options());
    if (!db) {
        // The local copy is only a replica of the server's content (nothing only this
        // device holds lives in it): start it again.
        std::fprintf(stderr, "Handbook: the local copy could not be opened (%s); starting a fresh one.\n", db.error().c_str());
        std::remove(web::kDatabasePath);
        db = open_store(web::kDatabasePath, web::device_store_options());
    }
    if (!db) db = open_store(":memory:", web::device_store_options());
    if (!db) {
        h.fatal = db.error();
        std::fprintf(stderr, "Handbook: no database: %s\n", db.error().c_str());
        wake();
        return;
    }
    show_store(std::move(*db), true);
}

void snapshot_arrived(std::string_view bytes, std::string_view pointer) {
    web::mark_start_up("library arrived");
    Host& h = *g_host;
    h.awaiting_snapshot = false;
    h.holding_for_library = false;  // whatever comes of it is drawn (show_store draws its first frame itself)
    if (h.settled) return;
    h.snapshot.assign(bytes.data(), bytes.size());
    h.snapshot_pointer.assign(pointer.data(), pointer.size());
    if (h.storage_ready) {
        settle_store();
        return;
    }
    // IndexedDB is still opening: search the download in memory meanwhile, once it has
    // been checked against the key the page names (settle_store checks it again against
    // the device's own pin before keeping it).
    DeviceTrust trust = checking_trust();
    auto library = checked_library(h.snapshot, h.snapshot_pointer, trust, "");
    web::mark_start_up("library checked");
    auto db = library ? open_device_snapshot(*library) : Result<std::unique_ptr<Database>>(library.status());
    web::mark_start_up("library opened");
    if (!db) {
        std::fprintf(stderr, "Handbook: the library download could not be used (%s); taking the update feed instead.\n", db.error().c_str());
        h.snapshot = std::string();
        h.snapshot_pointer = std::string();
        wake();  // the loading screen, until the device's storage answers
        return;
    }
    if (h.gl_ready) show_store(std::move(*db), false);
}

void snapshot_failed(const std::string& reason) {
    Host& h = *g_host;
    std::fprintf(stderr, "Handbook: the library download failed (%s); taking the update feed instead.\n", reason.c_str());
    h.awaiting_snapshot = false;
    stop_holding_for_library();
    if (h.storage_ready) settle_store();
}

void storage_loaded(bool ok) {
    web::mark_start_up("storage loaded");
    Host& h = *g_host;
    h.storage_ready = true;
    h.storage_ok = ok;
    h.store_empty = device_store_is_empty(web::kDatabasePath);
    if (h.store_empty && h.awaiting_snapshot) return;  // snapshot_arrived (or _failed) settles
    // The page did not ask for the library (it thought this device had it): ask now. A
    // store that never got anything from the server is filled the same way. (From a
    // static tree the pages are followed from the start instead: the pointer names the
    // library, and it is fetched with the next check.)
    if (h.store_empty && h.snapshot.empty() && !h.snapshot_asked && !h.static_source) {
        h.snapshot_asked = h.awaiting_snapshot = true;
        web::fetch_snapshot("api/snapshot", web::SnapshotCallbacks{snapshot_arrived, snapshot_failed});
        return;
    }
    settle_store();
}

}  // namespace

extern "C" void handbook_pump_frames();

// The twin's actions: what a tap on the node does (a click at its middle, through the
// same input queue as the pointer), the node the page's keyboard is on, and its scroll.
void twin_activate(uint32_t id) {
    Host& h = *g_host;
    const ui::SemanticNode* n = h.state.semantics.by_id(id);
    if (!n) return;
    if (ImGui::GetFrameCount() < h.scroll_settles_frame) {
        // Focus has just scrolled the page to it (Tab, then Enter at once): tapped once the
        // canvas shows the new place.
        h.pending_activation = id;
        request_frames(4);
        return;
    }
    if (!n->visible && n->in_main) {
        // Off screen (the page's keyboard reached it before the canvas scrolled there):
        // the main area scrolls to it first, and the tap follows once it is drawn in view.
        const ui::SemanticsTree& t = h.state.semantics;
        h.state.twin_scroll = std::max(0.0f, t.scroll_y + (n->y - t.main_top) - 24.0f);
        h.scroll_settles_frame = ImGui::GetFrameCount() + 2;
        h.pending_activation = id;
        handbook_pump_frames();
        return;
    }
    const bool seen = n->visible;
    web::queue_tap(seen ? n->vx + n->vw * 0.5f : n->x + n->w * 0.5f, seen ? n->vy + n->vh * 0.5f : n->y + n->h * 0.5f);
    handbook_pump_frames();
}

namespace {

// A twin activation waiting for its node to scroll into view (twin_activate): tapped now
// if it is drawn in view, else given up after a few frames.
void finish_pending_activation(Host& h) {
    if (!h.pending_activation) return;
    if (ImGui::GetFrameCount() < h.scroll_settles_frame) {
        request_frames(2);
        return;
    }
    const ui::SemanticNode* n = h.state.semantics.by_id(h.pending_activation);
    if (n && n->visible) {
        web::queue_tap(n->vx + n->vw * 0.5f, n->vy + n->vh * 0.5f);
        h.pending_activation = 0;
        request_frames(4);
    } else if (++h.pending_activation_frames > 8) {
        h.pending_activation = 0;
    }
    if (!h.pending_activation) h.pending_activation_frames = 0;
}

}  // namespace

void twin_focused(uint32_t id) {
    Host& h = *g_host;
    h.state.twin_focus = id;
    const ui::SemanticNode* n = id ? h.state.semantics.by_id(id) : nullptr;
    // A finger or the mouse on the canvas is activating a field itself (the tree says so a
    // frame later); the page's focus then moves to that field's element, through other
    // elements or none. Those moves are the press's own: they neither tap the field again
    // (a tap at its middle ended a long press and moved the caret away from the finger)
    // nor release it (the first long press in a field then selected nothing).
    const bool pointer_pressing = ImGui::GetCurrentContext() && ImGui::GetIO().MouseDown[0];
    if (n && n->role == ui::SemanticRole::text_field) {
        // Tab onto a field: it takes the typing, as a tap on it would.
        if (!pointer_pressing && ui::semantics_active_text_field(h.state.semantics) != id) twin_activate(id);
    } else if (ImGui::GetCurrentContext() && !pointer_pressing) {
        ui::semantics_release_text_field();  // the keyboard moved on from the field
    }
    wake();
}

void twin_scrolled(float y) {
    g_host->state.twin_scroll = y;
    g_host->scroll_settles_frame = ImGui::GetFrameCount() + 2;
    wake();
}

// The app's state for the test hook (ui::describe_for_tests), made when a test reads it;
// valid until the next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* handbook_test_state() {
    static std::string json;
    json = g_host ? ui::describe_for_tests(g_host->state) : std::string("{}");
    return json.c_str();
}

// Runs frames now, inside the browser event being handled, so focus changes (the
// on-screen keyboard) and clipboard writes happen in the user's gesture.
extern "C" void handbook_pump_frames() {
    if (!g_host || g_host->in_frame || g_host->holding_for_library) return;
    for (int i = 0; i < 6 && (i == 0 || handbook::web::has_queued_input()); ++i) run_frame();
    wake();
}

int main() {
    web::mark_start_up("main");
    g_host = new Host;
    Host& h = *g_host;
    // First: IndexedDB and the library download answer while the rest is set up (they
    // call back after main() returns). The page asked for the library on a first visit.
    web::load_storage(storage_loaded);
    h.app_key = web::page_meta("handbook-key");
    h.static_source = web::page_meta("handbook-content") == "static";
    if (web::snapshot_requested_by_page()) {
        h.snapshot_asked = h.awaiting_snapshot = true;
        web::fetch_snapshot("api/snapshot", web::SnapshotCallbacks{snapshot_arrived, snapshot_failed});
    }

    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = EM_FALSE;
    attrs.depth = EM_FALSE;
    attrs.stencil = EM_FALSE;
    attrs.antialias = EM_FALSE;
    // ImGui's renderer uses WebGL 2 core only; enabling every extension emscripten knows
    // costs a tenth of a second of start-up on a slow device.
    attrs.enableExtensionsByDefault = EM_FALSE;
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = emscripten_webgl_create_context("#canvas", &attrs);
    if (gl <= 0) {
        // The shell checked for WebGL 2 already; if it still fails, its abort handler says so.
        EM_ASM({
            if (Module.onAbort) Module.onAbort("WebGL 2 could not be started on this page's canvas");
        });
        return 1;
    }
    emscripten_webgl_make_context_current(gl);
    web::mark_start_up("webgl context");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing to remember between visits but the settings
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would need frames while idle
    io.BackendPlatformName = "handbook_web";
    io.SetClipboardTextFn = [](void*, const char* text) { handbook::web::write_clipboard(text); };
    io.GetClipboardTextFn = [](void*) -> const char* { return ""; };  // paste arrives as text events

    h.state.settings = web::load_settings();
    h.state.touch = web::touch_is_primary();
    h.state.reduced_motion = web::prefers_reduced_motion();
    h.platform.open_external = [](const std::string& url) { web::open_new_tab(url); };
    h.platform.copy_text = [](const std::string& text) { web::write_clipboard(text); };
    h.platform.set_route = [](const std::string& hash, bool push) { web::set_hash(hash, push); };
    h.platform.save_settings = [](const ui::Settings& s) { web::save_settings(s); };
    h.platform.api = [](const std::string& method, const std::string& path, const std::string& body,
                        std::function<void(int, const std::string&)> answer) {
        web::api_request(method, path, body, [answer = std::move(answer)](int status, const std::string& text) {
            answer(status, text);
            wake();  // the UI shows what came back
        });
    };
    h.platform.persist = [] { web::save_storage(); };
    h.platform.content_changed = [] { fetch_updates(); };
    h.platform.new_id = [] { return web::random_id(); };
    h.platform.now_utc = [] { return utc_time(web::device_now_seconds()); };
    h.platform.app_url = web::app_url();
    ui::check_account(h.state, h.platform);  // is this browser's session still good?

    h.canvas = web::fit_canvas();
    rebuild_fonts_if_needed(h);
    web::mark_start_up("fonts baked");
    ImGui_ImplOpenGL3_Init("#version 300 es");
    web::mark_start_up("renderer ready");

    web::install_input(web::InputHooks{
        wake, handbook_pump_frames, [](bool touch) {
            if (g_host->state.touch != touch) g_host->state.touch = touch;
        },
        [] { ui::cancel_pointer_press(g_host->state); },
        [](int step) {
            if (ui::step_text_size(g_host->state, g_host->platform, step)) wake();
        }});
    web::install_text_agent();
    h.mirror = web::semantics_mirror_enabled();
    if (h.mirror) web::install_semantics_mirror(web::MirrorHooks{twin_activate, twin_focused, twin_scrolled});
    web::install_page(web::PageHooks{
        [](const std::string& hash) {
            Host& host = *g_host;
            if (!host.library) return;
            ui::Route route = ui::parse_route(hash);
            if (route == host.state.shown_route) return;  // our own pushState echoing back
            ui::apply_route(host.state, *host.library, route, host.platform);
            wake();
        },
        [] { wake(); },
        [] {
            g_host->state.draft_sending.retry_at = 0;  // drafts typed offline go up now (editor.h)
            g_host->state.draft_sending.look = true;
            ui::sync_reached_server(g_host->state);  // and acknowledgements made offline (news.h)
            fetch_updates();
            wake();
        },
        [] {
            // No network at all (the browser knows): say so now, not at the next check.
            Host& host = *g_host;
            if (host.state.sync.offline) return;
            host.state.sync.offline = true;
            host.state.sync.message = "Working offline from the copy on this device (this device is offline).";
            wake();
        }});
    h.gl_ready = true;
    if (h.awaiting_snapshot) {
        // A first visit: the library is on its way (often here already, its body still
        // being handed over). A "loading" frame now (asked for by anything that answers
        // meanwhile: the session check, the storage) would hold the page's only thread
        // for a frame's work (a fifth of a second on a slow tablet, traced) in front of
        // the library; the shell's own loading panel stays until the first frame
        // (bench/README.md, "Where a first visit's time goes"). If the download is slow,
        // the app's loading screen comes after a second all the same.
        h.holding_for_library = true;
        emscripten_set_timeout([](void*) { stop_holding_for_library(); }, 1000, nullptr);
    } else {
        wake();
    }
    web::mark_start_up("main returned");
    return 0;
}
