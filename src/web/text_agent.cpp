// See text_agent.h for what this implements and its known limitations.
#include "text_agent.h"

#include <emscripten.h>

#include <string>

#include "browser_input.h"

extern "C" void handbook_pump_frames();

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_text_input(const char* utf8) {
    handbook::web::queue_text(utf8);
    handbook_pump_frames();
}

// A key the soft keyboard sent only as an edit (`beforeinput`), never as a key event:
// Android's keyboards report every key as keyCode 229, so Backspace arrives this way.
extern "C" EMSCRIPTEN_KEEPALIVE void handbook_text_key(int dom_key_code) {
    handbook::web::queue_key_press(dom_key_code);
    handbook_pump_frames();
}

namespace {

EM_JS(void, js_install_text_agent, (), {
    // The text agent's behaviour, for any <input> or <textarea>: the hidden one below, and
    // the accessible twin's text fields (semantics_mirror.cpp), which take typing the same way.
    Module.hbAttachTextAgent = (input) => {
        input.dataset.agent = '1';
        input.setAttribute('autocomplete', 'off');
        input.setAttribute('autocorrect', 'off');
        input.setAttribute('autocapitalize', 'off');
        input.setAttribute('spellcheck', 'false');
        // The input always holds one space before the caret while it takes typing: a soft
        // keyboard sends Backspace in an empty field as nothing at all (no key, no edit);
        // with something to delete it sends `beforeinput` deleteContentBackward.
        const SENTINEL = ' ';
        // Setting the value puts the caret at its end; placing it again only when it is not
        // there (setSelectionRange makes the browser lay out the page at once: a
        // millisecond of every typed key, beside a long policy's accessible twin).
        const reset = () => {
            input.value = SENTINEL;
            if (input.selectionStart !== 1 || input.selectionEnd !== 1) {
                try { input.setSelectionRange(1, 1); } catch (e) {}
            }
        };
        let composing = false;
        const send = (text) => {
            if (!text) return;
            if (input.dataset.twin) _handbook_twin_focused(Number(input.dataset.twin));  // (see browser_input.cpp)
            const len = lengthBytesUTF8(text) + 1;
            const ptr = _malloc(len);
            stringToUTF8(text, ptr, len);
            _handbook_text_input(ptr);
            _free(ptr);
        };
        const typed = () => (input.value.startsWith(SENTINEL) ? input.value.slice(SENTINEL.length) : input.value);
        // Edits that are keys to the app (DOM key codes): Backspace, Delete, Enter.
        const editKeys = {deleteContentBackward: 8, deleteWordBackward: 8, deleteContentForward: 46, insertLineBreak: 13};
        input.addEventListener('beforeinput', (e) => {
            if (composing || e.isComposing) return;
            const key = editKeys[e.inputType];
            if (key === undefined) return;
            e.preventDefault();  // the app edits its own text; the sentinel stays
            _handbook_text_key(key);
        });
        input.addEventListener('compositionstart', () => { composing = true; });
        input.addEventListener('compositionend', (e) => {
            composing = false;
            send(typed());
            reset();
        });
        input.addEventListener('input', (e) => {
            if (composing || e.isComposing) return;
            // A deletion that got past beforeinput (old browsers) took the sentinel: a Backspace.
            if (!input.value.startsWith(SENTINEL) && e.inputType && e.inputType.startsWith('delete')) _handbook_text_key(8);
            else send(typed());
            reset();
        });
        input.addEventListener('focus', reset);
        input.addEventListener('paste', (e) => {
            const text = (e.clipboardData || window.clipboardData).getData('text');
            e.preventDefault();
            // (no backslashes in EM_JS bodies: they reach the JS as control characters)
            if (input.tagName === 'TEXTAREA') {
                // A multi-line field keeps the lines (CR LF and CR as LF) and the text's
                // length up to an article's; tabs become spaces (ImGui takes no tab here).
                const crlf = new RegExp(String.fromCharCode(13) + String.fromCharCode(10) + '?', 'g');
                const tab = new RegExp(String.fromCharCode(9), 'g');
                send(text.replace(crlf, String.fromCharCode(10)).replace(tab, '    ').slice(0, 512 * 1024));
                return;
            }
            const breaks = new RegExp('[' + String.fromCharCode(9, 10, 13) + ']+', 'g');
            send(text.replace(breaks, ' ').slice(0, 2000));
        });
        reset();
    };
    const input = document.createElement('input');
    input.id = 'handbook-text';
    input.type = 'text';
    input.setAttribute('enterkeyhint', 'search');
    input.setAttribute('aria-label', 'Search policies');
    input.tabIndex = -1;  // the twin's own field is in the Tab order, and is what a screen reader finds
    input.setAttribute('aria-hidden', 'true');
    // 16px avoids iOS zooming into the field; transparent and tiny, but not display:none
    // (a hidden element cannot take focus, and then no keyboard opens).
    input.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;border:0;padding:0;margin:0;' +
                          'font-size:16px;background:transparent;color:transparent;caret-color:transparent;z-index:-1;';
    document.body.appendChild(input);
    Module.hbAttachTextAgent(input);
});

EM_JS(void, js_sync_text_agent, (int want, float x, float y, uint32_t twin_node), {
    const hidden = document.getElementById('handbook-text');
    if (!hidden) return;
    // The field's own twin element when there is one (Tab moves on from it), else the hidden one.
    const entry = twin_node && Module.hbTwin ? Module.hbTwin.nodes.get(twin_node) : null;
    const focused = document.activeElement;
    // A twin field the page's keyboard is already on keeps it: in the frames between the
    // focus and ImGui taking the field, the field is not active yet, and moving the focus
    // to the hidden input then would lose it (and the keys typed meanwhile).
    const onTwinField = focused && focused !== hidden && focused.dataset && focused.dataset.agent;
    const input = entry && entry.el.dataset.agent ? entry.el : (onTwinField ? focused : hidden);
    if (want) {
        // The keyboard is on another twin element (Tab moved it there from the field; ImGui
        // lets go of the field a frame later): it stays there.
        if (input === hidden && focused && focused !== hidden && focused.dataset && focused.dataset.twin) return;
        if (input === hidden) {
            input.style.left = Math.max(0, x) + 'px';
            input.style.top = Math.max(0, y) + 'px';
        }
        if (document.activeElement !== input) input.focus({preventScroll: true});
    } else if (document.activeElement === hidden) {
        hidden.blur();
    }
});

}  // namespace

namespace handbook::web {

void install_text_agent() { js_install_text_agent(); }

void sync_text_agent(bool want_text, float x, float y, uint32_t twin_node) { js_sync_text_agent(want_text ? 1 : 0, x, y, twin_node); }

}  // namespace handbook::web
