// A command's arguments as the `handbook` program parsed them (main.cpp): the words,
// the --options and their values, and whether --help was asked for.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace handbook {

inline constexpr const char* kDefaultDb = "handbook.db";

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    std::string error;
    bool help = false;

    bool has(const std::string& name) const { return options.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback = {}) const {
        auto it = options.find(name);
        return it == options.end() ? fallback : it->second;
    }
    std::string db() const { return get("db", kDefaultDb); }
};

}  // namespace handbook
