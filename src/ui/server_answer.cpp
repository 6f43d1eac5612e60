// See server_answer.h.
#include "server_answer.h"

#include <nlohmann/json.hpp>

namespace handbook::ui {

std::string server_error_field(const std::string& body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
    return {};
}

std::string server_said(int status, const std::string& body) {
    if (std::string error = server_error_field(body); !error.empty()) return error;
    if (status == 0) return "the server cannot be reached (this needs the network)";
    if (status == 401) return "sign in first";
    return "the server answered " + std::to_string(status);
}

}  // namespace handbook::ui
