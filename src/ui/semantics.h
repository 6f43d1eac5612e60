// What each frame drew, as a small tree a screen reader, the browser's find-in-page and the
// tests can read: the canvas's accessible twin. The screens describe what they draw while
// they draw it (landmarks, headings, paragraphs, lists, links, buttons, toggles, fields,
// tables, dialogs, status messages); the web layer (src/web/semantics_mirror.cpp) mirrors
// the tree into hidden DOM elements with the same roles and names, placed over what they
// describe, and sends actions on them back here, where they do what a tap does.
//
// The tree is rebuilt every frame into the same storage (no allocation once warm), and
// each node has an id that stays the same from frame to frame while it stands for the same
// thing (its parent's id, role and key), so the mirror touches only what changed.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace handbook::ui {

enum class SemanticRole : uint8_t {
    banner,      // the top bar
    search,      // the search landmark
    main,        // the main content
    navigation,  // a table of contents, a row of tabs
    region,      // a named part of a page (a card)
    dialog,
    heading,     // level 1-6
    paragraph,
    text,        // a piece of a paragraph (beside a link in it)
    list,
    list_item,
    table,
    row,
    cell,
    column_header,
    link,        // moves somewhere (an article, a page); `target` says where
    button,
    toggle,      // a button that stays pressed (checked)
    text_field,  // value, label (name), multiline
    status,      // a live region: said when it changes
    image,
};

const char* semantic_role_name(SemanticRole role);

struct SemanticNode {
    uint32_t id = 0;      // stable while it stands for the same thing
    int parent = -1;      // index in the tree's nodes (-1: top)
    SemanticRole role = SemanticRole::paragraph;
    uint8_t level = 0;    // heading level
    bool focusable = false;
    bool disabled = false;
    bool checked = false;   // toggles, selected tabs, chosen options
    bool expanded = false;
    bool multiline = false;
    bool password = false;
    bool invalid = false;
    std::string name;     // what a screen reader says it is
    std::string value;    // a field's text; a cell's or paragraph's own text is its name
    std::string description;  // more (a field's error, a hint)
    std::string target;   // a link's destination (a route like "#/a/refunds", or a URL)
    float x = 0, y = 0, w = 0, h = 0;  // where it is drawn, in CSS pixels of the page
    bool visible = false;    // some of it is on screen this frame (vx..vh: that part)
    bool in_main = false;    // inside the main, scrolling area (the mirror scrolls it)
    float vx = 0, vy = 0, vw = 0, vh = 0;
    uint32_t action_id = 0;  // the ImGui item that takes its actions (0: none)
};

struct SemanticsTree {
    std::vector<SemanticNode> nodes;
    std::string announcement;  // the live region's message now (the mirror speaks it when it changes)
    std::string status_announcement;  // the same for the sync state and errors (a second region)
    float content_height = 0;  // the main area's scrollable height, for the mirror's scroll
    float scroll_y = 0;        // the main area's scroll
    float main_top = 0;        // where the main area starts on the page
    int size = 0;              // nodes used this frame (the vector is kept for reuse)

    const SemanticNode* find(std::string_view name, SemanticRole role) const;
    const SemanticNode* by_id(uint32_t id) const;
};

// The tree for the mirror, as JSON (the layout src/web/semantics_mirror.cpp reads).
std::string semantics_json(const SemanticsTree& tree);

// What the screens' recording goes by: the main (scrolling) area starts here; nodes
// recorded between begin_main and end_main are in it.
void semantics_begin_main(float top, float scroll_y, float content_height);
void semantics_end_main();

// A fingerprint of what the mirror shows (nodes in the main area by their place in the
// content, so scrolling alone does not change it): the host sends the tree when it changed.
uint64_t semantics_fingerprint(const SemanticsTree& tree);

// The text field being edited now (its node id; 0 = none).
uint32_t semantics_active_text_field(const SemanticsTree& tree);
// Stops editing the active text field (the page's keyboard moved on to another control).
void semantics_release_text_field();

// Recording, for the screens while they draw. Each frame: begin, any number of
// open/close pairs and leaves, end. All calls are cheap no-ops when no tree is being
// recorded (a host without a mirror).
namespace semantics {

void begin_frame(SemanticsTree* tree);
void end_frame();

// A container (landmark, list, table, row, region, dialog) around what follows, until close().
SemanticNode* open(SemanticRole role, std::string_view name = {}, std::string_view key = {});
void close();

// A node for the last ImGui item drawn (its rectangle and id), e.g. after a button.
SemanticNode* item(SemanticRole role, std::string_view name, std::string_view key = {});
// A node for something drawn straight to a draw list (text, a card): its rectangle given.
SemanticNode* area(SemanticRole role, std::string_view name, float x, float y, float w, float h, std::string_view key = {});

// The node recorded last (to add its state after a widget function noted it), or null.
SemanticNode* last();

// The live region's message this frame (results of a search, sync state, an error):
// spoken when it differs from the last one spoken.
void announce(std::string_view message);

// The sync state or an error, for a live region of its own (results and sync can change
// in the same frame; neither drowns the other).
void announce_status(std::string_view message);

// Is a tree being recorded this frame?
bool recording();

}  // namespace semantics

}  // namespace handbook::ui
