// Runs the real UI natively and headless: an ImGui context with no renderer (the
// "null backend": display size, a built font atlas, NewFrame/Render), an in-memory
// store with a few policies, and input fed the way the browser layer feeds it (one
// button change per frame, position first).
#pragma once
#include <imgui.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app.h"
#include "app_state.h"
#include "core/database.h"
#include "core/search.h"

namespace handbook::test {

// A published policy with review dates set, for a test's own store contents.
Article make_article(const std::string& slug, const std::string& title, const std::string& category,
                     std::vector<std::string> tags, const std::string& owner, const std::string& body);

struct UiHarness {
    UiHarness(float width = 1280, float height = 800, bool real_fonts = false);
    ~UiHarness();

    void frame(int count = 1);
    void type(const std::string& text);          // one character per frame
    void press(int key_code);                    // DOM key code, down then up
    void click(float x, float y);                // move, down, up: three frames
    bool click_widget(const std::string& label); // false if no such widget on screen
    const ui::WidgetRect* widget(const std::string& label) const;
    // Gives the app a device store (in memory; drafts, the outbox, verifiers), owned here.
    Database& open_device();
    std::vector<std::string> hit_slugs() const;

    ImGuiContext* context = nullptr;
    std::unique_ptr<Database> db;
    std::unique_ptr<Database> device;  // open_device()
    std::unique_ptr<SearchEngine> engine;
    std::unique_ptr<ui::Library> library;
    ui::AppState state;
    ui::UiPlatform platform;
    std::vector<std::pair<std::string, bool>> routes;  // set_route calls (hash, push)
    std::vector<std::string> copied;
    std::vector<std::string> opened;
    std::vector<ui::Settings> saved_settings;
    mutable std::vector<ui::WidgetRect> widgets_seen;  // what widget() last looked through
};

}  // namespace handbook::test
