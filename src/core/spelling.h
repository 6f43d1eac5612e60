// Typo tolerance: the words of the index, and the nearest of them to a word that is
// not there. Distance is optimal string alignment (Levenshtein plus adjacent
// transpositions), so "refnd" -> "refund", "escalaton" -> "escalation", "recieve" -> "receive".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace handbook {

// Edit distance, or max_distance + 1 as soon as it is known to exceed max_distance.
int bounded_edit_distance(std::string_view a, std::string_view b, int max_distance);

struct VocabularyWord {
    std::string word;
    int64_t doc_count = 0;
};

class Vocabulary {
public:
    void assign(std::vector<VocabularyWord> words);  // any order
    bool contains(std::string_view word) const;
    bool has_prefix(std::string_view prefix) const;
    int64_t doc_count(std::string_view word) const;
    // Articles with some word that begins with `prefix`, counted once per word (an
    // upper bound: an article with two such words counts twice).
    int64_t prefix_doc_count(std::string_view prefix) const;
    // The words that begin with `prefix`, alphabetical, at most `limit` of them.
    std::vector<VocabularyWord> words_with_prefix(std::string_view prefix, size_t limit) const;
    size_t size() const { return words_.size(); }

    // The closest word within the allowed distance (ties: the most common), if any.
    std::optional<std::string> correct_word(std::string_view word) const;
    // For a word still being typed: the closest prefix of some word in the vocabulary.
    std::optional<std::string> correct_prefix(std::string_view prefix) const;

    // How far a word of this length may be from its correction.
    static int allowed_distance(size_t length);

private:
    std::vector<VocabularyWord> words_;  // sorted by word
};

}  // namespace handbook
