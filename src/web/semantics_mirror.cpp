// See semantics_mirror.h for what this implements and its known limitations.
#include "semantics_mirror.h"

#include <emscripten.h>

namespace {

handbook::web::MirrorHooks g_hooks;

// The tree arrives as {"main": [top, height], "scroll": y, "say": "...", "nodes": [[id,
// parent, role, level, flags, name, value, description, target, x, y, w, h], ...]} with
// flags: 1 focusable, 2 disabled, 4 checked, 8 expanded, 16 multiline, 32 password,
// 64 invalid, 128 in the main (scrolling) area.
EM_JS(void, js_install_mirror, (), {
    const root = document.createElement('div');
    root.id = 'handbook-twin';
    document.body.appendChild(root);
    const main = document.createElement('div');
    main.id = 'handbook-twin-main';
    const content = document.createElement('div');
    content.className = 'hb-twin-content';
    main.appendChild(content);
    root.appendChild(main);
    // The live region sits in the main landmark (all content in landmarks), before the content.
    const live = document.createElement('div');
    live.id = 'handbook-twin-live';
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    main.insertBefore(live, content);
    const liveStatus = document.createElement('div');
    liveStatus.id = 'handbook-twin-status';
    liveStatus.setAttribute('role', 'status');
    liveStatus.setAttribute('aria-live', 'polite');
    main.insertBefore(liveStatus, content);
    // The twin says what the canvas shows: the canvas itself is left out of the
    // accessibility tree (with the twin off, its label is all there is).
    if (Module.canvas) Module.canvas.setAttribute('aria-hidden', 'true');

    const tags = {
        banner: 'header', search: 'div', main: 'div', navigation: 'nav', region: 'section', dialog: 'div',
        heading: 'h2', paragraph: 'p', text: 'span', list: 'div', listitem: 'div', table: 'div', row: 'div', cell: 'div',
        columnheader: 'div', link: 'a', button: 'button', toggle: 'button', textbox: 'input', status: 'div', img: 'div'
    };
    const roles = {
        banner: 'banner', search: 'search', main: 'main', dialog: 'dialog', list: 'list', listitem: 'listitem',
        table: 'table', row: 'row', cell: 'cell', columnheader: 'columnheader', status: 'status', img: 'img'
    };
    const twin = {nodes: new Map(), scrollSet: -1, focused: 0};
    Module.hbTwin = twin;

    const fingerprint = (n) => n.join('|');
    const make = (n) => {
        const role = n[2], flags = n[4];
        if (role === 'main') {  // the main landmark is the scroll container itself
            main.setAttribute('role', 'main');
            main.dataset.twin = String(n[0]);
            return main;
        }
        let tag = tags[role] || 'div';
        if (role === 'heading') tag = 'h' + Math.min(6, Math.max(1, n[3] || 2));
        if (role === 'textbox' && (flags & 16)) tag = 'textarea';
        const el = document.createElement(tag);
        if (roles[role]) el.setAttribute('role', roles[role]);
        el.dataset.twin = String(n[0]);
        if (role === 'link' || role === 'button' || role === 'toggle') {
            if (role === 'link') el.setAttribute('href', '#');
            el.addEventListener('click', (e) => { e.preventDefault(); _handbook_twin_activate(n[0]); });
        }
        if (flags & 1) {
            el.tabIndex = 0;
            el.addEventListener('focus', () => { twin.focused = n[0]; _handbook_twin_focused(n[0]); });
            el.addEventListener('blur', () => {
                if (twin.focused === n[0]) { twin.focused = 0; _handbook_twin_focused(0); }
            });
        }
        if (role === 'textbox' && Module.hbAttachTextAgent) Module.hbAttachTextAgent(el);
        return el;
    };
    // `leaf`: the node has no children in the tree. A leaf's name is its text; a node with
    // children (a paragraph with a link in it) is read through them.
    const apply = (el, n, leaf) => {
        const role = n[2], flags = n[4], name = n[5], value = n[6], description = n[7], target = n[8];
        if (role === 'textbox') {
            el.setAttribute('aria-label', name);
            if (flags & 32) el.type = 'password';
            if (document.activeElement !== el) el.value = value;
        } else if (role === 'button' || role === 'toggle' || role === 'link' || role === 'heading' || role === 'paragraph' ||
                   role === 'text' || role === 'cell' || role === 'columnheader' || role === 'status') {
            if (!name || !leaf) {
                if (el.firstChild && el.firstChild.nodeType === 3) el.firstChild.remove();
            } else if (el.firstChild === null || el.firstChild.nodeType !== 3 || el.firstChild.data !== name) {
                if (el.firstChild && el.firstChild.nodeType === 3) el.firstChild.data = name;
                else el.insertBefore(document.createTextNode(name), el.firstChild);
            }
        } else if (name) {
            el.setAttribute('aria-label', name);
        }
        if (role === 'link' && target) el.setAttribute('href', target);
        if (role === 'toggle') el.setAttribute('aria-pressed', (flags & 4) ? 'true' : 'false');
        if (flags & 2) el.setAttribute('aria-disabled', 'true'); else el.removeAttribute('aria-disabled');
        if (flags & 8) el.setAttribute('aria-expanded', 'true'); else el.removeAttribute('aria-expanded');
        if (flags & 64) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
        if (description) el.setAttribute('aria-description', description); else el.removeAttribute('aria-description');
        if (role === 'dialog') el.setAttribute('aria-modal', 'true');
        if (role === 'main') return;  // placed by the update itself
        el.style.left = n.left + 'px';
        el.style.top = n.top + 'px';
        el.style.width = Math.max(1, n[11]) + 'px';
        el.style.height = Math.max(1, n[12]) + 'px';
    };

    Module.hbTwinUpdate = (tree) => {
        twin.mainTop = tree.main[0];
        twin.scroll = tree.scroll;
        main.style.top = tree.main[0] + 'px';
        main.style.height = Math.max(0, window.innerHeight - tree.main[0]) + 'px';
        content.style.height = Math.max(tree.main[1], window.innerHeight) + 'px';
        const elements = [], nodes = tree.nodes;
        // What went away goes first: removed later, a gone sibling would make the placing
        // below move the elements after it, and moving the focused element blurs it.
        const seen = new Set(nodes.map((n) => n[0]));
        twin.nodes.forEach((entry, id) => {
            if (!seen.has(id)) {
                if (entry.el !== main) entry.el.remove();
                twin.nodes.delete(id);
            }
        });
        const last = new Map();  // parent element -> the child placed last in this update
        const parents = new Set(nodes.map((n) => n[1]));
        // Where a node is: nodes in the main area by their place in the scrolling content,
        // others by their place on the page.
        const absTop = (n) => ((n[4] & 128) ? n[10] - twin.mainTop + twin.scroll : n[10]);
        nodes.forEach((n, i) => {
            const id = n[0];
            const inMain = (n[4] & 128) !== 0;
            const parentNode = n[1] >= 0 ? nodes[n[1]] : null;
            // The element it goes in: its parent's, except across the edge of the scrolling
            // area (into the content, or out of the main landmark onto the page).
            let parent = root, originX = 0, originY = 0;
            if (parentNode && parentNode[2] !== 'main' && ((parentNode[4] & 128) !== 0) === inMain) {
                parent = elements[n[1]];
                originX = parentNode[9];
                originY = absTop(parentNode);
            } else if (inMain) {
                parent = content;
            }
            n.left = n[9] - originX;
            n.top = absTop(n) - originY;
            let entry = twin.nodes.get(id);
            const leaf = !parents.has(i);
            const print = fingerprint(n) + '|' + n.left + '|' + n.top + '|' + leaf;
            if (!entry || entry.role !== n[2] || entry.flagsTag !== (n[4] & 16)) {
                if (entry && entry.el !== main) entry.el.remove();
                entry = {el: make(n), role: n[2], flagsTag: n[4] & 16, print: ""};
                twin.nodes.set(id, entry);
            }
            if (entry.print !== print) {
                apply(entry.el, n, leaf);
                entry.print = print;
            }
            elements[i] = entry.el;
            if (entry.el === main) return;
            // In reading order: right after the sibling placed before it (no DOM work when
            // nothing moved).
            // (A leaf's own text, its first child, stays first.)
            const previous = last.get(parent);
            let next = previous ? previous.nextSibling : parent.firstChild;
            if (next && next.nodeType === 3) next = next.nextSibling;
            if (entry.el !== next) parent.insertBefore(entry.el, next);
            last.set(parent, entry.el);
        });
        if (tree.say && tree.say !== twin.said) {
            live.textContent = tree.say;
            twin.said = tree.say;
        }
        if (tree.status && tree.status !== twin.saidStatus) {
            liveStatus.textContent = tree.status;
            twin.saidStatus = tree.status;
        }
    };
    // The page scrolled the main area (find-in-page, Tab onto a node below the fold):
    // the canvas follows. Scrolls the app made itself are told apart by their position.
    main.addEventListener('scroll', () => {
        if (Math.abs(main.scrollTop - twin.scrollSet) > 1) _handbook_twin_scrolled(main.scrollTop);
    });
    Module.hbTwinScroll = (y) => {
        if (Math.abs(main.scrollTop - y) > 1) {
            twin.scrollSet = Math.round(y);
            main.scrollTop = y;
        }
    };
});

// The tree is applied after the frame is on screen, once for however many frames changed
// it meanwhile (typing draws several frames a key), so the twin never delays a frame. The
// scroll waits with it: set before the content it scrolls is laid out, it would be clamped.
EM_JS(void, js_publish_semantics, (const char* json), {
    if (!Module.hbTwinUpdate) return;
    const first = Module.hbTwinPending === undefined;
    Module.hbTwinPending = UTF8ToString(json);
    if (!first) return;
    setTimeout(() => {
        const latest = Module.hbTwinPending;
        Module.hbTwinPending = undefined;
        Module.hbTwinUpdate(JSON.parse(latest));
        if (Module.hbTwinPendingScroll !== undefined) {
            Module.hbTwinScroll(Module.hbTwinPendingScroll);
            Module.hbTwinPendingScroll = undefined;
        }
    }, 0);
});

EM_JS(void, js_sync_mirror_scroll, (float y), {
    if (!Module.hbTwinScroll) return;
    if (Module.hbTwinPending !== undefined) Module.hbTwinPendingScroll = y;
    else Module.hbTwinScroll(y);
});

EM_JS(int, js_mirror_enabled, (), { return new URLSearchParams(location.search).get('twin') === '0' ? 0 : 1; });

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_twin_activate(uint32_t id) {
    if (g_hooks.activate) g_hooks.activate(id);
}
extern "C" EMSCRIPTEN_KEEPALIVE void handbook_twin_focused(uint32_t id) {
    if (g_hooks.focused) g_hooks.focused(id);
}
extern "C" EMSCRIPTEN_KEEPALIVE void handbook_twin_scrolled(float y) {
    if (g_hooks.scrolled) g_hooks.scrolled(y);
}

namespace handbook::web {

void install_semantics_mirror(const MirrorHooks& hooks) {
    g_hooks = hooks;
    js_install_mirror();
}

void publish_semantics(const std::string& json) { js_publish_semantics(json.c_str()); }
void sync_mirror_scroll(float scroll_y) { js_sync_mirror_scroll(scroll_y); }
bool semantics_mirror_enabled() { return js_mirror_enabled() != 0; }

}  // namespace handbook::web
