// The native `handbook` program: import/export article folders, search from the
// terminal, and (see serve.cpp) serve the web app with its JSON API.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli_search.h"
#include "core/article_import.h"
#include "core/schema.h"
#include "core/search.h"
#include "serve.h"

using namespace handbook;

namespace {

const char* kUsage =
    "usage: handbook <command> [options]\n"
    "\n"
    "commands:\n"
    "  import <folder> [--db FILE]       load article files (Markdown with front matter) into the database\n"
    "  export <folder> [--db FILE]       write every article back out as <folder>/<slug>.md\n"
    "  search <query>  [--db FILE] [--json] [--limit N] [--category NAME] [--tag TAG]\n"
    "                                    search published articles\n"
    "  serve [--db FILE] [--articles DIR] [--web DIR] [--shell DIR] [--port 8080] [--bind 127.0.0.1]\n"
    "                                    serve the web app on http://127.0.0.1:8080 (Ctrl-C stops it);\n"
    "                                    imports --articles (default ./articles) into an empty database;\n"
    "                                    --web is the web build's app folder (default build/web/src/web),\n"
    "                                    --shell the HTML shell (default ./web); --port 0 picks a free port\n"
    "\n"
    "The database defaults to ./handbook.db.\n";

int usage_error(const std::string& message) {
    std::cerr << "handbook: " << message << "\n\n" << kUsage;
    return 2;
}

// Splits argv into positionals and --options (flags in `flags` take no value).
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    std::string error;
};

Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& flags,
                const std::vector<std::string>& valued) {
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
            auto eq = arg.find('=');
            std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            bool is_flag = std::find(flags.begin(), flags.end(), name) != flags.end();
            bool is_valued = std::find(valued.begin(), valued.end(), name) != valued.end();
            if (is_flag) a.options[name] = "1";
            else if (is_valued) {
                if (eq != std::string::npos) a.options[name] = arg.substr(eq + 1);
                else if (i + 1 < argc) a.options[name] = argv[++i];
                else { a.error = "option --" + name + " needs a value"; return a; }
            } else {
                a.error = "unknown option '" + arg + "'";
                return a;
            }
        } else {
            a.positional.push_back(arg);
        }
    }
    return a;
}

int cmd_import(int argc, char** argv) {
    Args args = parse_args(argc, argv, 2, {}, {"db"});
    if (!args.error.empty()) return usage_error(args.error);
    if (args.positional.size() != 1) return usage_error("import takes one folder");
    std::string db_path = args.options.count("db") ? args.options["db"] : "handbook.db";
    auto db = open_store(db_path);
    if (!db) { std::cerr << "handbook: " << db.error() << "\n"; return 1; }
    auto report = import_folder(**db, args.positional[0]);
    if (!report) { std::cerr << "handbook: import failed: " << report.error() << "\n"; return 1; }
    for (const auto& m : report->messages) {
        std::cerr << args.positional[0] << "/" << m.file;
        if (m.line > 0) std::cerr << ":" << m.line;
        std::cerr << ": " << (m.is_error ? "error: " : "warning: ") << m.message << "\n";
    }
    std::cout << "imported " << args.positional[0] << " into " << db_path << ": " << report->created << " new, "
              << report->updated << " updated, " << report->unchanged << " unchanged, " << report->skipped
              << " skipped\n";
    return report->skipped > 0 ? 1 : 0;
}

int cmd_export(int argc, char** argv) {
    Args args = parse_args(argc, argv, 2, {}, {"db"});
    if (!args.error.empty()) return usage_error(args.error);
    if (args.positional.size() != 1) return usage_error("export takes one folder");
    std::string db_path = args.options.count("db") ? args.options["db"] : "handbook.db";
    auto db = open_store(db_path);
    if (!db) { std::cerr << "handbook: " << db.error() << "\n"; return 1; }
    auto written = export_folder(**db, args.positional[0]);
    if (!written) { std::cerr << "handbook: export failed: " << written.error() << "\n"; return 1; }
    std::cout << "exported " << *written << " articles to " << args.positional[0] << "\n";
    return 0;
}

int cmd_search(int argc, char** argv) {
    Args args = parse_args(argc, argv, 2, {"json"}, {"db", "limit", "category", "tag"});
    if (!args.error.empty()) return usage_error(args.error);
    if (args.positional.size() != 1) return usage_error("search takes one query (quote it: handbook search \"refund no receipt\")");
    SearchQuery query;
    query.text = args.positional[0];
    query.as_you_type = false;
    if (args.options.count("limit")) {
        char* end = nullptr;
        long n = std::strtol(args.options["limit"].c_str(), &end, 10);
        if (!end || *end || n < 1 || n > 100) return usage_error("--limit takes a number from 1 to 100");
        query.limit = static_cast<int>(n);
    }
    query.category = args.options["category"];
    query.tag = args.options["tag"];
    std::string db_path = args.options.count("db") ? args.options["db"] : "handbook.db";
    if (access(db_path.c_str(), R_OK) != 0) {
        std::cerr << "handbook: no database at '" << db_path << "': run 'handbook import articles --db " << db_path << "' first\n";
        return 1;
    }
    auto db = open_store(db_path);
    if (!db) { std::cerr << "handbook: " << db.error() << "\n"; return 1; }
    auto engine = SearchEngine::create(**db);
    if (!engine) { std::cerr << "handbook: " << engine.error() << "\n"; return 1; }
    auto results = (*engine)->search(query);
    if (!results) { std::cerr << "handbook: search failed: " << results.error() << "\n"; return 1; }
    if (args.options.count("json")) std::cout << search_results_json(query, *results) << "\n";
    else std::cout << search_results_text(*results, isatty(STDOUT_FILENO));
    return 0;
}

int cmd_serve(int argc, char** argv) {
    Args args = parse_args(argc, argv, 2, {}, {"db", "articles", "web", "shell", "port", "bind"});
    if (!args.error.empty()) return usage_error(args.error);
    if (!args.positional.empty()) return usage_error("serve takes no arguments, only options");
    ServeOptions options;
    if (args.options.count("db")) options.db_path = args.options["db"];
    if (args.options.count("articles")) options.articles_dir = args.options["articles"];
    if (args.options.count("web")) options.app_dir = args.options["web"];
    if (args.options.count("shell")) options.shell_dir = args.options["shell"];
    if (args.options.count("bind")) options.bind = args.options["bind"];
    if (args.options.count("port")) {
        char* end = nullptr;
        long n = std::strtol(args.options["port"].c_str(), &end, 10);
        if (!end || *end || args.options["port"].empty() || n < 0 || n > 65535)
            return usage_error("--port takes a number from 0 to 65535 (0: any free port)");
        options.port = static_cast<int>(n);
    }
    if (options.bind.empty()) return usage_error("--bind takes an address, e.g. 127.0.0.1 or 0.0.0.0");
    return run_serve(options);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage_error("no command given");
    std::string command = argv[1];
    if (command == "import") return cmd_import(argc, argv);
    if (command == "export") return cmd_export(argc, argv);
    if (command == "search") return cmd_search(argc, argv);
    if (command == "serve") return cmd_serve(argc, argv);
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    return usage_error("unknown command '" + command + "'");
}
