// What the UI asks of its host: the browser (src/web) or a test. The UI never calls
// the platform directly, so it runs natively and headless; any callback may be empty.
#pragma once
#include <functional>
#include <string>

namespace handbook::ui {

struct Settings {
    bool dark = false;
    int text_size = 1;  // index into kTextScales
};

inline constexpr float kTextScales[] = {0.875f, 1.0f, 1.125f, 1.25f, 1.5f};
inline constexpr int kTextSizeCount = 5;

struct UiPlatform {
    std::function<void(const std::string& url)> open_external;    // a new browser tab
    std::function<void(const std::string& text)> copy_text;       // to the system clipboard
    std::function<void(const std::string& hash, bool push)> set_route;  // "#/a/slug"; push = new history entry
    std::function<void(const Settings&)> save_settings;
    // The server's JSON API (src/server/api.h): method, path, JSON body ("" for none); the
    // answer comes later, on the UI's thread, as the HTTP status (0: the server could not be
    // reached) and the body.
    std::function<void(const std::string& method, const std::string& path, const std::string& body,
                       std::function<void(int status, const std::string& body)> answer)>
        api;
    // The device's own store changed (a draft kept): the host makes it last (IndexedDB).
    std::function<void()> persist;
    // Something was published from this device: the host asks the server for it now.
    std::function<void()> content_changed;
    std::function<std::string()> new_id;   // a random id (drafts made here)
    std::function<std::string()> now_utc;  // the device's clock, "2026-12-06T10:00:00Z"
    std::string app_url;  // the app's address without the hash, for "copy link"
};

}  // namespace handbook::ui
