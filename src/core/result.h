// Errors as values: a Status the caller must look at, and Result<T> = value or Status.
// Messages are written for a person: what went wrong and, where possible, what to do.
#pragma once
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace handbook {

struct [[nodiscard]] Status {
    std::string error;  // empty means success

    static Status ok() { return {}; }
    static Status fail(std::string message) { return Status{std::move(message)}; }
    bool is_ok() const { return error.empty(); }
    explicit operator bool() const { return is_ok(); }
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
    const std::string& error() const { assert(!is_ok()); return std::get<Status>(data_).error; }
    Status status() const { return is_ok() ? Status::ok() : std::get<Status>(data_); }

private:
    std::variant<T, Status> data_;
};

}  // namespace handbook
