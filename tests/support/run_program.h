// Runs a program the way a user's shell does and keeps what it printed (stderr joined
// to stdout) and its exit status.
#pragma once
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace handbook::test {

struct ProgramRun {
    int status = -1;  // the exit code; -1 when it did not exit normally
    std::string out;
};

// `command` is a shell command line (quote its arguments).
inline ProgramRun run_program(const std::string& command) {
    ProgramRun r;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

}  // namespace handbook::test
