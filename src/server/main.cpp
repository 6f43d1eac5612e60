// The native `handbook` program: import/export article folders, search from the
// terminal, and (see serve.cpp) serve the web app with its JSON API.
//
// Every command takes --help; `--` ends the options (so a search can begin with "--").
// Exit codes: 0 done, 1 failed (the message says why and what to do), 2 usage error.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "authority_schema.h"
#include "cli_admin.h"
#include "cli_args.h"
#include "cli_search.h"
#include "server_import.h"
#include "core/article_import.h"
#include "core/schema.h"
#include "core/search.h"
#include "core/content_trust.h"
#include "core/static_tree.h"
#include "publish_static.h"
#include "serve.h"
#include "serve_site.h"
#include "signing_keys.h"
#include "store_pool.h"

using namespace handbook;

namespace {

// One subcommand: its usage line, what it does, its options (flags take no value).
struct Command {
    const char* name;
    const char* usage;
    const char* help;
    std::vector<std::string> flags;
    std::vector<std::string> valued;
    int (*run)(const Args&);
};

std::string program_usage();

int usage_error(const std::string& message, const Command* command = nullptr) {
    std::cerr << "handbook: " << message << "\n\n";
    if (command) std::cerr << "usage: handbook " << command->usage << "\n(handbook " << command->name << " --help says more)\n";
    else std::cerr << program_usage();
    return 2;
}

// Options are --name VALUE or --name=VALUE; `--` ends them; -h/--help asks for help.
Args parse_args(int argc, char** argv, const Command& command) {
    Args a;
    bool options_ended = false;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (options_ended) {
            a.positional.push_back(arg);
        } else if (arg == "--") {
            options_ended = true;
        } else if (arg == "--help" || arg == "-h") {
            a.help = true;
        } else if (arg.rfind("--", 0) == 0) {
            auto eq = arg.find('=');
            std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            bool is_flag = std::find(command.flags.begin(), command.flags.end(), name) != command.flags.end();
            bool is_valued = std::find(command.valued.begin(), command.valued.end(), name) != command.valued.end();
            if (is_flag && eq == std::string::npos) {
                a.options[name] = "1";
            } else if (is_valued) {
                if (eq != std::string::npos) a.options[name] = arg.substr(eq + 1);
                else if (i + 1 < argc) a.options[name] = argv[++i];
                else { a.error = "option --" + name + " needs a value"; return a; }
            } else {
                a.error = "unknown option '" + arg + "' (to search for text that begins with '--', put -- before it)";
                return a;
            }
        } else {
            a.positional.push_back(arg);
        }
    }
    return a;
}

// What a person can do about a store that failed with `code`.
void advise(StatusCode code, const std::string& path) {
    if (code == StatusCode::corrupt) std::cerr << "handbook: " << damaged_store_advice(path) << "\n";
    else if (code == StatusCode::busy)
        std::cerr << "handbook: another program (a running import or server) kept the database locked; try again in a moment\n";
    else if (code == StatusCode::read_only)
        std::cerr << "handbook: check that this user may write '" << path << "' and the folder it is in\n";
    else if (code == StatusCode::full)
        std::cerr << "handbook: the disk is full: free some space and run the command again\n";
}

// Prints why a store could not be opened, and what to do about it.
void report_store_failure(const Status& st, const std::string& path) {
    std::cerr << "handbook: " << st.error << "\n";
    advise(st.code, path);
}

// An existing store, checked; a message (and nullptr) when there is none or it is unusable.
std::unique_ptr<Database> open_existing_store(const std::string& path) {
    if (access(path.c_str(), F_OK) != 0) {
        std::cerr << "handbook: no database at '" << path << "': run 'handbook import articles --db " << path << "' first\n";
        return nullptr;
    }
    StoreOptions options;
    options.create = false;
    auto db = open_server_store(path, options);
    if (!db) {
        report_store_failure(db.status(), path);
        return nullptr;
    }
    return std::move(*db);
}

int cmd_import(const Args& args) {
    if (args.positional.size() != 1) return -1;
    const std::string db_path = args.db(), folder = args.positional[0];
    auto db = open_server_store(db_path);
    if (!db) {
        report_store_failure(db.status(), db_path);
        return 1;
    }
    ImportReport report = import_into_server(**db, folder, args.get("author", kImportAccount), command_line_client());
    for (const auto& m : report.messages) {
        std::cerr << folder << "/" << m.file;
        if (m.line > 0) std::cerr << ":" << m.line;
        std::cerr << ": " << (m.is_error ? "error: " : "warning: ") << m.message << "\n";
    }
    if (!report.status) {
        std::cerr << "handbook: import failed, nothing was imported into " << db_path << " (it is as it was): "
                  << report.status.error << "\n";
        advise(report.status.code, db_path);
        return 1;
    }
    std::cout << "imported " << folder << " into " << db_path << ": " << report.created << " new, " << report.updated
              << " updated, " << report.unchanged << " unchanged, " << report.skipped << " skipped";
    if (report.drafts > 0) std::cout << ", " << report.drafts << " kept as drafts for review";
    std::cout << "\n";
    return report.skipped > 0 ? 1 : 0;
}

