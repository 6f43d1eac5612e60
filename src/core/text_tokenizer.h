// Splitting text into words exactly as the search index does, by calling SQLite's own
// FTS5 tokenizers (unicode61 with diacritics folded, and porter stemming on top).
// Using the index's tokenizer for queries keeps query words and indexed words equal
// by construction: "Réfunds" -> "refunds" (surface) -> "refund" (stem).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "database.h"

namespace handbook {

struct Token {
    std::string text;  // lowercased, diacritics folded (and stemmed, for the stemming tokenizer)
    size_t start = 0;  // byte range in the input
    size_t end = 0;
};

class TextTokenizer {
public:
    // `stemming` false: "unicode61 remove_diacritics 2"; true: "porter" on top of it.
    static Result<std::unique_ptr<TextTokenizer>> create(Database& db, bool stemming);
    ~TextTokenizer();
    TextTokenizer(const TextTokenizer&) = delete;
    TextTokenizer& operator=(const TextTokenizer&) = delete;

    std::vector<Token> tokenize(std::string_view text) const;
    // The single stemmed/folded form of one word ("" when it has no word characters).
    std::string normalize(std::string_view word) const;

private:
    TextTokenizer() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace handbook
