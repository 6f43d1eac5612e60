// Faults injected into the store: SQLite ending a transaction by itself, a disk that
// fills up (or fails) at every point of an import, a real full disk (a small tmpfs, when
// this runs as root), a read-only file, and readers beside a writer.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "../files/temp_folder.h"
#include "../support/fault_vfs.h"
#include "core/article_import.h"
#include "core/article_store.h"
#include "core/schema.h"

using namespace handbook;
namespace fs = std::filesystem;

namespace {

const std::string kArticles = std::string(HANDBOOK_SOURCE_DIR) + "/articles";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Everything a library holds, as text to compare: each article's versions and bodies,
// the change count, the synonyms.
std::string fingerprint(Database& db) {
    std::ostringstream out;
    auto articles = list_articles(db, true);
    if (!articles) return "<unreadable: " + articles.error() + ">";
    for (const StoredArticle& a : *articles) out << a.article.slug << " v" << a.version << " " << std::hash<std::string>{}(a.article.body) << "\n";
    auto head = latest_change_seq(db);
    out << "changes " << (head ? std::to_string(*head) : head.error()) << "\n";
    auto synonyms = load_synonyms(db);
    out << "synonym groups " << (synonyms ? std::to_string(synonyms->size()) : synonyms.error()) << "\n";
    return out.str();
}

std::string integrity(Database& db) {
    auto stmt = db.prepare("PRAGMA integrity_check");
    if (!stmt || !stmt->step()) return "<cannot check>";
    return stmt->column_text(0);
}

// The bundled articles with every body changed and one article more: an import of it
// rewrites the whole library.
void write_new_library(const test::TempFolder& dir) {
    for (const auto& entry : fs::directory_iterator(kArticles)) {
        std::string text = read_file(entry.path());
        if (entry.path().extension() == ".md") text += "\nRevised for the fault test.\n";
        dir.write(entry.path().filename().string(), text);
    }
    dir.write("fault-test-extra.md",
              "---\ntitle: An extra policy\nslug: fault-test-extra\ncategory: Testing\ntags: [extra]\nowner: QA\n"
              "effective: 2026-01-01\nreview_by: 2027-01-01\nstatus: published\n---\nOne more article.\n");
}

}  // namespace

// SQLite rolls a transaction back by itself after some failures (SQLITE_FULL, an I/O
// error): the savepoints are gone, and a later SAVEPOINT would start a new transaction
// that commits on its own. Simulated here with a ROLLBACK behind the Transaction's back.
TEST(StoreFaults, NothingCommitsAfterSqliteEndedTheTransaction) {
    auto db = std::move(*open_store(":memory:"));
    Article a = {"alpha", "Alpha", "Cat", {}, "Owner", "2026-01-01", "2027-01-01", "published", "Body."};
    {
        Transaction outer(*db);
        ASSERT_TRUE(outer.status());
        ASSERT_TRUE(save_article(*db, a).is_ok());
        ASSERT_TRUE(db->exec("ROLLBACK").is_ok());  // what SQLite does on SQLITE_FULL
        a.slug = "beta";
        auto later = save_article(*db, a);
        ASSERT_FALSE(later.is_ok()) << "a save after the rollback must not start a transaction of its own";
        EXPECT_NE(later.error().find("rolled"), std::string::npos) << later.error();
        Status committed = outer.commit();
        EXPECT_FALSE(committed.is_ok());
    }
    auto all = list_articles(*db);
    ASSERT_TRUE(all.is_ok());
    EXPECT_TRUE(all->empty()) << "nothing from the rolled-back transaction may remain";
    EXPECT_FALSE(db->in_transaction());
}

