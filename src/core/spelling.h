// Typo tolerance: the words of the index, and the nearest of them to a word that is
// not there. Distance is optimal string alignment (Levenshtein plus adjacent
// transpositions), so "refnd" -> "refund", "escalaton" -> "escalation", "recieve" -> "receive".
// A correction must also be a plausible typo (is_plausible_typo): a word that is simply
// not in the library ("café" in a library without cafés) is not "corrected" into
// another one ("case"), it is reported as not found.
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
    // Whether `typed` could be `word` mistyped, beyond the distance: the first letter is
    // kept (people rarely get it wrong, and a correction that changes it is a different
    // word), and a word of under five letters is only corrected for a letter left out,
    // one too many or two swapped: one letter replaced in "cafe" gives "case", "care" or
    // "cage", none of them what was meant.
    static bool is_plausible_typo(std::string_view typed, std::string_view word);

private:
    std::vector<VocabularyWord> words_;  // sorted by word
};

}  // namespace handbook
