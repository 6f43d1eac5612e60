// See browser_storage.h for what this implements and its known limitations.
#include "browser_storage.h"

#include <emscripten.h>

namespace {

void (*g_loaded)(bool) = nullptr;

EM_JS(void, js_load_storage, (), {
    try { FS.mkdir('/data'); } catch (e) {}
    FS.mount(IDBFS, {}, '/data');
    Module.hbSync = {busy: false, again: false, unsaved: false};
    FS.syncfs(true, (err) => {
        if (err) console.warn('Handbook: could not load the saved policies:', err);
        _handbook_storage_loaded(err ? 0 : 1);
    });
    document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden' && Module.hbSync.unsaved) Module.hbSave();
    });
    Module.hbSave = () => {
        const s = Module.hbSync;
        s.unsaved = true;
        if (s.busy) { s.again = true; return; }
        s.busy = true;
        const run = () => FS.syncfs(false, (err) => {
            if (err) console.warn('Handbook: saving the policies failed:', err);
            if (s.again) { s.again = false; run(); return; }
            s.busy = false;
            s.unsaved = !!err;
        });
        run();
    };
    if (navigator.storage && navigator.storage.persist) {
        navigator.storage.persist().then((granted) => { Module.hbPersisted = granted; }).catch(() => {});
    }
});

EM_JS(void, js_save_storage, (), { if (Module.hbSave) Module.hbSave(); });
EM_JS(int, js_storage_saving, (), { return Module.hbSync && (Module.hbSync.busy || Module.hbSync.unsaved) ? 1 : 0; });

EM_JS(void, js_note_store_held, (int held), {
    try {
        if (held) localStorage.setItem('handbook.stored', '1');
        else localStorage.removeItem('handbook.stored');
    } catch (e) {}
});

EM_JS(int, js_load_settings, (), {
    try {
        const s = JSON.parse(localStorage.getItem('handbook.settings') || 'null');
        if (s) return (s.dark ? 1 : 0) | ((s.textSize & 15) << 1) | 0x100;
    } catch (e) {}
    const dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
    return dark ? 1 : 0;
});

EM_JS(void, js_save_settings, (int dark, int text_size), {
    try { localStorage.setItem('handbook.settings', JSON.stringify({dark: !!dark, textSize: text_size})); } catch (e) {}
});

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_storage_loaded(int ok) {
    if (g_loaded) g_loaded(ok != 0);
}

namespace handbook::web {

void load_storage(void (*loaded)(bool ok)) {
    g_loaded = loaded;
    js_load_storage();
}

void save_storage() { js_save_storage(); }
bool storage_saving() { return js_storage_saving() != 0; }

void note_store_held(bool held) { js_note_store_held(held ? 1 : 0); }

ui::Settings load_settings() {
    int bits = js_load_settings();
    ui::Settings s;
    s.dark = (bits & 1) != 0;
    if (bits & 0x100) {
        int size = (bits >> 1) & 15;
        s.text_size = size < ui::kTextSizeCount ? size : 1;
    }
    return s;
}

void save_settings(const ui::Settings& settings) { js_save_settings(settings.dark ? 1 : 0, settings.text_size); }

}  // namespace handbook::web
