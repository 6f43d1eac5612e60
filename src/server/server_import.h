// `handbook import` (and the first start of `handbook serve`) on the server's store: the
// article files imported as versions, as core's import_folder does, and besides
//   - a file with `status: draft` kept as a draft waiting for review, by the import
//     account (an identical one already waiting is not added again);
//   - one audit row for the import (who ran it, from where, what it did), written in the
//     import's own transaction.
#pragma once
#include <string>

#include "core/article_import.h"

namespace handbook {

ImportReport import_into_server(Database& db, const std::string& folder, const std::string& who, const std::string& client);

}  // namespace handbook
