// See browser_page.h for what this implements and its known limitations.
#include "browser_page.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdlib>

namespace {

handbook::web::PageHooks g_hooks;

EM_JS(char*, js_utc_now, (), {
    const text = new Date().toISOString().slice(0, 19) + 'Z';  // to the second
    const len = lengthBytesUTF8(text) + 1;
    const ptr = _malloc(len);
    stringToUTF8(text, ptr, len);
    return ptr;
});

EM_JS(double, js_random_unit, (), { return Math.random(); });
EM_JS(void, js_random_hex, (char* out, int bytes), {
    const b = new Uint8Array(bytes);
    crypto.getRandomValues(b);
    let s = String();
    for (const x of b) s += (x + 256).toString(16).slice(1);
    stringToUTF8(s, out, bytes * 2 + 1);
});
EM_JS(double, js_date_now, (), { return Date.now(); });

EM_JS(char*, js_page_meta, (const char* name), {
    const el = document.querySelector('meta[name="' + UTF8ToString(name) + '"]');
    const text = el ? el.content : "";
    const len = lengthBytesUTF8(text) + 1;
    const ptr = _malloc(len);
    stringToUTF8(text, ptr, len);
    return ptr;
});

EM_JS(char*, js_current_hash, (), {
    const h = location.hash || '#/';
    const len = lengthBytesUTF8(h) + 1;
    const ptr = _malloc(len);
    stringToUTF8(h, ptr, len);
    return ptr;
});

EM_JS(void, js_set_hash, (const char* hash, int push), {
    const h = UTF8ToString(hash);
    if (location.hash === h) return;
    if (push) history.pushState(null, "", h);
    else history.replaceState(null, "", h);
});

EM_JS(void, js_open_new_tab, (const char* url), { window.open(UTF8ToString(url), '_blank', 'noopener'); });

EM_JS(void, js_write_clipboard, (const char* text), {
    const t = UTF8ToString(text);
    const fallback = () => {
        const area = document.createElement('textarea');
        area.value = t;
        area.style.cssText = 'position:fixed;left:-1000px;top:0;opacity:0;';
        document.body.appendChild(area);
        area.select();
        try { document.execCommand('copy'); } catch (e) {}
        area.remove();
        const input = document.getElementById('handbook-text');
        if (input && Module.hbWantText) input.focus({preventScroll: true});
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(t).catch(fallback);
    else fallback();
});

EM_JS(char*, js_app_url, (), {
    const u = location.href.split('#')[0];
    const len = lengthBytesUTF8(u) + 1;
    const ptr = _malloc(len);
    stringToUTF8(u, ptr, len);
    return ptr;
});

EM_JS(void, js_set_cursor, (const char* cursor), {
    const c = UTF8ToString(cursor);
    if (Module.canvas && Module.canvas.style.cursor !== c) Module.canvas.style.cursor = c;
});

EM_JS(int, js_touch_is_primary, (), {
    return window.matchMedia && window.matchMedia('(pointer: coarse)').matches ? 1 : 0;
});

EM_JS(int, js_prefers_reduced_motion, (), {
    return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 1 : 0;
});

EM_JS(void, js_install_page, (), {
    const send = (h) => {
        const len = lengthBytesUTF8(h) + 1;
        const ptr = _malloc(len);
        stringToUTF8(h, ptr, len);
        _handbook_hash_changed(ptr);
        _free(ptr);
    };
    window.addEventListener('hashchange', () => send(location.hash || '#/'));
    window.addEventListener('popstate', () => send(location.hash || '#/'));
    window.addEventListener('online', () => _handbook_network_back());
    window.addEventListener('offline', () => _handbook_network_gone());
    document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') _handbook_network_back();
    });
    // A ratio change without a resize (moving the window to another screen).
    const watchRatio = () => {
        if (!window.matchMedia) return;
        const mq = window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
        const onChange = () => { _handbook_resized(); watchRatio(); };
        if (mq.addEventListener) mq.addEventListener('change', onChange, {once: true});
    };
    watchRatio();
    if (window.ResizeObserver && Module.canvas) new ResizeObserver(() => _handbook_resized()).observe(Module.canvas);

    // The state is described only when a test reads it after a frame was drawn: making
    // it at every frame cost a typing frame in a long policy a tenth of its time.
    Module.hbState = {frame: 0, parsed: {}, ready: false};
    const state = () => {
        const s = Module.hbState;
        if (s.parsedFrame !== s.frame) {
            s.parsed = JSON.parse(UTF8ToString(_handbook_test_state()));
            s.parsedFrame = s.frame;
        }
        return s.parsed;
    };
    // Read-only view for the browser tests; the UI is driven by real input events.
    window.handbook = Object.freeze({
        screen: () => state().screen || 'home',
        hits: () => (state().hits || []).slice(),
        article: () => state().article || "",
        query: () => state().query || "",
        ready: () => Module.hbState.ready,
        widgets: () => (state().widgets || []).map((w) => Object.assign({}, w)),
        offline: () => !!state().offline,
        sync: () => ({offline: !!state().offline, confirmedAt: state().confirmedAt || "", asOf: state().asOf || "", message: state().syncMessage || ""}),
        frames: () => state().frames || 0,
        fontsPending: () => Module.hbFontsPending || 0,
        section: () => state().section || "",
        settings: () => ({dark: !!state().dark, textSize: state().textSize === undefined ? 1 : state().textSize}),
        focusRing: () => (state().focusRing ? Object.assign({}, state().focusRing) : null),
        selection: () => state().selection || "",
        texts: () => (state().texts || []).map((t) => Object.assign({}, t)),
        unknownWords: () => (state().unknownWords || []).slice(),
        showingResultsFor: () => state().showingResultsFor || "",
        editor: () => (state().editor ? JSON.parse(JSON.stringify(state().editor)) : null),
    });
});

