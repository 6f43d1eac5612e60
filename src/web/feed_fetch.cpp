// See feed_fetch.h for what this implements and its known limitations.
#include "feed_fetch.h"

#include <emscripten.h>

namespace {

handbook::web::FeedCallbacks g_callbacks;

EM_JS(void, js_fetch_signed, (const char* url_ptr, double max_bytes, int revalidate), {
    const url = UTF8ToString(url_ptr);
    const failed = (why) => {
        const len = lengthBytesUTF8(why) + 1;
        const ptr = _malloc(len);
        stringToUTF8(why, ptr, len);
        _handbook_feed_failed(ptr, len - 1);
        _free(ptr);
    };
    let fromNetwork = 1;
    const controller = typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = setTimeout(() => { if (controller) controller.abort(); }, 20000);
    fetch(url, {cache: revalidate ? 'no-cache' : 'default', signal: controller ? controller.signal : undefined})
        .then((response) => {
            if (!response.ok) throw new Error('the server answered ' + response.status + ' ' + response.statusText);
            fromNetwork = response.headers.get('X-Handbook-Offline') === '1' ? 0 : 1;
            return response.arrayBuffer();
        })
        .then((body) => {
            clearTimeout(timer);
            if (body.byteLength > max_bytes) throw new Error('the answer is larger than ' + max_bytes + ' bytes');
            const ptr = _malloc(Math.max(1, body.byteLength));
            if (!ptr) throw new Error('not enough memory for the update');
            HEAPU8.set(new Uint8Array(body), ptr);  // HEAPU8 after malloc: memory may have grown
            try {
                _handbook_feed_arrived(ptr, body.byteLength, fromNetwork);
            } finally {
                _free(ptr);
            }
        })
        .catch((err) => {
            clearTimeout(timer);
            failed((err && err.name === 'AbortError') ? 'the server did not answer in time'
                   : (err && err.message) ? err.message : String(err));
        });
});

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_feed_arrived(const char* bytes, int length, int from_network) {
    if (g_callbacks.arrived) g_callbacks.arrived(std::string(bytes, static_cast<size_t>(length)), from_network != 0);
}

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_feed_failed(const char* reason, int length) {
    if (g_callbacks.failed) g_callbacks.failed(std::string(reason, static_cast<size_t>(length)));
}

namespace handbook::web {

void fetch_signed(const std::string& url, size_t max_bytes, bool revalidate, const FeedCallbacks& callbacks) {
    g_callbacks = callbacks;
    js_fetch_signed(url.c_str(), static_cast<double>(max_bytes), revalidate ? 1 : 0);
}

}  // namespace handbook::web
