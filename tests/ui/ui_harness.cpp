#include "ui_harness.h"

#include "core/device_store.h"

#include "app_actions.h"
#include "core/article_store.h"
#include "core/schema.h"
#include "fonts.h"
#include "theme.h"

namespace handbook::test {

Article make_article(const std::string& slug, const std::string& title, const std::string& category,
                std::vector<std::string> tags, const std::string& owner, const std::string& body) {
    Article a;
    a.slug = slug;
    a.title = title;
    a.category = category;
    a.tags = std::move(tags);
    a.owner = owner;
    a.effective = "2026-01-15";
    a.review_by = "2027-01-15";
    a.status = "published";
    a.body = body;
    return a;
}


UiHarness::UiHarness(float width, float height, bool real_fonts) {
    auto store = open_store(":memory:");
    if (!store) throw std::runtime_error(store.error());
    db = std::move(*store);
    const Article articles[] = {
        make_article("damaged-deliveries", "Damaged deliveries", "Delivery and escalation", {"damaged", "parcel"}, "Logistics",
                "When a parcel arrives broken, offer a **replacement or refund**.\n\n"
                "## Step by step\n\n1. Ask for photos.\n2. Offer a refund.\n\nSee [Refunds without a receipt](refunds-without-receipt.md)."),
        make_article("refunds-without-receipt", "Refunds without a receipt", "Refunds and returns", {"refund", "receipt"},
                "Customer Service", "A refund without a receipt is given as store credit.\n\nBack to [damaged parcels](damaged-deliveries.md)."),
        make_article("complaint-handling", "Complaint handling", "Complaints", {"complaint"}, "Customer Service",
                "Listen first, then apologise. Confirm the customer is satisfied."),
        make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late", "parcel"}, "Logistics",
                "A parcel that is late by two days gets a delivery refund."),
    };
    for (const Article& a : articles) {
        auto saved = save_article(*db, a);
        if (!saved) throw std::runtime_error(saved.error());
    }
    auto created = SearchEngine::create(*db);
    if (!created) throw std::runtime_error(created.error());
    engine = std::move(*created);
    library = std::make_unique<ui::Library>(ui::Library{*db, *engine});

    context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60;
    io.ConfigInputTextCursorBlink = false;
    io.KeyMap[ImGuiKey_Enter] = 13;
    io.KeyMap[ImGuiKey_Escape] = 27;
    io.KeyMap[ImGuiKey_UpArrow] = 38;
    io.KeyMap[ImGuiKey_DownArrow] = 40;
    io.KeyMap[ImGuiKey_Backspace] = 8;
    io.KeyMap[ImGuiKey_Tab] = 9;
    io.KeyMap[ImGuiKey_PageDown] = 34;
    io.KeyMap[ImGuiKey_End] = 35;
    io.KeyMap[ImGuiKey_Home] = 36;
    io.KeyMap[ImGuiKey_C] = 67;
    io.KeyMap[ImGuiKey_LeftArrow] = 37;
    io.KeyMap[ImGuiKey_RightArrow] = 39;
    io.KeyMap[ImGuiKey_Delete] = 46;
    io.KeyMap[ImGuiKey_A] = 65;
    io.KeyMap[ImGuiKey_V] = 86;
    io.KeyMap[ImGuiKey_X] = 88;
    io.KeyMap[ImGuiKey_Y] = 89;
    io.KeyMap[ImGuiKey_Z] = 90;
    ui::FontFiles files = real_fonts ? ui::FontFiles{"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                                                     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
                                                     "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf",
                                                     "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf"}
                                     : ui::FontFiles{};
    state.fonts = ui::build_fonts(*io.Fonts, files, 16, 1);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // the null renderer: built, never uploaded
    ui::apply_theme(false, false);

    platform.set_route = [this](const std::string& hash, bool push) { routes.emplace_back(hash, push); };
    platform.copy_text = [this](const std::string& text) { copied.push_back(text); };
    platform.open_external = [this](const std::string& url) { opened.push_back(url); };
    platform.save_settings = [this](const ui::Settings& s) { saved_settings.push_back(s); };
    platform.app_url = "https://handbook.example/";
    ui::load_home(state, *library);
    frame(2);
}

UiHarness::~UiHarness() { ImGui::DestroyContext(context); }

Database& UiHarness::open_device() {
    auto store = open_device_store(":memory:");
    if (!store) throw std::runtime_error(store.error());
    device = std::move(*store);
    library->device = device.get();
    return *device;
}

void UiHarness::frame(int count) {
    for (int i = 0; i < count; ++i) {
        ImGui::NewFrame();
        ui::draw_app(state, *library, platform);
        ImGui::Render();
    }
}

void UiHarness::type(const std::string& text) {
    // One character (a whole UTF-8 sequence) per frame, as the browser sends them.
    for (size_t i = 0; i < text.size();) {
        size_t n = 1;
        const unsigned char lead = static_cast<unsigned char>(text[i]);
        if (lead >= 0xF0) n = 4;
        else if (lead >= 0xE0) n = 3;
        else if (lead >= 0xC0) n = 2;
        ImGui::GetIO().AddInputCharactersUTF8(text.substr(i, n).c_str());
        frame();
        i += n;
    }
}

void UiHarness::press(int key_code) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key_code] = true;
    frame();
    io.KeysDown[key_code] = false;
    frame();
}

void UiHarness::click(float x, float y) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    frame();
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
}

const ui::WidgetRect* UiHarness::widget(const std::string& label) const {
    widgets_seen = ui::visible_widgets(state.semantics);
    for (const ui::WidgetRect& w : widgets_seen)
        if (w.label == label) return &w;
    return nullptr;
}

bool UiHarness::click_widget(const std::string& label) {
    const ui::WidgetRect* w = widget(label);
    if (!w) return false;
    float x = w->x + w->w / 2, y = w->y + w->h / 2;
    click(x, y);
    return true;
}

std::vector<std::string> UiHarness::hit_slugs() const {
    std::vector<std::string> out;
    for (const SearchHit& h : state.search.results.hits) out.push_back(h.slug);
    return out;
}

}  // namespace handbook::test
