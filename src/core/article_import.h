// Loading a folder of article files into the store, and writing the store back out.
// An import is one transaction: files with errors are reported and skipped, the
// others are saved, and a failure of the store itself (a full disk, an I/O error, a
// read-only file, a lock held too long by another writer) rolls everything back and
// leaves the database as it was.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "database.h"
#include "front_matter.h"

namespace handbook {

struct ImportMessage {
    std::string file;  // path relative to the imported folder
    int line = 0;      // 0 = whole file
    std::string message;
    bool is_error = true;
};

struct [[nodiscard]] ImportReport;

struct ImportOptions {
    std::string author = "import";  // who the versions are recorded as by
    // Called for a file whose front matter says `status: draft`, in the import's
    // transaction: a draft is not published (the server keeps it for review). Without
    // it such a file is reported and skipped.
    std::function<Status(Database&, const Article&, const std::string& file)> keep_draft;
    // Called in the import's transaction just before it commits (the server's audit row).
    std::function<Status(Database&, const ImportReport&)> before_commit;
};

struct [[nodiscard]] ImportReport {
    // ok: the import is committed. Otherwise nothing at all was imported (the folder
    // could not be read, or the store failed and everything was rolled back), and this
    // says why; `messages` still lists what was found in the files read until then.
    Status status;
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int drafts = 0;   // files kept as drafts (ImportOptions::keep_draft)
    int skipped = 0;  // files with errors
    std::vector<ImportMessage> messages;
};

// Imports every *.md file below `folder` (sorted by path), and `synonyms.yaml` at its
// top if present.
ImportReport import_folder(Database& db, const std::string& folder, const ImportOptions& options = {});

// Synonym groups from YAML: a list of lists of phrases.
Result<std::vector<std::vector<std::string>>> parse_synonyms_yaml(const std::string& text);

// Writes every article as <folder>/<slug>.md. Returns the number written. Each file is
// written whole (beside its place, then renamed): a failure (a full disk) leaves no
// half-written or temporary file behind, and says how many were written before it.
Result<int> export_folder(Database& db, const std::string& folder);

}  // namespace handbook
