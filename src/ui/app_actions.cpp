#include "app_actions.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <map>

#include "core/article_store.h"
#include "core/plain_text.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

void set_box_text(AppState& state, const std::string& text) {
    auto& box = state.search.box;
    size_t n = std::min(text.size(), box.size() - 1);
    std::copy_n(text.data(), n, box.data());
    box[n] = '\0';
    // ImGui keeps its own copy of the text while the box is being edited: let go of it
    // so the new text shows, and take the focus back next frame.
    if (ImGui::GetCurrentContext() && state.search.box_active) {
        ImGui::ClearActiveID();
        state.search.focus_box = true;
    }
}

// Browsing a category or tag (no words) has no matched passage to show: show how
// the article begins instead, cut at a word.
void fill_missing_snippets(SearchResults& results, Library& library) {
    constexpr size_t kSummaryBytes = 180;
    for (SearchHit& hit : results.hits) {
        if (!hit.snippet.empty()) continue;
        auto found = get_article(library.db, hit.slug);
        if (!found || !found->has_value()) continue;
        std::string text = one_line_passage(markdown_to_plain_text((*found)->article.body));
        if (text.size() > kSummaryBytes) {
            size_t cut = text.rfind(' ', kSummaryBytes);
            text.resize(cut == std::string::npos ? kSummaryBytes : cut);
            while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
            text += "\xE2\x80\xA6";
        }
        hit.snippet = std::move(text);
        hit.snippet_highlights.clear();
    }
}

void run_search(AppState& state, Library& library) {
    SearchState& s = state.search;
    s.selected = -1;
    s.error.clear();
    if (s.query.empty() && s.category.empty() && s.tag.empty()) {
        s.results = {};
        state.screen = Screen::home;
        return;
    }
    state.screen = Screen::search;
    SearchQuery q;
    q.text = s.query;
    q.category = s.category;
    q.tag = s.tag;
    q.limit = kResultLimit;
    q.passages = kPassagesAtOnce;
    q.as_you_type = true;
    auto results = library.engine.search(q);
    if (!results) {
        s.results = {};
        s.error = results.error();
        return;
    }
    s.results = std::move(*results);
    if (s.query.empty()) fill_missing_snippets(s.results, library);
    s.selected = s.results.hits.empty() ? -1 : 0;
}

}  // namespace

void set_query(AppState& state, Library& library, std::string text) {
    if (text.size() > kMaxQueryBytes) text.resize(kMaxQueryBytes);
    if (!is_valid_utf8(text)) text.clear();
    state.search.query = text;
    if (std::string(state.search.box.data()) != text) set_box_text(state, text);
    run_search(state, library);
}

void set_filters(AppState& state, Library& library, std::string category, std::string tag) {
    state.search.category = std::move(category);
    state.search.tag = std::move(tag);
    run_search(state, library);
}

void open_article(AppState& state, Library& library, const std::string& slug) {
    ReaderState& r = state.reader;
    r.slug = slug;
    r.selected_block = -1;
    r.error.clear();
    r.scroll_to_top = true;
    r.terms = state.search.query.empty() ? std::vector<std::string>{} : state.search.results.terms;
    auto found = get_article(library.db, slug);
    if (!found) {
        r.article.reset();
        r.document = {};
        r.error = found.error();
    } else if (!found->has_value()) {
        r.article.reset();
        r.document = {};
        r.error = "There is no policy called \"" + slug + "\" on this device. It may have been renamed or removed.";
    } else {
        r.article = std::move(**found);
        r.document = parse_markdown(r.article->article.body);
    }
    r.upcoming.clear();
    r.reading_upcoming = 0;
    r.show_changes = false;
    r.confirm_open = r.confirm_busy = false;
    r.confirm_message.clear();
    r.as_of_open = false;
    r.as_of.clear();
    r.as_of_version.reset();
    r.as_of_message.clear();
    if (r.article && r.article->article.status != "upcoming") {
        auto later = upcoming_versions(library.db, slug);
        if (later) r.upcoming = std::move(*later);
    }
    state.screen = Screen::article;
    state.scroll = {};
    // Reading, not typing: let go of the search box (a tablet closes its keyboard).
    if (ImGui::GetCurrentContext() && state.search.box_active) ImGui::ClearActiveID();
}

