// The hidden <input> that makes text entry work in the browser (after egui's "text
// agent"). Implements: focusing it whenever ImGui wants text, so tablets open their
// on-screen keyboard (the focus happens inside the tap's own event handler); typed
// text, accents and IME compositions (taken on `input` / `compositionend`); paste
// (the `paste` event, newlines become spaces for the one-line search box).
// Known limitations: text goes one way (browser -> ImGui): the input is emptied after
// each event, so the soft keyboard's autocorrect and suggestions see no context;
// ImGui draws its own caret and selection.
#pragma once
#include <cstdint>

namespace handbook::web {

void install_text_agent();
// Focus or blur the input that takes typing: the accessible twin's element of the active
// field (`twin_node`, its semantics node; 0 = none), or else the hidden input, placed at
// x, y near the field (CSS pixels) so a mobile browser scrolls the right spot into view.
void sync_text_agent(bool want_text, float x, float y, uint32_t twin_node);

}  // namespace handbook::web
