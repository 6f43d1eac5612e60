// Loading a folder of article files into the store, and writing the store back out.
// An import is one transaction: files with errors are reported and skipped, the
// others are saved, and a failure of the store itself leaves the database untouched.
#pragma once
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

struct ImportReport {
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int skipped = 0;  // files with errors
    std::vector<ImportMessage> messages;
};

// Imports every *.md file below `folder` (sorted by path), and `synonyms.yaml` at its
// top if present. Returns an error only when nothing could be imported at all.
Result<ImportReport> import_folder(Database& db, const std::string& folder, const std::string& author = "import");

// Synonym groups from YAML: a list of lists of phrases.
Result<std::vector<std::vector<std::string>>> parse_synonyms_yaml(const std::string& text);

// Writes every article as <folder>/<slug>.md. Returns the number written.
Result<int> export_folder(Database& db, const std::string& folder);

}  // namespace handbook