int cmd_export(const Args& args) {
    if (args.positional.size() != 1) return -1;
    auto db = open_existing_store(args.db());
    if (!db) return 1;
    auto written = export_folder(*db, args.positional[0]);
    if (!written) {
        std::cerr << "handbook: export failed: " << written.error() << "\n";
        return 1;
    }
    std::cout << "exported " << *written << " articles to " << args.positional[0] << "\n";
    return 0;
}

int cmd_search(const Args& args) {
    if (args.positional.size() != 1) return -1;
    SearchQuery query;
    query.text = args.positional[0];
    query.as_you_type = false;
    if (args.has("limit")) {
        const std::string value = args.get("limit");
        char* end = nullptr;
        long n = std::strtol(value.c_str(), &end, 10);
        if (value.empty() || !end || *end || n < 1 || n > 100) return usage_error("--limit takes a number from 1 to 100");
        query.limit = static_cast<int>(n);
    }
    query.category = args.get("category");
    query.tag = args.get("tag");
    auto db = open_existing_store(args.db());
    if (!db) return 1;
    auto engine = SearchEngine::create(*db);
    if (!engine) {
        std::cerr << "handbook: " << engine.error() << "\n";
        return 1;
    }
    auto results = (*engine)->search(query);
    if (!results) {
        std::cerr << "handbook: search failed: " << results.error() << "\n";
        return 1;
    }
    if (args.has("json")) std::cout << search_results_json(query, *results) << "\n";
    else std::cout << search_results_text(*results, isatty(STDOUT_FILENO));
    return 0;
}

// `value` as a whole number within [low, high], or false.
bool whole_number(const std::string& value, long low, long high, long* out) {
    char* end = nullptr;
    const long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || !end || *end || n < low || n > high) return false;
    *out = n;
    return true;
}

int cmd_serve(const Args& args) {
    if (!args.positional.empty()) return -1;
    ServeOptions options;
    options.db_path = args.db();
    options.articles_dir = args.get("articles", options.articles_dir);
    options.app_dir = args.get("web", options.app_dir);
    options.shell_dir = args.get("shell", options.shell_dir);
    options.bind = args.get("bind", options.bind);
    options.secure_cookies = args.has("secure-cookies");
    options.key_path = args.get("key", "");
    options.static_dir = args.get("static-dir", "");
    long n = 0;
    if (args.has("max-connections-per-client")) {
        if (!whole_number(args.get("max-connections-per-client"), 1, 100000, &n))
            return usage_error("--max-connections-per-client takes a number from 1 to 100000");
        options.max_per_client = static_cast<size_t>(n);
    }
    if (args.has("port")) {
        if (!whole_number(args.get("port"), 0, 65535, &n)) return usage_error("--port takes a number from 0 to 65535 (0: any free port)");
        options.port = static_cast<int>(n);
    }
    if (options.bind.empty()) return usage_error("--bind takes an address, e.g. 127.0.0.1 or 0.0.0.0");
    return run_serve(options);
}

std::string key_path_of(const Args& args) { return args.get("key", default_key_path(args.db())); }