namespace {

// The reader shows another text of the same article (a version to come, or the one in
// force on a day): a new document, nothing selected, from its top.
void show_other_version(ReaderState& r, const std::string& body) {
    r.show_changes = false;
    r.document = parse_markdown(body);
    r.selected_block = -1;
    r.selection = {};
    r.scroll_to_top = true;
}

}  // namespace

void read_upcoming_version(AppState& state, int version) {
    ReaderState& r = state.reader;
    if (!r.article) return;
    const std::string* body = version == 0 ? &r.article->article.body : nullptr;
    for (const ArticleVersion& v : r.upcoming)
        if (v.version == version) body = &v.article.body;
    if (!body) return;  // in force by now (or gone): the reader stays on the version in force
    r.reading_upcoming = version;
    r.as_of.clear();
    r.as_of_version.reset();
    show_other_version(r, *body);
}

void read_as_in_force(AppState& state, Library& library, const std::string& date) {
    ReaderState& r = state.reader;
    if (!r.article) return;
    r.as_of_message.clear();
    if (date.empty()) {
        r.as_of_open = false;
        r.as_of.clear();
        r.as_of_version.reset();
        read_upcoming_version(state, 0);
        return;
    }
    auto found = version_in_force(library.db, r.slug, date);
    if (!found) {
        r.as_of_message = "Enter the date as YYYY-MM-DD, for example 2026-06-01.";
        return;
    }
    if (!found->has_value()) {
        r.as_of_message = "This policy was not in force on " + format_date(date) + " (no version of it on this device was).";
        return;
    }
    r.reading_upcoming = 0;
    r.as_of = date;
    r.as_of_version = std::move(**found);
    show_other_version(r, r.as_of_version->article.body);
}

void go_home(AppState& state, Library& library) {
    state.search.category.clear();
    state.search.tag.clear();
    set_query(state, library, "");
    state.screen = Screen::home;
    state.search.focus_box = true;
}

Route current_route(const AppState& state) {
    Route r;
    r.screen = state.screen;
    if (state.screen == Screen::search) {
        r.query = state.search.query;
        r.category = state.search.category;
        r.tag = state.search.tag;
    } else if (state.screen == Screen::article) {
        r.slug = state.reader.slug;
    } else if (state.screen == Screen::edit) {
        r.slug = state.editor.start_slug;
        if (state.editor.edits_saved > 0) r.draft = state.editor.client_id;
    } else if (state.screen == Screen::review) {
        r.review = state.review.id;
    } else if (state.screen == Screen::history) {
        r.slug = state.history.slug;
    } else if (state.screen == Screen::report) {
        r.slug = state.report.shown.slug;
    }
    return r;
}

void open_sign_in(AppState& state) {
    if (state.screen != Screen::sign_in) state.before_sign_in = current_route(state);
    state.sign_in = SignInForm{};
    state.screen = Screen::sign_in;
}

void apply_route(AppState& state, Library& library, const Route& route, const UiPlatform& platform) {
    if (state.screen == Screen::edit && !(route == current_route(state)) && !may_leave_editor(state, route)) {
        // Changes typed: the person is asked first (editor.h). The address bar goes back
        // to the editor (draw_app sets it again).
        state.shown_route = Route{};  // (home: never the editor's route)
        return;
    }
    if (state.screen == Screen::edit && route.screen != Screen::edit) {
        save_editor_now(state, library, platform, ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0);
        state.editor.open = false;
    }
    switch (route.screen) {
    case Screen::home:
        go_home(state, library);
        break;
    case Screen::search:
        state.search.category = route.category;
        state.search.tag = route.tag;
        set_query(state, library, route.query);
        state.search.focus_box = true;
        break;
    case Screen::article:
        open_article(state, library, route.slug);
        break;
    case Screen::sign_in:
        open_sign_in(state);
        break;
    case Screen::edit:
        if (!route.draft.empty() && route.slug.empty()) open_local_draft(state, library, route.draft);
        else open_editor(state, library, route.slug);
        break;
    case Screen::news:
        open_news(state, library);
        load_acknowledgement_reports(state, platform);
        load_frequent_misses(state, platform);
        break;
    case Screen::report:
        state.report.shown = {};
        state.report.shown.slug = route.slug;
        state.screen = Screen::report;
        state.scroll = {};
        load_acknowledgement_reports(state, platform, route.slug);
        break;
    case Screen::drafts:
        open_my_drafts(state, library, platform);
        break;
    case Screen::review:
        if (route.review > 0) open_review(state, library, platform, route.review);
        else open_review_list(state, library, platform);
        break;
    case Screen::history:
        open_history(state, library, platform, route.slug);
        break;
    }
    state.shown_route = current_route(state);
}

