// See feed_fetch.h for what this implements and its known limitations.
#include "feed_fetch.h"

#include <emscripten.h>

#include "core/change_feed.h"

namespace {

handbook::web::FeedCallbacks g_callbacks;

EM_JS(void, js_fetch_feed, (double after, double max_bytes), {
    const deliver = (fn, text, flag) => {
        const len = lengthBytesUTF8(text) + 1;
        const ptr = _malloc(len);
        stringToUTF8(text, ptr, len);
        fn(ptr, len - 1, flag);
        _free(ptr);
    };
    let fromNetwork = 1;
    const controller = typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = setTimeout(() => { if (controller) controller.abort(); }, 20000);
    fetch('api/feed?after=' + after, {cache: 'no-store', signal: controller ? controller.signal : undefined})
        .then((response) => {
            if (!response.ok) throw new Error('the server answered ' + response.status + ' ' + response.statusText);
            fromNetwork = response.headers.get('X-Handbook-Offline') === '1' ? 0 : 1;
            return response.text();
        })
        .then((text) => {
            clearTimeout(timer);
            if (text.length > max_bytes) throw new Error('the update is larger than ' + max_bytes + ' bytes');
            deliver(_handbook_feed_arrived, text, fromNetwork);
        })
        .catch((err) => {
            clearTimeout(timer);
            const why = (err && err.name === 'AbortError') ? 'the server did not answer in time'
                      : (err && err.message) ? err.message : String(err);
            deliver(_handbook_feed_failed, why, 0);
        });
});

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_feed_arrived(const char* text, int length, int from_network) {
    if (g_callbacks.arrived) g_callbacks.arrived(std::string(text, static_cast<size_t>(length)), from_network != 0);
}

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_feed_failed(const char* reason, int length, int) {
    if (g_callbacks.failed) g_callbacks.failed(std::string(reason, static_cast<size_t>(length)));
}

namespace handbook::web {

void fetch_feed(int64_t after, const FeedCallbacks& callbacks) {
    g_callbacks = callbacks;
    js_fetch_feed(static_cast<double>(after), static_cast<double>(kMaxFeedBytes));
}

}  // namespace handbook::web
