// See api_fetch.h for what this implements and its known limitations.
#include "api_fetch.h"

#include <emscripten.h>

#include <map>

namespace {

std::map<int, handbook::web::ApiAnswer>& waiting() {
    static std::map<int, handbook::web::ApiAnswer> answers;
    return answers;
}

EM_JS(void, js_api_request, (int id, const char* method_ptr, const char* path_ptr, const char* body_ptr), {
    const method = UTF8ToString(method_ptr), path = UTF8ToString(path_ptr), body = UTF8ToString(body_ptr);
    const deliver = (status, text) => {
        const len = lengthBytesUTF8(text) + 1;
        const ptr = _malloc(len);
        stringToUTF8(text, ptr, len);
        _handbook_api_answer(id, status, ptr);
        _free(ptr);
    };
    const controller = typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = setTimeout(() => { if (controller) controller.abort(); }, 20000);
    const init = {method: method, credentials: 'same-origin', cache: 'no-store',
                  headers: {'X-Handbook-Request': '1'}, signal: controller ? controller.signal : undefined};
    if (body.length) {
        init.headers['Content-Type'] = 'application/json';
        init.body = body;
    }
    fetch(path, init)
        .then((response) => response.text().then((text) => {
            clearTimeout(timer);
            deliver(response.status, text.length > 8388608 ? "" : text);
        }))
        .catch((err) => {
            clearTimeout(timer);
            deliver(0, (err && err.name === 'AbortError') ? 'the server did not answer in time'
                       : navigator.onLine === false ? 'this device is offline' : 'the server cannot be reached');
        });
});

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void handbook_api_answer(int id, int status, const char* body) {
    auto& answers = waiting();
    auto it = answers.find(id);
    if (it == answers.end()) return;
    handbook::web::ApiAnswer answer = std::move(it->second);
    answers.erase(it);
    if (answer) answer(status, body);
}

namespace handbook::web {

void api_request(const std::string& method, const std::string& path, const std::string& json_body, ApiAnswer answer) {
    static int next_id = 0;
    const int id = ++next_id;
    waiting()[id] = std::move(answer);
    js_api_request(id, method.c_str(), path.c_str(), json_body.c_str());
}

}  // namespace handbook::web