void navigate(AppState& state, Library& library, const Route& route, const UiPlatform& platform) {
    const Route before = state.shown_route;
    apply_route(state, library, route, platform);
    // apply_route takes the route as already in the address bar (the host's case); a tap's
    // is not yet: draw_app sets it when it differs from what the bar shows.
    if (state.shown_route == current_route(state)) state.shown_route = before;
}

void load_home(AppState& state, Library& library) {
    HomeData home;
    auto articles = list_articles(library.db, false);
    if (!articles) home.error = articles.error();
    if (articles) {
        std::map<std::string, int> categories, tags;
        for (StoredArticle& a : *articles) {
            if (a.article.status != "published") continue;
            home.article_count++;
            categories[a.article.category]++;
            for (const std::string& t : a.article.tags) tags[t]++;
            home.recent.push_back(std::move(a));
        }
        std::sort(home.recent.begin(), home.recent.end(), [](const StoredArticle& a, const StoredArticle& b) {
            if (a.updated_at != b.updated_at) return a.updated_at > b.updated_at;
            return a.article.effective > b.article.effective;
        });
        if (!home.recent.empty()) home.last_updated = home.recent.front().updated_at;
        if (home.recent.size() > 6) home.recent.resize(6);
        for (auto& [name, n] : categories) home.categories.push_back({name, n});
        for (auto& [name, n] : tags) home.tags.push_back({name, n});
        // Most used tags first: the long tail of single-use tags helps nobody browse.
        std::stable_sort(home.tags.begin(), home.tags.end(),
                         [](const CountedName& a, const CountedName& b) { return a.count > b.count; });
    }
    state.home = std::move(home);
    state.sync.have_data = state.home.article_count > 0;
}

void refresh_content(AppState& state, Library& library) {
    load_home(state, library);
    load_news(state, library);
    if (state.screen == Screen::search) {
        int selected = state.search.selected;
        run_search(state, library);
        if (selected >= 0 && selected < static_cast<int>(state.search.results.hits.size())) state.search.selected = selected;
    } else if (state.screen == Screen::article && !state.reader.slug.empty()) {
        auto terms = state.reader.terms;
        int selected = state.reader.selected_block;
        const int reading = state.reader.reading_upcoming;
        const std::string as_of = state.reader.as_of;
        open_article(state, library, state.reader.slug);
        state.reader.terms = terms;
        state.reader.scroll_to_top = false;
        state.reader.selected_block = selected;
        if (reading) read_upcoming_version(state, reading);  // still to come: still shown
        if (!as_of.empty()) read_as_in_force(state, library, as_of);
        state.reader.scroll_to_top = false;
    }
    // An editor open on a policy that just moved on says so at its next frame.
    state.editor.live_unknown = true;
    state.animating = true;
}

void cancel_pointer_press(AppState& state) {
    cancel_touch_press(state.scroll);
    state.reader.selection.pending = state.reader.selection.dragging = false;
}

bool step_text_size(AppState& state, const UiPlatform& platform, int step) {
    const int size = std::clamp(state.settings.text_size + step, 0, kTextSizeCount - 1);
    if (size == state.settings.text_size) return false;
    state.settings.text_size = size;
    state.settings_changed = true;
    if (platform.save_settings) platform.save_settings(state.settings);
    return true;
}

void copy_with_toast(AppState& state, const UiPlatform& platform, const std::string& text, const std::string& toast) {
    if (platform.copy_text) platform.copy_text(text);
    state.toast = toast;
    state.toast_until = ImGui::GetCurrentContext() ? ImGui::GetTime() + 2.0 : 0;
}

}  // namespace handbook::ui
