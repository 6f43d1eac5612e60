// See snapshot_fetch.h for what this implements and its known limitations.
#include "snapshot_fetch.h"

#include <emscripten.h>

#include "core/device_snapshot.h"

namespace {

handbook::web::SnapshotCallbacks g_callbacks;

EM_JS(void, js_fetch_snapshot, (const char* url_ptr, double max_bytes), {
    const url = UTF8ToString(url_ptr);
    const failed = (why) => {
        const len = lengthBytesUTF8(why) + 1;
        const ptr = _malloc(len);
        stringToUTF8(why, ptr, len);
        _handbook_snapshot_failed(ptr, len - 1);
        _free(ptr);
    };
    // {response, body}: the body read only for an answer that is ok.
    const read = (response) => (response.ok ? response.arrayBuffer() : Promise.resolve(null)).then((body) => ({response, body, pointer: null}));
    let download = Module.snapshotDownload;
    Module.snapshotDownload = null;  // one use: a later visit's store is not a first visit's
    let timer = 0;
    if (!download) {
        const controller = typeof AbortController !== 'undefined' ? new AbortController() : null;
        timer = setTimeout(() => { if (controller) controller.abort(); }, 60000);
        download = fetch(url, {cache: url.indexOf('api/') === 0 ? 'no-store' : 'default', signal: controller ? controller.signal : undefined})
            .then((response) => {
                const announced = Number(response.headers.get('X-Uncompressed-Length') || response.headers.get('Content-Length') || 0);
                if (announced > max_bytes) throw new Error('the library is larger than this device takes (' + announced + ' bytes)');
                return read(response);
            });
    }
    download
        .then(({response, body, pointer}) => {
            clearTimeout(timer);
            if (!response.ok) throw new Error('the server answered ' + response.status + ' ' + response.statusText);
            if (body.byteLength > max_bytes) throw new Error('the library is larger than this device takes');
            const extra = pointer ? pointer.byteLength : 0;
            const ptr = _malloc(body.byteLength + extra + 1);
            if (!ptr) throw new Error('not enough memory for the library');
            HEAPU8.set(new Uint8Array(body), ptr);  // HEAPU8 after malloc: memory may have grown
            if (pointer) HEAPU8.set(new Uint8Array(pointer), ptr + body.byteLength);
            try {
                _handbook_snapshot_arrived(ptr, body.byteLength, ptr + body.byteLength, extra);
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

EM_JS(int, js_snapshot_requested_by_page, (), { return Module.snapshotDownload ? 1 : 0; });

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_snapshot_arrived(const char* bytes, int length, const char* pointer, int pointer_length) {
    if (g_callbacks.arrived)
        g_callbacks.arrived(std::string_view(bytes, static_cast<size_t>(length)), std::string_view(pointer, static_cast<size_t>(pointer_length)));
}

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_snapshot_failed(const char* reason, int length) {
    if (g_callbacks.failed) g_callbacks.failed(std::string(reason, static_cast<size_t>(length)));
}

namespace handbook::web {

bool snapshot_requested_by_page() { return js_snapshot_requested_by_page() != 0; }

void fetch_snapshot(const std::string& url, const SnapshotCallbacks& callbacks) {
    g_callbacks = callbacks;
    js_fetch_snapshot(url.c_str(), static_cast<double>(kMaxSnapshotBytes));
}

}  // namespace handbook::web