int cmd_publish_static(const Args& args) {
    if (args.positional.size() != 1) return -1;
    const std::string dir = args.positional[0];
    auto keys = load_signing_key(key_path_of(args));
    if (!keys) {
        std::cerr << "handbook: " << keys.error() << "\n";
        if (keys.code() == StatusCode::not_found)
            std::cerr << "handbook: the key is made by the first start of 'handbook serve', or pass --key FILE\n";
        return 1;
    }
    if (access(args.db().c_str(), F_OK) != 0) {
        std::cerr << "handbook: no database at '" << args.db() << "'\n";
        return 1;
    }
    auto store = StorePool::open(args.db());
    if (!store) {
        report_store_failure(store.status(), args.db());
        return 1;
    }
    std::optional<StaticSite> site;
    if (!args.has("content-only")) {
        auto loaded = load_static_site(args.get("shell", "web"), args.get("web", "build/web/src/web"));
        if (!loaded) {
            std::cerr << "handbook: " << loaded.error() << "\n";
            return 1;
        }
        if (!loaded->missing_app_files.empty()) {
            std::cerr << "handbook: the web app is not built (" << loaded->missing_app_files << " missing): run 'scripts/build.sh web'\n";
            return 1;
        }
        if (Status st = personalize_start_page(*loaded, "static", key_text(keys->key.public_key)); !st) {
            std::cerr << "handbook: " << st.error << "\n";
            return 1;
        }
        site = std::move(*loaded);
    }
    auto report = publish_static(**store, site ? &*site : nullptr, *keys, dir, utc_now_text());
    if (!report) {
        std::cerr << "handbook: the static tree could not be written: " << report.error() << "\n";
        advise(report.code(), args.db());
        return 1;
    }
    std::cout << "published to " << dir << ": position " << report->head << ", " << report->pages << " feed pages, "
              << report->files_written << " files written, " << report->files_removed << " removed; signed at " << report->made_at
              << "\nThe pointer (content/latest) must be signed again within " << kFreshnessWindowSeconds / 3600
              << " hours or tablets say \"policies as of\": run this every " << kStaticPointerRefreshSeconds / 60
              << " minutes (or keep 'handbook serve --static-dir " << dir << "' running).\n";
    return 0;
}