// The finding: on a full disk, 5-7 of 46 articles stayed committed and the message was
// "no such savepoint: sp1". Now: at every point the disk can fail, the import leaves
// either the old library or the new one, whole, with integrity_check ok.
TEST(StoreFaults, AnImportOnADiskThatFailsAtAnyPointIsAllOrNothing) {
    test::TempFolder tmp, fresh;
    write_new_library(fresh);
    const fs::path base = tmp.path() / "base.db";
    {
        auto db = open_store(base.string());
        ASSERT_TRUE(db) << db.error();
        ASSERT_TRUE(import_folder(**db, kArticles).status.is_ok());
    }
    std::string old_print, new_print;
    {
        auto db = open_store(base.string());
        old_print = fingerprint(**db);
    }
    test::FaultPlan& plan = test::fault_vfs();
    int failed_runs = 0, committed_runs = 0;
    std::set<StatusCode> codes;
    for (const bool wal : {false, true}) {
        for (const int error : {13 /*SQLITE_FULL*/, 10 | (3 << 8) /*SQLITE_IOERR_WRITE*/}) {
            // Writes of one whole import, counted once, then failing at points spread over it.
            int64_t total_writes = 0;
            for (int64_t fail_after = 0;; fail_after = fail_after < 40 ? fail_after + 3 : fail_after * 5 / 4) {
                const fs::path path = tmp.path() / "work.db";
                fs::remove(path.string() + "-wal");
                fs::remove(path.string() + "-shm");
                fs::copy_file(base, path, fs::copy_options::overwrite_existing);
                ImportReport report;
                {
                    StoreOptions options;
                    options.vfs = test::kFaultVfsName;
                    options.wal = wal;
                    plan = test::FaultPlan{};
                    auto db = open_store(path.string(), options);
                    ASSERT_TRUE(db) << db.error();
                    plan.writes_before_failure = fail_after;
                    plan.error = error;
                    report = import_folder(**db, fresh.str());
                    if (total_writes == 0 && report.status) total_writes = plan.writes_seen;
                    plan.writes_before_failure = -1;  // the disk has room again for the close
                }
                auto db = open_store(path.string());  // the default VFS: recovers a hot journal
                ASSERT_TRUE(db) << "after failing at write " << fail_after << ": " << db.error();
                EXPECT_EQ(integrity(**db), "ok") << "failing at write " << fail_after;
                const std::string now = fingerprint(**db);
                if (report.status) {
                    ++committed_runs;
                    if (new_print.empty()) new_print = now;
                    EXPECT_EQ(now, new_print) << "a committed import must hold the whole new library";
                } else {
                    ++failed_runs;
                    codes.insert(report.status.code);
                    EXPECT_EQ(now, old_print) << "failing at write " << fail_after << " (" << report.status.error
                                              << ") must leave the old library";
                    EXPECT_EQ(report.status.error.find("savepoint"), std::string::npos) << report.status.error;
                    EXPECT_EQ(report.created + report.updated, 0);
                }
                if (report.status && fail_after > 0) break;  // past the last write
                if (fail_after > 1000000) break;
            }
            EXPECT_GT(total_writes, 0);
        }
    }
    EXPECT_NE(new_print, old_print);
    EXPECT_GE(failed_runs, 40) << "the disk should have failed at many points";
    EXPECT_GE(committed_runs, 4);
    EXPECT_TRUE(codes.count(StatusCode::full)) << "a full disk is reported as such";
    EXPECT_TRUE(codes.count(StatusCode::io));
    std::cout << "[ figures  ] import with a failing disk: " << failed_runs << " runs failed cleanly, " << committed_runs
              << " committed; every one left the old or the new library\n";
}

