// Every command of the `handbook` program on a damaged database: garbage in the middle,
// cut off, empty, not a database at all. Each is refused with a message that says how to
// restore it, exits 1, and leaves the file exactly as it was (nothing read as if sound,
// nothing written into it).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "../files/temp_folder.h"
#include "../support/run_program.h"

namespace fs = std::filesystem;
using handbook::test::run_program;

namespace {

const std::string kArticles = std::string(HANDBOOK_SOURCE_DIR) + "/articles";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes; }

handbook::test::ProgramRun handbook_cmd(const std::string& args) { return run_program(std::string(HANDBOOK_BINARY) + " " + args); }

struct Damage {
    const char* what;
    std::string (*apply)(const std::string& sound);
    const char* said;  // a phrase the message must contain
};

const Damage kDamages[] = {
    {"garbage in the middle",
     [](const std::string& sound) {
         std::string bytes = sound;
         std::mt19937 random(7);
         // Overwrite a handful of pages in the middle (never the first: its header is sound).
         for (size_t page = 3; page * 4096 + 4096 < bytes.size(); page += bytes.size() / 4096 / 6)
             for (size_t i = 0; i < 4096; ++i) bytes[page * 4096 + i] = static_cast<char>(random());
         return bytes;
     },
     "damaged"},
    {"cut off halfway", [](const std::string& sound) { return sound.substr(0, (sound.size() / 2) & ~size_t(4095)); }, "damaged"},
    {"an empty file", [](const std::string&) { return std::string(); }, "empty file"},
    {"not a database", [](const std::string&) { return std::string(8192, 'x'); }, "not a database"},
};

}  // namespace

TEST(DamagedStore, EveryCommandRefusesItAndWritesNothing) {
    handbook::test::TempFolder tmp;
    const fs::path sound_path = tmp.path() / "sound.db";
    auto imported = handbook_cmd("import " + kArticles + " --db " + sound_path.string());
    ASSERT_EQ(imported.status, 0) << imported.out;
    const std::string sound = read_file(sound_path);
    ASSERT_GT(sound.size(), 64u * 1024);

    for (const Damage& damage : kDamages) {
        const std::string bytes = damage.apply(sound);
        const fs::path db = tmp.path() / "damaged.db";
        const fs::path out = tmp.path() / "exported";
        const std::vector<std::pair<std::string, std::string>> commands = {
            {"search", "search refund --db " + db.string()},
            {"search --json", "search --json refund --db " + db.string()},
            {"export", "export " + out.string() + " --db " + db.string()},
            {"import", "import " + kArticles + " --db " + db.string()},
            {"serve", "serve --port 0 --db " + db.string() + " --articles " + kArticles + " --shell " +
                          std::string(HANDBOOK_SOURCE_DIR) + "/web --web " + tmp.str()},
        };
        for (const auto& [name, args] : commands) {
            fs::remove_all(out);
            for (const char* side : {"-wal", "-shm", "-journal"}) fs::remove(db.string() + side);
            write_file(db, bytes);
            auto run = handbook_cmd(args);
            const std::string where = std::string(damage.what) + ", " + name + ": ";
            EXPECT_EQ(run.status, 1) << where << run.out;
            EXPECT_NE(run.out.find(damage.said), std::string::npos) << where << run.out;
            EXPECT_NE(run.out.find("Restore"), std::string::npos) << where << "says how to restore it\n" << run.out;
            EXPECT_EQ(read_file(db), bytes) << where << "the file must be left as it was";
            EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << where << "nothing may be exported";
            EXPECT_EQ(run.out.find("imported"), std::string::npos) << where << run.out;
        }
    }
}
