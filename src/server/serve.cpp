// `handbook serve`: see serve.h.
#include "serve.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "core/article_import.h"
#include "core/article_store.h"
#include "core/content_trust.h"
#include "core/schema.h"
#include "core/static_tree.h"
#include "accounts.h"
#include "authority_schema.h"
#include "http_server.h"
#include "publish_static.h"
#include "server_import.h"
#include "signing_keys.h"
#include "store_pool.h"
#include "serve_http.h"
#include "serve_site.h"

namespace handbook {

Status import_on_first_start(Database& db, const std::string& articles_dir, std::ostream& out) {
    auto existing = list_articles(db);
    if (!existing) return existing.status();
    if (!existing->empty()) return Status::ok();
    std::error_code ec;
    if (!std::filesystem::is_directory(articles_dir, ec))
        return Status::fail(StatusCode::not_found, "the database has no articles and there is no folder '" + articles_dir +
                                                       "' to import them from (pass --articles DIR)");
    ImportReport report = import_into_server(db, articles_dir, kImportAccount, "first start of handbook serve");
    for (const auto& m : report.messages) {
        out << articles_dir << "/" << m.file;
        if (m.line > 0) out << ":" << m.line;
        out << ": " << (m.is_error ? "error: " : "warning: ") << m.message << "\n";
    }
    if (!report.status) return report.status.with_context("importing '" + articles_dir + "' failed, nothing was imported: ");
    out << "first start: imported " << report.created << " articles from " << articles_dir;
    if (report.skipped > 0) out << " (" << report.skipped << " files skipped, see above)";
    out << "\n";
    return Status::ok();
}

int run_serve(const ServeOptions& options) {
    auto store = StorePool::open(options.db_path);
    if (!store) {
        std::cerr << "handbook: " << store.error() << "\n";
        if (store.code() == StatusCode::corrupt) std::cerr << damaged_store_advice(options.db_path) << "\n";
        return 1;
    }
    bool key_created = false;
    const std::string key_path = options.key_path.empty() ? default_key_path(options.db_path) : options.key_path;
    auto keys = load_or_create_signing_key(key_path, &key_created);
    if (!keys) {
        std::cerr << "handbook: " << keys.error() << "\n";
        return 1;
    }
    if (key_created)
        std::cout << "first start: made the signing key " << key_path << " (keep it safe and back it up: tablets trust it; "
                  << "without it they refuse this server's content)\n";
    auto site = load_static_site(options.shell_dir, options.app_dir);
    if (!site) {
        std::cerr << "handbook: " << site.error() << "\n";
        return 1;
    }
    std::optional<StaticSite> static_site;
    if (!options.static_dir.empty()) {
        static_site = *site;
        if (Status st = personalize_start_page(*static_site, "static", key_text(keys->key.public_key)); !st) {
            std::cerr << "handbook: " << st.error << "\n";
            return 1;
        }
    }
    if (Status st = personalize_start_page(*site, "server", key_text(keys->key.public_key)); !st) {
        std::cerr << "handbook: " << st.error << "\n";
        return 1;
    }
    if (!site->missing_app_files.empty())
        std::cerr << "handbook: warning: the web app is not built (" << options.app_dir << " lacks "
                  << site->missing_app_files << "): run 'scripts/build.sh web' and restart; until then the page "
                  << "says that loading failed\n";

    // Signals are taken by one thread with sigwait, not by a handler: stopping the
    // server is not async-signal-safe. Blocking them here, before httplib starts its
    // worker threads, makes every thread inherit the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    ConnectionLimits limits;
    limits.max_per_client = options.max_per_client;
    HttpServer server(limits);
    ApiServices api;
    api.store = store->get();
    api.secure_cookies = options.secure_cookies;
    ServedContent content{&*site, store->get(), &api, &*keys};
    install_routes(server, content);

    int port = options.port;
    bool bound = port == 0 ? (port = server.bind_to_any_port(options.bind)) > 0 : server.bind_to_port(options.bind, port);
    if (!bound) {
        std::cerr << "handbook: cannot listen on " << options.bind << ":" << options.port
                  << " (in use, or not an address of this machine? pass --port N or --bind ADDRESS)\n";
        pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
        return 1;
    }

    // After binding, so a port in use fails before anything is written to the database.
    Status imported = [&] {
        auto writer = (*store)->write();
        return import_on_first_start(writer.db(), options.articles_dir, std::cout);
    }();
    if (!imported) {
        std::cerr << "handbook: " << imported.error << "\n";
        pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
        return 1;
    }
    {
        auto reader = (*store)->read();
        auto admins = count_admins(reader.db());
        if (admins && *admins == 0)
            std::cout << "No one can manage accounts yet: create an admin with\n  handbook user add NAME --role admin --db "
                      << options.db_path << "\n(it asks for the password), then sign in from the app.\n";
    }
    if (Status st = prepare_snapshot(content); !st)
        std::cerr << "handbook serve: the library for new devices could not be prepared yet (" << st.error
                  << "); it is tried again for each new device\n";

    std::thread signal_waiter([&server, stop_signals] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        server.stop();
    });

    // The static tree: written now, after every change, and its pointer signed again
    // well within the devices' freshness window (content_trust.h).
    std::mutex publisher_mutex;
    std::condition_variable publisher_wake;
    bool publisher_stop = false;
    std::thread publisher;
    if (static_site) {
        publisher = std::thread([&] {
            int64_t published_head = -1;
            bool with_app = true;
            std::unique_lock lock(publisher_mutex);
            while (!publisher_stop) {
                lock.unlock();
                int64_t head = -1;
                {
                    auto reader = (*store)->read();
                    if (auto h = latest_change_seq(reader.db())) head = *h;
                }
                auto signed_at = parse_utc(static_pointer_made_at(options.static_dir));
                const auto now = parse_utc(utc_now_text());
                const bool due = !signed_at || !now || *now - *signed_at >= kStaticPointerRefreshSeconds - 60;
                if (head >= 0 && (head != published_head || due || with_app)) {
                    auto report = publish_static(**store, with_app ? &*static_site : nullptr, *keys, options.static_dir, utc_now_text());
                    if (report) {
                        published_head = report->head;
                        with_app = false;
                    } else {
                        std::cerr << "handbook serve: the static tree in " << options.static_dir << " could not be written: " << report.error() << "\n";
                    }
                }
                lock.lock();
                publisher_wake.wait_for(lock, std::chrono::seconds(2), [&] { return publisher_stop; });
            }
        });
    }

    std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
    std::cout << "Handbook is running at http://" << host << ":" << port << "/ (version " << site->version
              << ", database " << options.db_path << ", signing key " << key_text(keys->key.public_key) << ")";
    if (static_site) std::cout << "; static tree in " << options.static_dir;
    std::cout << ". Ctrl-C stops it." << std::endl;
    bool clean = server.listen_after_bind();
    if (publisher.joinable()) {
        {
            std::lock_guard lock(publisher_mutex);
            publisher_stop = true;
        }
        publisher_wake.notify_all();
        publisher.join();
    }

    // Wake the signal thread if the server stopped on its own.
    pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
    std::cout << "Handbook stopped." << std::endl;
    return clean ? 0 : 1;
}

}  // namespace handbook
