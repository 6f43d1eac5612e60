// The canvas's accessible twin in the page (after Flutter web's semantics tree, but on by
// default). Implements: the UI's semantics tree (src/ui/semantics.h) mirrored into DOM
// elements with ARIA roles, names and states, transparent and under the canvas's pointer
// events, each placed over what it describes (a screen reader's focus box sits on the
// right spot); the main area's nodes inside a scroll container kept in step with the
// canvas's scroll both ways (find-in-page scrolls the container, the app follows); only
// what changed is touched (elements kept by node id); Tab order = the tree's reading
// order; Enter, Space and a screen reader's click on a mirrored control come back as that
// node's action (which does what a tap does), focus as the node the canvas draws its focus
// ring around; a live region that says the tree's announcements; text fields are real
// <input>/<textarea> elements that also take typing (text_agent.h).
// Known limitations: the tree is applied after the frame is on screen (a task later,
// coalescing the frames that changed it meanwhile), so a screen reader hears a change a
// few milliseconds after it is drawn; a field's text is mirrored while it is not being
// edited; the twin's text is set in the page's font, so a selection or find highlight in
// it is a band near, not exactly on, the canvas's letters; window.find() selects without
// scrolling (the browser's find bar scrolls). `?twin=0` leaves the twin out.
#pragma once
#include <cstdint>
#include <string>

namespace handbook::web {

struct MirrorHooks {
    void (*activate)(uint32_t node_id) = nullptr;  // Enter, Space, a screen reader's click
    void (*focused)(uint32_t node_id) = nullptr;   // the keyboard is on this node now (0: none of ours)
    void (*scrolled)(float y) = nullptr;           // the page scrolled the main area (find-in-page, Tab)
};

void install_semantics_mirror(const MirrorHooks& hooks);

// The tree as JSON (ui::semantics_json), sent only when it changed.
void publish_semantics(const std::string& json);

// Where the main area's scroll is this frame (cheap: called every frame).
void sync_mirror_scroll(float scroll_y);


// Is the mirror on? (Off with ?twin=0 in the address, for the benchmark's comparison.)
bool semantics_mirror_enabled();

}  // namespace handbook::web
