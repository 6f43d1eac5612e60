// WebGL state that ImGui's renderer reads back every frame, answered from a copy kept
// on the wasm side instead of asking WebGL.
//
// Implements: glGetIntegerv for GL_SCISSOR_BOX and the six blend values (GL_BLEND_SRC_RGB,
// _DST_RGB, _SRC_ALPHA, _DST_ALPHA, GL_BLEND_EQUATION_RGB, _ALPHA), from the last values
// passed to glScissor, glBlendFunc(Separate) and glBlendEquation(Separate). Every other
// query goes to WebGL as before. The functions are swapped in at link time
// (-Wl,--wrap=NAME in src/web/CMakeLists.txt), so the Debian ImGui backend is used as it is.
//
// Why: imgui_impl_opengl3 backs up and restores the GL state around each frame it draws.
// Chromium answers most of those queries from state it keeps in the page, but these seven
// need a synchronous round trip to the GPU process (0.1-0.3 ms each measured here, longer
// while the GPU process is still drawing the last frame): with 4x CPU throttling they were
// a third of the main thread's time per frame while typing. The app is the only user of
// its WebGL context, so it knows these values without asking.
//
// Known limitations:
//  - Correct only while every change to this state goes through the wrapped functions
//    from wasm. JavaScript calling gl.scissor/gl.blendFunc on the context directly would
//    not be seen; nothing in the app or in web/shell.js does (the shell only clears).
//  - A value never set from wasm is asked from WebGL once and then kept.
//  - A lost and restored context resets GL state to its defaults; the app does not restore
//    lost contexts (the page must be reloaded), so the copy is never out of date that way.
#include <GLES3/gl3.h>

#include <cstring>

extern "C" {
void __real_glGetIntegerv(GLenum pname, GLint* data);
void __real_glScissor(GLint x, GLint y, GLsizei width, GLsizei height);
void __real_glBlendFunc(GLenum sfactor, GLenum dfactor);
void __real_glBlendFuncSeparate(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha);
void __real_glBlendEquation(GLenum mode);
void __real_glBlendEquationSeparate(GLenum mode_rgb, GLenum mode_alpha);
}

namespace {

struct KnownValue {
    GLenum pname;
    int count;  // GLints in the value
    bool known;
    GLint value[4];
};

KnownValue g_values[] = {
    {GL_SCISSOR_BOX, 4, false, {}},
    {GL_BLEND_SRC_RGB, 1, false, {}},
    {GL_BLEND_DST_RGB, 1, false, {}},
    {GL_BLEND_SRC_ALPHA, 1, false, {}},
    {GL_BLEND_DST_ALPHA, 1, false, {}},
    {GL_BLEND_EQUATION_RGB, 1, false, {}},
    {GL_BLEND_EQUATION_ALPHA, 1, false, {}},
};

KnownValue* find(GLenum pname) {
    for (KnownValue& v : g_values)
        if (v.pname == pname) return &v;
    return nullptr;
}

void remember(GLenum pname, GLint a, GLint b = 0, GLint c = 0, GLint d = 0) {
    KnownValue* v = find(pname);
    v->value[0] = a;
    v->value[1] = b;
    v->value[2] = c;
    v->value[3] = d;
    v->known = true;
}

}  // namespace

extern "C" {

void __wrap_glGetIntegerv(GLenum pname, GLint* data) {
    KnownValue* v = find(pname);
    if (!v) {
        __real_glGetIntegerv(pname, data);
        return;
    }
    if (!v->known) {
        __real_glGetIntegerv(pname, v->value);
        v->known = true;
    }
    std::memcpy(data, v->value, sizeof(GLint) * static_cast<size_t>(v->count));
}

void __wrap_glScissor(GLint x, GLint y, GLsizei width, GLsizei height) {
    remember(GL_SCISSOR_BOX, x, y, width, height);
    __real_glScissor(x, y, width, height);
}

void __wrap_glBlendFunc(GLenum sfactor, GLenum dfactor) {
    remember(GL_BLEND_SRC_RGB, static_cast<GLint>(sfactor));
    remember(GL_BLEND_SRC_ALPHA, static_cast<GLint>(sfactor));
    remember(GL_BLEND_DST_RGB, static_cast<GLint>(dfactor));
    remember(GL_BLEND_DST_ALPHA, static_cast<GLint>(dfactor));
    __real_glBlendFunc(sfactor, dfactor);
}

void __wrap_glBlendFuncSeparate(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha) {
    remember(GL_BLEND_SRC_RGB, static_cast<GLint>(src_rgb));
    remember(GL_BLEND_DST_RGB, static_cast<GLint>(dst_rgb));
    remember(GL_BLEND_SRC_ALPHA, static_cast<GLint>(src_alpha));
    remember(GL_BLEND_DST_ALPHA, static_cast<GLint>(dst_alpha));
    __real_glBlendFuncSeparate(src_rgb, dst_rgb, src_alpha, dst_alpha);
}

void __wrap_glBlendEquation(GLenum mode) {
    remember(GL_BLEND_EQUATION_RGB, static_cast<GLint>(mode));
    remember(GL_BLEND_EQUATION_ALPHA, static_cast<GLint>(mode));
    __real_glBlendEquation(mode);
}

void __wrap_glBlendEquationSeparate(GLenum mode_rgb, GLenum mode_alpha) {
    remember(GL_BLEND_EQUATION_RGB, static_cast<GLint>(mode_rgb));
    remember(GL_BLEND_EQUATION_ALPHA, static_cast<GLint>(mode_alpha));
    __real_glBlendEquationSeparate(mode_rgb, mode_alpha);
}

}  // extern "C"
