// The page around the canvas. Implements: canvas backing size = CSS size x
// devicePixelRatio (crisp text; browser zoom changes the ratio too), the URL hash
// (read, push/replace, back/forward via hashchange and popstate), opening a new tab,
// writing the clipboard (navigator.clipboard, with a textarea fallback), the mouse
// cursor, wake-ups when the network or the page comes back, a call after the next
// paint, and the read-only test hook window.handbook (screen, hits, article, query,
// ready, widgets, sync, fontsPending, section, selection, texts, unknownWords,
// showingResultsFor).
// Known limitations: the canvas is assumed to fill the window at (0, 0) (the shell's
// layout); clipboard writes need a user gesture, which taps and keys provide.
#pragma once
#include <cstdint>
#include <string>

namespace handbook::web {

struct CanvasSize {
    float css_width = 0, css_height = 0;
    float pixel_ratio = 1;
};

// Reads the canvas's CSS size and the ratio, and sizes its backing store to match.
CanvasSize fit_canvas();

std::string current_hash();
void set_hash(const std::string& hash, bool push);
void open_new_tab(const std::string& url);
void write_clipboard(const std::string& text);
std::string app_url();  // location without the hash
void set_cursor(const char* css_cursor);
// A touch screen is the main pointer (a tablet): start with finger-sized controls.
bool touch_is_primary();
// The system asks for less motion (prefers-reduced-motion: reduce): no flick animation.
bool prefers_reduced_motion();
// The device's clock, UTC, ISO 8601 to the second ("2026-12-04T16:50:00Z").
std::string utc_now();
// The device's clock in seconds since 1970 (Date.now).
int64_t device_now_seconds();
// The content of the start page's <meta name="..."> ("" when there is none).
std::string page_meta(const char* name);
// A random number in [0, 1) (Math.random: spreading timers, not secrets).
double random_unit();
// 128 random bits (the browser's crypto), as "d-" and 32 hex digits: ids made on the device.
std::string random_id();

struct PageHooks {
    void (*hash_changed)(const std::string& hash) = nullptr;
    void (*resized)() = nullptr;
    void (*network_back)() = nullptr;  // `online`, or the page became visible again
    void (*network_gone)() = nullptr;  // `offline`: the device has no network at all
};
void install_page(const PageHooks& hooks);

// Calls `fn` once the browser has put what is drawn now on screen (in a task after the
// next animation frame): for work that should not delay those pixels.
void call_after_next_paint(void (*fn)());

// A named moment of the start-up on the page's timeline (performance.mark "handbook:
// <what>"): the browser benchmark's trace and DevTools show where the first visit's time
// goes between them (bench/README.md, "Where a first visit's time goes").
void mark_start_up(const char* what);

// The app has drawn its first frame: the shell takes its loading panel away
// (Module.onFirstFrame, web/shell.js).
void first_frame_drawn();

// Tells the test hook which faces still stand in (ui::LaterFace bits; 0: all baked).
void publish_fonts_pending(unsigned faces);

// Tells the test hook a frame was drawn (and, once, that the app is ready): the hook then
// asks for the state (handbook_test_state in main.cpp) when a test reads it.
void test_state_drawn(bool ready);

}  // namespace handbook::web
