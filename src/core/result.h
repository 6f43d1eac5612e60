// Errors as values: a Status the caller must look at, and Result<T> = value or Status.
// Messages are written for a person: what went wrong and, where possible, what to do.
// Beside the message, a code says what kind of failure it was, as SQLite pairs its
// result codes with messages: the caller decides from the code (retry, refuse the
// input, answer 409, start the device's copy again) and shows the message.
#pragma once
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace handbook {

enum class StatusCode {
    ok,
    failed,          // not further classified
    invalid,         // the input is wrong (a field, a file, a request): fix it and try again
    not_found,
    conflict,        // the thing changed meanwhile (a newer version, a duplicate)
    unauthenticated, // nobody is signed in (or the session ended)
    forbidden,       // signed in, but not allowed
    too_many,        // too many attempts: wait and try again
    busy,            // the store is locked by another writer longer than the busy timeout
    full,            // the disk (or the browser's quota) is full
    read_only,       // the store cannot be written (permissions, a read-only medium)
    corrupt,         // the store is damaged or is not a Handbook store
    io,              // the operating system could not read or write the file
    unavailable,     // a server or network cannot be reached
    diverged,        // a device's copy and the server's history disagree: start the copy again
    untrusted,       // content not signed by the key this device trusts (unsigned, forged, another key)
    replayed,        // genuine content, but older than what the device holds (a rollback or replay)
};

// "busy", "corrupt", ... for logs and JSON.
const char* status_code_name(StatusCode code);

struct [[nodiscard]] Status {
    std::string error;  // empty means success
    StatusCode code = StatusCode::ok;

    static Status ok() { return {}; }
    static Status fail(std::string message) { return Status{std::move(message), StatusCode::failed}; }
    static Status fail(StatusCode code, std::string message) {
        assert(code != StatusCode::ok);
        return Status{std::move(message), code};
    }
    bool is_ok() const { return code == StatusCode::ok; }
    explicit operator bool() const { return is_ok(); }
    // The same failure with more said in front ("importing x.md: " + error).
    Status with_context(const std::string& prefix) const { return is_ok() ? *this : Status{prefix + error, code}; }
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::move(value)) {}
    Result(Status status) : data_(std::move(status)) { assert(!std::get<Status>(data_).is_ok()); }

    bool is_ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return is_ok(); }
    T& value() { assert(is_ok()); return std::get<T>(data_); }
    const T& value() const { assert(is_ok()); return std::get<T>(data_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    const std::string& error() const { assert(!is_ok()); return std::get<Status>(data_).error; }
    StatusCode code() const { return is_ok() ? StatusCode::ok : std::get<Status>(data_).code; }
    Status status() const { return is_ok() ? Status::ok() : std::get<Status>(data_); }

private:
    std::variant<T, Status> data_;
};

inline const char* status_code_name(StatusCode code) {
    switch (code) {
    case StatusCode::ok: return "ok";
    case StatusCode::failed: return "failed";
    case StatusCode::invalid: return "invalid";
    case StatusCode::not_found: return "not_found";
    case StatusCode::conflict: return "conflict";
    case StatusCode::unauthenticated: return "unauthenticated";
    case StatusCode::forbidden: return "forbidden";
    case StatusCode::too_many: return "too_many";
    case StatusCode::busy: return "busy";
    case StatusCode::full: return "full";
    case StatusCode::read_only: return "read_only";
    case StatusCode::corrupt: return "corrupt";
    case StatusCode::io: return "io";
    case StatusCode::unavailable: return "unavailable";
    case StatusCode::diverged: return "diverged";
    case StatusCode::untrusted: return "untrusted";
    case StatusCode::replayed: return "replayed";
    }
    return "failed";
}

}  // namespace handbook