void (*g_after_paint)() = nullptr;

// The animation frame callback runs before the frame is painted; a task queued from it
// runs after.
EM_JS(void, js_call_after_next_paint, (), {
    requestAnimationFrame(() => setTimeout(() => _handbook_after_paint(), 0));
});

EM_JS(void, js_mark_start_up, (const char* what), { performance.mark('handbook: ' + UTF8ToString(what)); });

EM_JS(void, js_first_frame_drawn, (), {
    if (Module.onFirstFrame) Module.onFirstFrame();
});

// Also called before install_page (start-up bakes the fonts first): kept apart from hbState.
EM_JS(void, js_publish_fonts_pending, (int faces), { Module.hbFontsPending = faces; });

EM_JS(void, js_test_state_drawn, (int ready), {
    Module.hbState.frame++;
    if (ready && !Module.hbState.ready) {
        Module.hbState.ready = true;
        document.dispatchEvent(new CustomEvent('handbook-ready'));
    }
});

std::string take_string(char* ptr) {
    std::string s = ptr ? ptr : "";
    std::free(ptr);
    return s;
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void*) {
    if (g_hooks.resized) g_hooks.resized();
    return EM_FALSE;
}

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_after_paint() {
    void (*fn)() = g_after_paint;
    g_after_paint = nullptr;
    if (fn) fn();
}
extern "C" EMSCRIPTEN_KEEPALIVE void handbook_hash_changed(const char* hash) {
    if (g_hooks.hash_changed) g_hooks.hash_changed(hash);
}
extern "C" EMSCRIPTEN_KEEPALIVE void handbook_resized() {
    if (g_hooks.resized) g_hooks.resized();
}
extern "C" EMSCRIPTEN_KEEPALIVE void handbook_network_gone() {
    if (g_hooks.network_gone) g_hooks.network_gone();
}

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_network_back() {
    if (g_hooks.network_back) g_hooks.network_back();
}

namespace handbook::web {

CanvasSize fit_canvas() {
    CanvasSize size;
    double w = 0, h = 0;
    emscripten_get_element_css_size("#canvas", &w, &h);
    size.css_width = static_cast<float>(w);
    size.css_height = static_cast<float>(h);
    size.pixel_ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
    if (size.pixel_ratio <= 0) size.pixel_ratio = 1;
    int bw = static_cast<int>(w * size.pixel_ratio + 0.5), bh = static_cast<int>(h * size.pixel_ratio + 0.5);
    int cw = 0, ch = 0;
    emscripten_get_canvas_element_size("#canvas", &cw, &ch);
    if (cw != bw || ch != bh) emscripten_set_canvas_element_size("#canvas", bw, bh);
    return size;
}

std::string current_hash() { return take_string(js_current_hash()); }
void set_hash(const std::string& hash, bool push) { js_set_hash(hash.c_str(), push ? 1 : 0); }
void open_new_tab(const std::string& url) { js_open_new_tab(url.c_str()); }
void write_clipboard(const std::string& text) { js_write_clipboard(text.c_str()); }
std::string app_url() { return take_string(js_app_url()); }
void set_cursor(const char* css_cursor) { js_set_cursor(css_cursor); }
bool touch_is_primary() { return js_touch_is_primary() != 0; }
bool prefers_reduced_motion() { return js_prefers_reduced_motion() != 0; }

void install_page(const PageHooks& hooks) {
    g_hooks = hooks;
    emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_resize);
    js_install_page();
}

void call_after_next_paint(void (*fn)()) {
    g_after_paint = fn;
    js_call_after_next_paint();
}

void mark_start_up(const char* what) { js_mark_start_up(what); }

void first_frame_drawn() { js_first_frame_drawn(); }

void publish_fonts_pending(unsigned faces) { js_publish_fonts_pending(static_cast<int>(faces)); }

void test_state_drawn(bool ready) { js_test_state_drawn(ready ? 1 : 0); }

std::string utc_now() {
    char* text = js_utc_now();
    std::string out(text ? text : "");
    std::free(text);
    return out;
}

double random_unit() { return js_random_unit(); }

std::string random_id() {
    char hex[33] = {};
    js_random_hex(hex, 16);
    return std::string("d-") + hex;
}
int64_t device_now_seconds() { return static_cast<int64_t>(js_date_now() / 1000.0); }

std::string page_meta(const char* name) {
    char* text = js_page_meta(name);
    std::string out(text ? text : "");
    std::free(text);
    return out;
}

}  // namespace handbook::web