// A real full disk: a 4 MiB tmpfs, filled so that an import runs out of room at several
// points. Needs root (mount); skipped elsewhere.
TEST(StoreFaults, AnImportOnARealFullDiskIsAllOrNothing) {
    test::TempFolder tmp, fresh;
    write_new_library(fresh);
    const fs::path mount_point = tmp.path() / "disk";
    fs::create_directories(mount_point);
    if (geteuid() != 0 || mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=4m") != 0)
        GTEST_SKIP() << "needs root to mount a small tmpfs";
    struct Unmount {
        std::string path;
        ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
    } unmount{mount_point.string()};

    const fs::path base = tmp.path() / "base.db";
    {
        auto db = open_store(base.string());
        ASSERT_TRUE(import_folder(**db, kArticles).status.is_ok());
    }
    std::string old_print;
    {
        auto db = open_store(base.string());
        old_print = fingerprint(**db);
    }
    const uintmax_t base_size = fs::file_size(base);
    int failed = 0, committed = 0;
    for (uintmax_t room = 16 * 1024; room < 3 * 1024 * 1024; room = room * 3 / 2) {
        for (const auto& e : fs::directory_iterator(mount_point)) fs::remove_all(e.path());
        const fs::path path = mount_point / "handbook.db";
        fs::copy_file(base, path);
        // Fill the disk but for `room` bytes.
        struct statvfs disk {};
        ASSERT_EQ(statvfs(mount_point.c_str(), &disk), 0);
        const uintmax_t available = static_cast<uintmax_t>(disk.f_bavail) * disk.f_frsize;
        if (available > room) {
            std::ofstream filler(mount_point / "filler", std::ios::binary);
            const std::string bytes(available - room, 'x');
            filler.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        }
        ImportReport report;
        {
            auto db = open_store(path.string());
            ASSERT_TRUE(db) << db.error();
            report = import_folder(**db, fresh.str());
        }
        fs::remove(mount_point / "filler");  // room to recover a hot journal
        auto db = open_store(path.string());
        ASSERT_TRUE(db) << db.error();
        EXPECT_EQ(integrity(**db), "ok") << "room " << room;
        if (report.status) {
            ++committed;
            EXPECT_NE(fingerprint(**db), old_print);
        } else {
            ++failed;
            EXPECT_EQ(report.status.code, StatusCode::full) << report.status.error;
            EXPECT_EQ(fingerprint(**db), old_print) << "room " << room << ": " << report.status.error;
        }
    }
    EXPECT_GE(failed, 3);
    std::cout << "[ figures  ] real full disk (base " << base_size << " bytes): " << failed << " imports refused whole, "
              << committed << " committed\n";
}

// The finding: an import into a read-only database blamed each file in turn.
TEST(StoreFaults, AReadOnlyDatabaseIsBlamedOnceAndNothingIsImported) {
    test::TempFolder tmp;
    const std::string path = tmp.str() + "/ro.db";
    {
        auto db = open_store(path);
        ASSERT_TRUE(db);
    }
    OpenOptions read_only;
    read_only.read_only = true;
    auto db = Database::open(path, read_only);
    ASSERT_TRUE(db) << db.error();
    ImportReport report = import_folder(**db, kArticles);
    ASSERT_FALSE(report.status.is_ok());
    EXPECT_EQ(report.status.code, StatusCode::read_only);
    EXPECT_NE(report.status.error.find("read-only"), std::string::npos) << report.status.error;
    for (const ImportMessage& m : report.messages) EXPECT_FALSE(m.is_error) << m.file << ": " << m.message;
}

// Another writer holding the store longer than the busy timeout: the import fails whole,
// says the store was busy, and writes nothing.
TEST(StoreFaults, AnImportThatCannotGetTheStoreInTimeImportsNothing) {
    test::TempFolder tmp;
    const std::string path = tmp.str() + "/busy.db";
    StoreOptions wal;
    wal.wal = true;
    auto other = open_store(path, wal);
    ASSERT_TRUE(other);
    OpenOptions impatient;
    impatient.busy_timeout_ms = 200;
    auto db = Database::open(path, impatient);
    ASSERT_TRUE(db) << db.error();
    ASSERT_TRUE((*other)->exec("BEGIN IMMEDIATE").is_ok());  // another writer, mid-transaction
    ImportReport report = import_folder(**db, kArticles);
    ASSERT_TRUE((*other)->exec("COMMIT").is_ok());
    ASSERT_FALSE(report.status.is_ok());
    EXPECT_EQ(report.status.code, StatusCode::busy) << report.status.error;
    EXPECT_TRUE(list_articles(**db)->empty());
}

// An export on a full disk leaves no temporary file and says how far it got.
TEST(StoreFaults, AnExportOnAFullDiskLeavesNoTemporaryFile) {
    test::TempFolder tmp;
    const fs::path mount_point = tmp.path() / "disk";
    fs::create_directories(mount_point);
    if (geteuid() != 0 || mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=64k") != 0)
        GTEST_SKIP() << "needs root to mount a small tmpfs";
    struct Unmount {
        std::string path;
        ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
    } unmount{mount_point.string()};
    auto db = std::move(*open_store(":memory:"));
    ASSERT_TRUE(import_folder(*db, kArticles).status.is_ok());
    auto written = export_folder(*db, mount_point.string());
    ASSERT_FALSE(written.is_ok()) << "232 KB of articles cannot fit in 64 KB";
    EXPECT_NE(written.error().find("were written before it"), std::string::npos) << written.error();
    for (const auto& e : fs::directory_iterator(mount_point))
        EXPECT_NE(e.path().extension(), ".tmp") << e.path() << " was left behind";
}

// Readers beside a writer (WAL): a reader's view stays whole while another connection
// commits, and the next view sees the commit; nobody waits or fails.
TEST(StoreFaults, AReaderSeesOneWholeViewWhileAnotherConnectionWrites) {
    test::TempFolder tmp;
    const std::string path = tmp.str() + "/wal.db";
    StoreOptions wal;
    wal.wal = true;
    auto writer = open_store(path, wal);
    ASSERT_TRUE(writer) << writer.error();
    auto reader = open_store(path, wal);
    ASSERT_TRUE(reader) << reader.error();
    Article a = {"alpha", "Alpha", "Cat", {}, "Owner", "2026-01-01", "2027-01-01", "published", "Body."};
    ASSERT_TRUE(save_article(**writer, a).is_ok());
    {
        ReadTransaction view(**reader);
        ASSERT_TRUE(view.status());
        const int64_t before = *latest_change_seq(**reader);
        a.body = "Body, changed while a reader looks.";
        auto saved = save_article(**writer, a);  // commits while the view is open
        ASSERT_TRUE(saved.is_ok()) << saved.error();
        EXPECT_EQ(*latest_change_seq(**reader), before) << "the view must not change under the reader";
        auto history = article_history(**reader, "alpha");
        ASSERT_TRUE(history.is_ok());
        EXPECT_EQ(history->size(), 1u);
    }
    EXPECT_EQ(*latest_change_seq(**reader), 2);
}

// The store's identity: made when the store is made, kept for good, different per store.
TEST(StoreFaults, EveryStoreHasItsOwnLastingIdentity) {
    test::TempFolder tmp;
    const std::string path = tmp.str() + "/id.db";
    std::string first;
    {
        auto db = open_store(path);
        auto id = store_identity(**db);
        ASSERT_TRUE(id) << id.error();
        first = *id;
        EXPECT_EQ(first.size(), 32u);
        EXPECT_FALSE((*db)->exec("UPDATE store_identity SET identity = 'x'").is_ok());
    }
    auto again = open_store(path);
    EXPECT_EQ(*store_identity(**again), first);
    auto other = open_store(":memory:");
    EXPECT_NE(*store_identity(**other), first);
}