int cmd_key(const Args& args) {
    if (args.positional.size() != 1) return -1;
    const std::string path = key_path_of(args);
    if (args.positional[0] == "show") {
        auto keys = load_signing_key(path);
        if (!keys) {
            std::cerr << "handbook: " << keys.error() << "\n";
            return 1;
        }
        std::cout << key_text(keys->key.public_key) << "\n";
        return 0;
    }
    if (args.positional[0] == "rotate") {
        auto keys = rotate_signing_key(path, utc_now_text());
        if (!keys) {
            std::cerr << "handbook: the key was not rotated: " << keys.error() << "\n";
            return 1;
        }
        std::cout << "new signing key " << key_text(keys->key.public_key) << " in " << path << ", endorsed by the one before ("
                  << keys->chain.size() << " endorsements). Restart 'handbook serve' (and run publish-static) to sign with it; "
                  << "tablets move to it at their next update.\n";
        return 0;
    }
    return -1;
}

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"import", "import <folder> [--db FILE] [--author NAME]",
         "Loads every article file (Markdown with YAML front matter) below <folder>, and its\n"
         "synonyms.yaml, into the database (created when missing). Each changed article becomes a\n"
         "new published version by --author (default: import), with \"Imported from FILE\" as its\n"
         "summary; a file with status: draft is kept as a draft waiting for review. Files with errors\n"
         "are reported as folder/file.md:LINE: error: ... and skipped; the rest are imported in one\n"
         "transaction, with one audit log entry. If the database itself fails (disk full, read-only,\n"
         "damaged), nothing is imported. Exit 1 when a file was skipped or the import failed.",
         {}, {"db", "author"}, cmd_import},
        {"export", "export <folder> [--db FILE]",
         "Writes every article back out as <folder>/<slug>.md (front matter and body), each file\n"
         "whole or not at all.",
         {}, {"db"}, cmd_export},
        {"search", "search [--db FILE] [--json] [--limit N] [--category NAME] [--tag TAG] [--] <query>",
         "Searches the published articles as staff do in the app (typos corrected, synonyms).\n"
         "--json prints slug, title, score, snippet, snippet_highlights and corrections.\n"
         "Put -- before a query that begins with '--'.",
         {"json"}, {"db", "limit", "category", "tag"}, cmd_search},
        {"serve", "serve [--db FILE] [--articles DIR] [--web DIR] [--shell DIR] [--port 8080] [--bind 127.0.0.1] [--key FILE] [--static-dir DIR]",
         "Serves the web app and its API on http://127.0.0.1:8080 until Ctrl-C. On a database with\n"
         "no articles it first imports --articles (default ./articles). --web is the web build's app\n"
         "folder (default build/web/src/web), --shell the HTML shell (default ./web); --port 0 picks\n"
         "a free port. Later changes to the article files need 'handbook import'.\n"
         "Everything devices apply is signed with the key in --key (default <db>.signing-key, made on\n"
         "the first start, mode 0600). --static-dir DIR also keeps a static tree of the app and the\n"
         "content there for a static host or CDN (see publish-static), rewritten after every change.\n"
         "--max-connections-per-client N (default 256) caps one address's open connections.",
         {"secure-cookies"}, {"db", "articles", "web", "shell", "port", "bind", "key", "static-dir", "max-connections-per-client"}, cmd_serve},
        {"publish-static", "publish-static <dir> [--db FILE] [--key FILE] [--web DIR] [--shell DIR] [--content-only]",
         "Writes the web app and the published content into <dir> as a static tree any static host or\n"
         "CDN can serve: immutable files named by their content (v/<version>/..., content/feed/<sha256>,\n"
         "content/snapshot/<sha256>) and one small signed pointer, content/latest, which must be served\n"
         "with a short cache life (deploy/nginx/handbook.conf does all this). Run it after each\n"
         "publish and at least every 15 minutes (tablets flag a pointer older than 6 hours), or keep\n"
         "'handbook serve --static-dir <dir>' running. --content-only leaves the app files alone.",
         {"content-only"}, {"db", "key", "web", "shell"}, cmd_publish_static},
        {"key", "key show|rotate [--db FILE] [--key FILE]",
         "The signing key (default <db>.signing-key). 'show' prints its public key (what tablets pin);\n"
         "'rotate' makes a new key endorsed by the old one: tablets follow the endorsement at their\n"
         "next update and from then on refuse content signed with the old key. Restart serve after.",
         {}, {"db", "key"}, cmd_key},
        {"user", "user add|list|set-role|set-store|disable|enable|password [NAME] [ROLE|STORE] [--role R] [--categories \"A,B\"] [--store S] [--db FILE]",
         "Accounts for the app (roles: staff read and acknowledge; editor writes drafts and submits\n"
         "them; approver also reviews, publishes, returns, archives and reverts; admin also manages\n"
         "accounts and settings). --categories limits an editor or approver to those categories.\n"
         "  handbook user add NAME --role editor [--categories \"Refunds and returns\"]\n"
         "  handbook user list\n"
         "  handbook user set-role NAME approver [--categories \"A,B\"]\n"
         "  handbook user set-store NAME \"Leeds\"   (the store they work in, for the reports)\n"
         "  handbook user disable NAME      (signed out everywhere; enable undoes it)\n"
         "  handbook user password NAME\n"
         "A password is read from standard input (at a terminal: asked twice, not shown): at least\n"
         "10 characters, not the user name. Every change is written to the audit log.",
         {}, {"db", "role", "categories", "store"}, cmd_user},
        {"acks", "acks <slug> [--version N] [--csv] [--db FILE]",
         "Who has read and acknowledged a must-read version (default: the article's current one):\n"
         "everyone with an account, by store and role, with when they acknowledged (on their device)\n"
         "and when it arrived; not yet, or OVERDUE past the due date. --csv for a spreadsheet.",
         {"csv"}, {"db", "version"}, cmd_acks},
        {"history", "history <slug> [--db FILE] [--json]",
         "Every published version of a policy, newest first: when, by whom, approved by whom, and\n"
         "what changed and why.",
         {"json"}, {"db"}, cmd_history},
        {"diff", "diff <slug> <from> <to> [--db FILE] [--no-color]",
         "What changed between two versions: the fields, then the text line by line, with the\n"
         "words changed within a line marked [-removed-]{+added+} (in colour at a terminal).",
         {"no-color"}, {"db"}, cmd_diff},
        {"audit", "audit [--since DATE] [--user NAME] [--limit N] [--db FILE]",
         "The audit log, oldest first: sign-ins and failed sign-ins, account changes, submissions,\n"
         "returns, publications, archives, reverts and imports, with who, when, from where and the\n"
         "outcome. It is append-only: the database refuses to change or delete an entry.",
         {}, {"db", "since", "user", "limit"}, cmd_audit},
    };
    return list;
}

std::string program_usage() {
    std::string text = "usage: handbook <command> [options]\n\ncommands:\n";
    for (const Command& c : commands()) text += "  " + std::string(c.usage) + "\n";
    text += "\nThe database defaults to ./" + std::string(kDefaultDb) + ". 'handbook <command> --help' says more.\n";
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage_error("no command given");
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        std::cout << program_usage();
        return 0;
    }
    for (const Command& command : commands()) {
        if (name != command.name) continue;
        Args args = parse_args(argc, argv, command);
        if (args.help) {
            std::cout << "usage: handbook " << command.usage << "\n\n" << command.help << "\n";
            return 0;
        }
        if (!args.error.empty()) return usage_error(args.error, &command);
        int code = command.run(args);
        return code < 0 ? usage_error("wrong arguments for '" + name + "'", &command) : code;
    }
    return usage_error("unknown command '" + name + "'");
}
