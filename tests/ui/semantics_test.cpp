// The accessible twin's tree (src/ui/semantics.h), per screen, headless: what a screen
// reader would be told (roles, names, levels, link targets), that ids stay put from frame
// to frame, that the fingerprint changes only with what is shown, and that acting on a
// node where the mirror puts it (a tap at its middle) does what the node says.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "app_actions.h"
#include "core/article_store.h"
#include "semantics.h"
#include "ui_harness.h"

namespace handbook::test {
namespace {

using ui::SemanticNode;
using ui::SemanticRole;

std::vector<const SemanticNode*> all_of(const ui::SemanticsTree& tree, SemanticRole role) {
    std::vector<const SemanticNode*> out;
    for (int i = 0; i < tree.size; ++i)
        if (tree.nodes[static_cast<size_t>(i)].role == role) out.push_back(&tree.nodes[static_cast<size_t>(i)]);
    return out;
}

// Is `inner` inside a node of `role` (by parent links)?
bool inside(const ui::SemanticsTree& tree, const SemanticNode& inner, SemanticRole role) {
    for (int p = inner.parent; p >= 0; p = tree.nodes[static_cast<size_t>(p)].parent)
        if (tree.nodes[static_cast<size_t>(p)].role == role) return true;
    return false;
}

// What every screen must keep: every control has a name, ids are unique, parents come first.
void expect_well_formed(const ui::SemanticsTree& tree, const std::string& screen) {
    std::set<uint32_t> ids;
    for (int i = 0; i < tree.size; ++i) {
        const SemanticNode& n = tree.nodes[static_cast<size_t>(i)];
        EXPECT_TRUE(ids.insert(n.id).second) << screen << ": node id " << n.id << " (" << n.name << ") twice";
        EXPECT_LT(n.parent, i) << screen << ": a parent is recorded before its children";
        if (n.focusable) {
            EXPECT_FALSE(n.name.empty()) << screen << ": a " << ui::semantic_role_name(n.role) << " with no name";
        }
        if (n.role == SemanticRole::heading) {
            EXPECT_TRUE(n.level >= 1 && n.level <= 6) << screen << ": " << n.name;
        }
    }
}

TEST(Semantics, HomeHasLandmarksASearchFieldAndLinksThatSayWhere) {
    UiHarness ui;
    ui.frame(2);
    const auto& tree = ui.state.semantics;
    expect_well_formed(tree, "home");
    ASSERT_NE(tree.find("Handbook", SemanticRole::banner), nullptr);
    const SemanticNode* main = tree.find("Find a policy", SemanticRole::main);
    ASSERT_NE(main, nullptr) << "the main landmark names the screen";
    const SemanticNode* field = tree.find("Search", SemanticRole::text_field);
    ASSERT_NE(field, nullptr);
    EXPECT_TRUE(inside(tree, *field, SemanticRole::search));
    EXPECT_TRUE(field->focusable);
    // The search box has the keyboard at start: it is the active text field.
    EXPECT_EQ(ui::semantics_active_text_field(tree), field->id);
    int article_links = 0;
    for (const SemanticNode* link : all_of(tree, SemanticRole::link)) {
        EXPECT_FALSE(link->target.empty()) << "'" << link->name << "' says where it goes";
        if (link->target.rfind("#/a/", 0) == 0) ++article_links;
    }
    EXPECT_GT(article_links, 0) << "home links to policies";
}

TEST(Semantics, ResultsAreAListOfLinksWithTheirPassageAndAreAnnouncedOnce) {
    UiHarness ui;
    ui.type("parcel");
    const auto& tree = ui.state.semantics;
    expect_well_formed(tree, "results");
    EXPECT_EQ(tree.find("Search", SemanticRole::text_field)->value, "parcel") << "the field's value is the query";
    const SemanticNode* list = tree.find("Results", SemanticRole::list);
    ASSERT_NE(list, nullptr);
    std::vector<std::string> linked;
    for (const SemanticNode* link : all_of(tree, SemanticRole::link))
        if (inside(tree, *link, SemanticRole::list)) linked.push_back(link->target);
    std::vector<std::string> expected;
    for (const std::string& slug : ui.hit_slugs()) expected.push_back("#/a/" + slug);
    EXPECT_EQ(linked, expected) << "one link per hit, in rank order";
    // Each item has the matching passage as a paragraph.
    const auto items = all_of(tree, SemanticRole::list_item);
    ASSERT_EQ(items.size(), expected.size());
    bool passage = false;
    for (const SemanticNode* p : all_of(tree, SemanticRole::paragraph))
        if (inside(tree, *p, SemanticRole::list_item) && p->name.find("parcel") != std::string::npos) passage = true;
    EXPECT_TRUE(passage) << "a result's passage mentioning the word";

    // The live region's message follows the results (the mirror speaks it when it changes).
    EXPECT_EQ(tree.announcement, std::to_string(expected.size()) + " results for parcel");
    ui.type("s");
    ui.frame();
    EXPECT_EQ(tree.announcement, std::to_string(ui.hit_slugs().size()) + " results for parcels");
    ui.type(" zqxv");
    ui.frame();
    EXPECT_NE(tree.announcement.find("No policy has the word \"zqxv\""), std::string::npos) << tree.announcement;
}

TEST(Semantics, AnArticleHasItsHeadingsListsTablesAndLinks) {
    UiHarness ui;
    const Article a = make_article(
        "limits", "Approval limits", "Refunds and returns", {"approval"}, "Finance",
        "Who can approve.\n\n## Limits by role\n\n| role | up to |\n|---|---|\n| advisor | $25 |\n| manager | $500 |\n\n"
        "## Steps\n\n1. Add up the case.\n2. Ask the next level.\n\nSee [Damaged deliveries](damaged-deliveries.md).");
    const auto saved = save_article(*ui.db, a);
    ASSERT_TRUE(saved) << saved.error();
    ui::open_article(ui.state, *ui.library, "limits");
    ui.frame(3);
    const auto& tree = ui.state.semantics;
    expect_well_formed(tree, "article");
    EXPECT_NE(tree.find("Approval limits", SemanticRole::main), nullptr) << "the main landmark is the article";
    const SemanticNode* title = tree.find("Approval limits", SemanticRole::heading);
    ASSERT_NE(title, nullptr);
    EXPECT_EQ(title->level, 1);
    const SemanticNode* section = tree.find("Limits by role", SemanticRole::heading);
    ASSERT_NE(section, nullptr);
    EXPECT_EQ(section->level, 2);
    ASSERT_NE(tree.find("", SemanticRole::table), nullptr);
    const SemanticNode* header = tree.find("role", SemanticRole::column_header);
    ASSERT_NE(header, nullptr);
    const SemanticNode* cell = tree.find("$500", SemanticRole::cell);
    ASSERT_NE(cell, nullptr);
    EXPECT_TRUE(inside(tree, *cell, SemanticRole::row) && inside(tree, *cell, SemanticRole::table));
    const SemanticNode* step = tree.find("", SemanticRole::list);
    ASSERT_NE(step, nullptr);
    const auto items = all_of(tree, SemanticRole::list_item);
    EXPECT_GE(items.size(), 2u);
    const SemanticNode* link = tree.find("Damaged deliveries", SemanticRole::link);
    ASSERT_NE(link, nullptr);
    EXPECT_EQ(link->target, "#/a/damaged-deliveries");
    EXPECT_TRUE(link->focusable);

    // A tap where the mirror puts the link follows it (the twin's click does this).
    ASSERT_TRUE(link->visible);
    ui.click(link->vx + link->vw / 2, link->vy + link->vh / 2);
    ui.frame();
    EXPECT_EQ(ui.state.reader.slug, "damaged-deliveries");
}

TEST(Semantics, IdsStayPutAndTheFingerprintMovesOnlyWithWhatIsShown) {
    UiHarness ui;
    ui.type("parcel");
    ui.frame(2);
    const auto& tree = ui.state.semantics;
    const uint64_t before = ui::semantics_fingerprint(tree);
    const SemanticNode* link = tree.find("Damaged deliveries", SemanticRole::link);
    ASSERT_NE(link, nullptr);
    const uint32_t id = link->id;
    const std::string json = ui::semantics_json(tree);
    ui.frame(3);
    EXPECT_EQ(ui::semantics_fingerprint(tree), before) << "nothing changed, nothing to send";
    EXPECT_EQ(ui::semantics_json(tree), json);
    EXPECT_EQ(tree.find("Damaged deliveries", SemanticRole::link)->id, id) << "the same link keeps its id";
    ui.type("s");
    ui.frame(2);
    EXPECT_NE(ui::semantics_fingerprint(tree), before) << "a new query is a new tree";
    // The mirror's JSON carries each node as [id, parent, role, level, flags, name, value, ...].
    const auto parsed = nlohmann::json::parse(ui::semantics_json(tree));
    ASSERT_EQ(parsed["nodes"].size(), static_cast<size_t>(tree.size));
    const auto& field = *std::find_if(parsed["nodes"].begin(), parsed["nodes"].end(), [](const nlohmann::json& n) { return n[2] == "textbox"; });
    EXPECT_EQ(field[5], "Search");
    EXPECT_EQ(field[6], "parcels");
}

TEST(Semantics, TheDisplayDialogHasToggles) {
    UiHarness ui;
    ui.frame(2);
    ASSERT_TRUE(ui.click_widget("Display settings")) << "the display button is there by its name";
    ui.frame(2);
    const auto& tree = ui.state.semantics;
    expect_well_formed(tree, "display");
    const auto dialogs = all_of(tree, SemanticRole::dialog);
    ASSERT_EQ(dialogs.size(), 1u);
    int toggles = 0;
    for (const SemanticNode* t : all_of(tree, SemanticRole::toggle))
        if (inside(tree, *t, SemanticRole::dialog)) ++toggles;
    EXPECT_GE(toggles, 2) << "text sizes and the theme are toggles in the dialog";
}

}  // namespace
}  // namespace handbook::test

namespace handbook::test {
namespace {

TEST(Semantics, TheSyncStateHasALiveRegionOfItsOwn) {
    UiHarness ui;
    ui.type("parcel");
    ui.state.sync.offline = true;
    ui.frame(2);
    const auto& tree = ui.state.semantics;
    EXPECT_EQ(tree.status_announcement.rfind("Offline", 0), 0u) << tree.status_announcement;
    EXPECT_NE(tree.announcement.find("results for parcel"), std::string::npos) << "the results are still said in theirs";
    ui.state.sync.offline = false;
    ui.state.sync.message = "The server sent something this app cannot read";
    ui.frame(2);
    EXPECT_NE(tree.status_announcement.find("cannot read"), std::string::npos) << tree.status_announcement;
    const auto parsed = nlohmann::json::parse(ui::semantics_json(tree));
    EXPECT_EQ(parsed["status"], tree.status_announcement);
}

}  // namespace
}  // namespace handbook::test
