// A small fixture corpus for search and store tests, built through the public API.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "core/article.h"
#include "core/database.h"

namespace handbook::test {

Article make_article(const std::string& slug, const std::string& title, const std::string& category,
                     std::vector<std::string> tags, const std::string& body, const std::string& status = "published");

// A fresh in-memory store at the current schema.
std::unique_ptr<Database> empty_store();

// The fixture: eight published articles, one archived (withdrawn), and the staff synonyms.
std::unique_ptr<Database> fixture_store();

// The server's change feed after `after` (a test failure when it cannot be read).
std::string feed(Database& server, int64_t after, int limit = 500);
// A device's feed position (a test failure when it cannot be read).
int64_t held_seq(Database& device);
// The store's newest change (a test failure when it cannot be read).
int64_t head_seq(Database& db);

}  // namespace handbook::test
