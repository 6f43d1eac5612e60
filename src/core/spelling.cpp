#include "spelling.h"

#include <algorithm>

namespace handbook {

int bounded_edit_distance(std::string_view a, std::string_view b, int max_distance) {
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    if (std::abs(n - m) > max_distance) return max_distance + 1;
    // Three rows suffice for optimal string alignment. Words are short: the rows live
    // on the stack (this runs against every similar-length word of the vocabulary).
    constexpr int kMaxLength = 63;
    if (n > kMaxLength || m > kMaxLength) return max_distance + 1;
    int rows[3][kMaxLength + 1];
    int* prev2 = rows[0];
    int* prev = rows[1];
    int* cur = rows[2];
    for (int j = 0; j <= m; ++j) prev[j] = j;
    for (int i = 1; i <= n; ++i) {
        cur[0] = i;
        int row_min = cur[0];
        for (int j = 1; j <= m; ++j) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
            cur[j] = v;
            row_min = std::min(row_min, v);
        }
        if (row_min > max_distance) return max_distance + 1;
        int* spare = prev2;
        prev2 = prev;
        prev = cur;
        cur = spare;
    }
    return std::min(prev[m], max_distance + 1);
}

void Vocabulary::assign(std::vector<VocabularyWord> words) {
    std::sort(words.begin(), words.end(), [](const auto& x, const auto& y) { return x.word < y.word; });
    words_ = std::move(words);
}

static auto lower_bound_word(const std::vector<VocabularyWord>& words, std::string_view w) {
    return std::lower_bound(words.begin(), words.end(), w,
                            [](const VocabularyWord& x, std::string_view key) { return x.word < key; });
}

bool Vocabulary::contains(std::string_view word) const {
    auto it = lower_bound_word(words_, word);
    return it != words_.end() && it->word == word;
}

bool Vocabulary::has_prefix(std::string_view prefix) const {
    auto it = lower_bound_word(words_, prefix);
    return it != words_.end() && std::string_view(it->word).substr(0, prefix.size()) == prefix;
}

int64_t Vocabulary::doc_count(std::string_view word) const {
    auto it = lower_bound_word(words_, word);
    return it != words_.end() && it->word == word ? it->doc_count : 0;
}

int64_t Vocabulary::prefix_doc_count(std::string_view prefix) const {
    int64_t total = 0;
    for (auto it = lower_bound_word(words_, prefix); it != words_.end() && std::string_view(it->word).substr(0, prefix.size()) == prefix; ++it)
        total += it->doc_count;
    return total;
}

std::vector<VocabularyWord> Vocabulary::words_with_prefix(std::string_view prefix, size_t limit) const {
    std::vector<VocabularyWord> out;
    for (auto it = lower_bound_word(words_, prefix);
         it != words_.end() && out.size() < limit && std::string_view(it->word).substr(0, prefix.size()) == prefix; ++it)
        out.push_back(*it);
    return out;
}

int Vocabulary::allowed_distance(size_t length) {
    if (length < 3) return 0;
    if (length < 8) return 1;
    return 2;
}

static bool has_digit(std::string_view w) {
    return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// True when `typed` is `word` with letters left out: the commonest typo ("stok" for
// "stock", "mising" for "missing") is a dropped letter, so such a candidate wins a tie.
static bool is_subsequence(std::string_view typed, std::string_view word) {
    size_t i = 0;
    for (char c : word)
        if (i < typed.size() && typed[i] == c) ++i;
    return i == typed.size();
}

bool Vocabulary::is_plausible_typo(std::string_view typed, std::string_view word) {
    if (typed.empty() || word.empty() || typed[0] != word[0]) return false;
    if (typed.size() >= 5) return true;
    // Short: a letter left out or one too many (one is the other with a letter more),
    // or two letters swapped (same letters, same length).
    if (typed.size() + 1 == word.size()) return is_subsequence(typed, word);
    if (word.size() + 1 == typed.size()) return is_subsequence(word, typed);
    if (typed.size() != word.size()) return false;
    std::string a(typed), b(word);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

std::optional<std::string> Vocabulary::correct_word(std::string_view word) const {
    int max_d = allowed_distance(word.size());
    if (max_d == 0 || has_digit(word)) return std::nullopt;
    const VocabularyWord* best = nullptr;
    int best_d = max_d + 1;
    bool best_dropped = false;
    for (const auto& v : words_) {
        if (v.word.empty() || v.word[0] != word[0]) continue;  // cheap first: see is_plausible_typo
        int d = bounded_edit_distance(word, v.word, std::min(max_d, best_d));
        if (d > max_d || d > best_d || !is_plausible_typo(word, v.word)) continue;
        bool dropped = is_subsequence(word, v.word);
        bool better = d < best_d || !best || (dropped && !best_dropped) ||
                      (dropped == best_dropped && v.doc_count > best->doc_count);
        if (better) {
            best = &v;
            best_d = d;
            best_dropped = dropped;
        }
    }
    if (!best) return std::nullopt;
    return best->word;
}

std::optional<std::string> Vocabulary::correct_prefix(std::string_view prefix) const {
    // Short prefixes match too much to correct meaningfully.
    if (prefix.size() < 4 || has_digit(prefix)) return std::nullopt;
    const int max_d = 1;
    std::string best;
    int64_t best_count = -1;
    int best_d = max_d + 1;
    for (const auto& v : words_) {
        if (v.word.empty() || v.word[0] != prefix[0]) continue;  // the first letter is kept (is_plausible_typo)
        // Compare against the word's prefixes one shorter, equal and one longer (insertions, deletions).
        for (size_t len = prefix.size() - 1; len <= prefix.size() + 1 && len <= v.word.size(); ++len) {
            std::string_view candidate = std::string_view(v.word).substr(0, len);
            int d = bounded_edit_distance(prefix, candidate, max_d);
            if (d > max_d) continue;
            if (d < best_d || (d == best_d && v.doc_count > best_count)) {
                best = std::string(candidate);
                best_d = d;
                best_count = v.doc_count;
            }
        }
    }
    if (best.empty()) return std::nullopt;
    return best;
}

}  // namespace handbook
