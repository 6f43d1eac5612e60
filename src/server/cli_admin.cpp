// See cli_admin.h.
#include "cli_admin.h"

#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "accounts.h"
#include "audit_log.h"
#include "authority_schema.h"
#include "core/article_store.h"
#include "core/text_diff.h"
#include "read_receipts.h"

namespace handbook {

namespace {

std::unique_ptr<Database> open_for_admin(const std::string& path, bool create) {
    if (!create && access(path.c_str(), F_OK) != 0) {
        std::cerr << "handbook: no database at '" << path << "' (pass --db FILE)\n";
        return nullptr;
    }
    StoreOptions options;
    options.create = create;
    auto db = open_server_store(path, options);
    if (!db) {
        std::cerr << "handbook: " << db.error() << "\n";
        if (db.code() == StatusCode::corrupt) std::cerr << "handbook: " << damaged_store_advice(path) << "\n";
        return nullptr;
    }
    return std::move(*db);
}

// A line from standard input; at a terminal, asked for without echo (twice, to catch a typo).
bool read_password(const std::string& prompt, std::string* out) {
    const bool terminal = isatty(STDIN_FILENO);
    auto read_line = [&](const std::string& ask, std::string* line) {
        termios before{};
        if (terminal) {
            std::cerr << ask << std::flush;
            tcgetattr(STDIN_FILENO, &before);
            termios quiet = before;
            quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
        bool ok = static_cast<bool>(std::getline(std::cin, *line));
        if (terminal) {
            tcsetattr(STDIN_FILENO, TCSANOW, &before);
            std::cerr << "\n";
        }
        if (!line->empty() && line->back() == '\r') line->pop_back();
        return ok;
    };
    if (!read_line(prompt, out)) {
        std::cerr << "handbook: no password given (type it, or pipe it into standard input)\n";
        return false;
    }
    if (terminal) {
        std::string again;
        if (!read_line("Again, to be sure: ", &again) || again != *out) {
            std::cerr << "handbook: the two passwords differ; nothing was changed\n";
            return false;
        }
    }
    return true;
}

std::vector<std::string> split_categories(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string item = text.substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.push_back(item);
        start = end + 1;
    }
    return out;
}

int fail(const Status& st) {
    std::cerr << "handbook: " << st.error << "\n";
    return 1;
}

// The user change and its audit row, in one transaction.
int change_user(Database& db, const std::string& name, const std::string& what, const std::function<Status()>& change) {
    Transaction tx(db);
    if (!tx.status()) return fail(tx.status());
    if (Status st = change(); !st) return fail(st);
    if (Status st = audit(db, AuditEntry{0, "", "(command line)", "user_change", "user " + name, "ok", command_line_client(), what}); !st)
        return fail(st);
    if (Status st = tx.commit(); !st) return fail(st);
    std::cout << "user " << name << ": " << what << "\n";
    return 0;
}

}  // namespace

std::string command_line_client() {
    const passwd* account = getpwuid(geteuid());
    const char* user = account ? account->pw_name : std::getenv("USER");
    return std::string("command line (unix user ") + (user ? user : "unknown") + ")";
}

int cmd_user(const Args& args) {
    if (args.positional.empty()) return -1;
    const std::string action = args.positional[0];
    const bool adding = action == "add";
    if (action == "list") {
        if (args.positional.size() != 1) return -1;
        auto db = open_for_admin(args.db(), false);
        if (!db) return 1;
        auto users = list_users(*db);
        if (!users) return fail(users.status());
        if (users->empty()) std::cout << "No accounts yet: handbook user add NAME --role admin --db " << args.db() << "\n";
        for (const User& u : *users) {
            std::string cats;
            for (const auto& c : u.categories) cats += (cats.empty() ? "" : ", ") + c;
            std::cout << u.name << "\t" << role_name(u.role) << "\t" << (cats.empty() ? "all categories" : cats)
                      << (u.disabled ? "\tdisabled" : "") << "\n";
        }
        return 0;
    }
    if (args.positional.size() < 2) return -1;
    const std::string name = args.positional[1];
    auto db = open_for_admin(args.db(), adding);
    if (!db) return 1;
    if (adding) {
        if (args.positional.size() != 2 || !args.has("role")) return -1;
        auto role = parse_role(args.get("role"));
        if (!role) return fail(Status::fail(StatusCode::invalid, "--role is one of staff, editor, approver, admin"));
        if (Status st = check_user_name(name); !st) return fail(st);
        std::string password;
        if (!read_password("Password for " + name + ": ", &password)) return 1;
        auto categories = split_categories(args.get("categories"));
        Transaction tx(*db);
        if (!tx.status()) return fail(tx.status());
        auto user = add_user(*db, name, *role, categories, password);
        if (!user) return fail(user.status());
        if (args.has("store"))
            if (Status st = set_user_store(*db, name, args.get("store")); !st) return fail(st);
        if (Status st = audit(*db, AuditEntry{0, "", "(command line)", "user_add", "user " + name, "ok", command_line_client(),
                                              role_name(*role)});
            !st)
            return fail(st);
        if (Status st = tx.commit(); !st) return fail(st);
        std::cout << "added " << name << " (" << role_name(*role) << ", "
                  << (categories.empty() ? std::string("all categories") : std::to_string(categories.size()) + " categories") << ")\n";
        return 0;
    }
    if (action == "set-role") {
        if (args.positional.size() != 3) return -1;
        auto role = parse_role(args.positional[2]);
        if (!role) return fail(Status::fail(StatusCode::invalid, "the role is one of staff, editor, approver, admin"));
        auto categories = split_categories(args.get("categories"));
        return change_user(*db, name, std::string("role ") + role_name(*role), [&] { return set_user_role(*db, name, *role, categories); });
    }
    if (action == "set-store") {
        if (args.positional.size() != 3) return -1;
        const std::string store = args.positional[2];
        return change_user(*db, name, "store " + store, [&] { return set_user_store(*db, name, store); });
    }
    if (action == "disable" || action == "enable") {
        if (args.positional.size() != 2) return -1;
        const bool off = action == "disable";
        return change_user(*db, name, off ? "disabled (signed out everywhere)" : "enabled",
                           [&] { return set_user_disabled(*db, name, off); });
    }
    if (action == "password") {
        if (args.positional.size() != 2) return -1;
        std::string password;
        if (!read_password("New password for " + name + ": ", &password)) return 1;
        return change_user(*db, name, "new password (signed out everywhere)", [&] { return set_user_password(*db, name, password); });
    }
    return -1;
}

int cmd_history(const Args& args) {
    if (args.positional.size() != 1) return -1;
    auto db = open_for_admin(args.db(), false);
    if (!db) return 1;
    auto history = article_history(*db, args.positional[0], false);
    if (!history) return fail(history.status());
    if (history->empty()) return fail(Status::fail(StatusCode::not_found, "there is no policy '" + args.positional[0] + "'"));
    if (args.has("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const ArticleVersion& v : *history)
            out.push_back({{"version", v.version}, {"status", v.article.status}, {"title", v.article.title},
                           {"effective", v.article.effective}, {"published_at", v.created_at}, {"author", v.author},
                           {"approver", v.approver}, {"summary", v.change_note}, {"must_acknowledge", v.must_acknowledge}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    for (auto it = history->rbegin(); it != history->rend(); ++it) {
        const ArticleVersion& v = *it;
        std::cout << "version " << v.version << "  " << v.created_at << "  " << v.article.status << ", effective " << v.article.effective
                  << "\n  by " << (v.author.empty() ? "?" : v.author) << (v.approver.empty() ? "" : ", approved by " + v.approver)
                  << (v.must_acknowledge ? ", staff must acknowledge" : "") << "\n  " << (v.change_note.empty() ? "(no summary)" : v.change_note)
                  << "\n";
    }
    return 0;
}

int cmd_diff(const Args& args) {
    if (args.positional.size() != 3) return -1;
    const std::string slug = args.positional[0];
    auto number = [](const std::string& text) {
        char* end = nullptr;
        long n = std::strtol(text.c_str(), &end, 10);
        return (end && !*end && n >= 1 && n < 1000000000) ? static_cast<int>(n) : 0;
    };
    const int from = number(args.positional[1]), to = number(args.positional[2]);
    if (!from || !to) return fail(Status::fail(StatusCode::invalid, "the versions are numbers from 1 up: handbook diff SLUG 1 2"));
    auto db = open_for_admin(args.db(), false);
    if (!db) return 1;
    auto a = article_version(*db, slug, from);
    auto b = article_version(*db, slug, to);
    if (!a) return fail(a.status());
    if (!b) return fail(b.status());
    if (!a->has_value() || !b->has_value())
        return fail(Status::fail(StatusCode::not_found, "'" + slug + "' has no version " + std::to_string(a->has_value() ? to : from)));
    VersionDiff diff = diff_articles((*a)->article, (*b)->article);
    std::cout << "--- " << slug << " version " << from << "\n+++ " << slug << " version " << to << "\n"
              << format_diff(diff, isatty(STDOUT_FILENO) && !args.has("no-color"));
    return 0;
}

int cmd_acks(const Args& args) {
    if (args.positional.size() != 1) return -1;
    int version = 0;
    if (args.has("version")) {
        version = std::atoi(args.get("version").c_str());
        if (version < 1) return fail(Status::fail(StatusCode::invalid, "--version takes a number from 1 up"));
    }
    auto db = open_for_admin(args.db(), false);
    if (!db) return 1;
    char today[16];
    const std::time_t now = std::time(nullptr);
    std::strftime(today, sizeof today, "%Y-%m-%d", std::gmtime(&now));
    auto report = acknowledgement_report(*db, args.positional[0], version, today);
    if (!report) return fail(report.status());
    if (args.has("csv")) {
        std::cout << acknowledgement_report_csv(*report);
        return 0;
    }
    const MustRead& m = report->item;
    std::cout << m.title << " (" << m.slug << "), version " << m.version << ", in force " << m.effective
              << (m.acknowledge_by.empty() ? "" : ", due " + m.acknowledge_by) << "\n"
              << report->acknowledged << " acknowledged, " << report->pending << " not yet"
              << (report->overdue ? ", " + std::to_string(report->overdue) + " overdue" : "") << "\n\n";
    for (const ReceiptRow& row : report->rows) {
        std::cout << (row.acknowledged_at.empty() ? (row.overdue ? "OVERDUE  " : "not yet  ") : "read     ") << row.user.name << "  "
                  << role_name(row.user.role) << (row.user.store.empty() ? "" : "  " + row.user.store);
        if (!row.acknowledged_at.empty()) std::cout << "  acknowledged " << row.acknowledged_at << ", arrived " << row.received_at;
        std::cout << "\n";
    }
    return 0;
}

int cmd_audit(const Args& args) {
    if (!args.positional.empty()) return -1;
    AuditFilter filter;
    filter.since = args.get("since");
    filter.user = args.get("user");
    if (args.has("limit")) filter.limit = std::atoi(args.get("limit").c_str());
    if (filter.limit < 1) return fail(Status::fail(StatusCode::invalid, "--limit takes a number from 1 up"));
    auto db = open_for_admin(args.db(), false);
    if (!db) return 1;
    auto entries = read_audit(*db, filter);
    if (!entries) return fail(entries.status());
    for (auto it = entries->rbegin(); it != entries->rend(); ++it)
        std::cout << it->at << "  " << it->user << "  " << it->action << "  " << it->target << "  " << it->outcome << "  "
                  << it->client << (it->detail.empty() ? "" : "  " + it->detail) << "\n";
    return 0;
}

}  // namespace handbook
